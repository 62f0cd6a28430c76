"""Business rules as verb_noun functions. They flush; the view or CLI commits once."""


class ServiceError(Exception):
    """A rule was broken. `message` is already translated for the current reader."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
