"""Counting the SQL statements a piece of code sends: the load-independent measure of what a
page costs (tests assert that it does not grow with the size of the event)."""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

from sqlalchemy import event

from planner.extensions import db


class Statements(list):
    """The statements sent, in order; `len()` is the count. `loaded` counts the rows turned
    into objects, per model name (a page that reads a whole round loads every meeting)."""

    def __init__(self):
        super().__init__()
        self.loaded: Counter[str] = Counter()

    def __str__(self) -> str:
        return "\n".join(f"{n + 1:3d}. {statement[:160]}" for n, statement in enumerate(self))


@contextmanager
def count_statements():
    """Collect every statement executed on the app's engine inside the block."""
    seen = Statements()

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    def loaded(target, context):
        seen.loaded[type(target).__name__] += 1

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(db.Model, "load", loaded, propagate=True)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(db.Model, "load", loaded)


def request_statements(client, url: str, **kwargs) -> tuple[object, Statements]:
    """GET `url` with the test client; returns (response, statements of that request). The
    session starts empty, as in a worker's fresh request (the tests' app context is shared)."""
    db.session.remove()
    with count_statements() as seen:
        response = client.get(url, **kwargs)
    return response, seen
