"""A view's one unit of work: call one service, commit once, say what happened.

Views load and authorise (`planner.access`), validate their form, then hand the one service
call to `attempt`: on success the request's single commit and a success message; when the call
breaks a rule (`ServiceError`, already in the reader's language) a rollback and the rule's
message. The view then redirects or renders as the outcome says.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import flash

from planner.errors import ServiceError
from planner.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """What `attempt` did: `ok` with the service's `result`, or the `error` it raised."""

    ok: bool
    result: T | None = None
    error: ServiceError | None = None


def attempt(action: Callable[[], T], done: str | Callable[[T], str] | None = None, *,
            refused: Callable[[ServiceError], None] | None = None, category: str = "success",
            quiet: bool = False) -> Attempt[T]:
    """Run `action` (one service call, which flushes and never commits) as the request's unit of
    work. Success: commit once, then flash `done` (a text, or a function of the result giving
    one) in `category`. A broken rule (`ServiceError`): roll back, then show it through
    `refused` (e.g. on the form field it names), else flash its message as an error. `quiet`
    flashes nothing (the caller answers with the outcome itself, as JSON).
    Other exceptions propagate untouched (a lost race becomes the app's 409)."""
    try:
        result = action()
    except ServiceError as error:
        db.session.rollback()
        if quiet:
            pass
        elif refused is not None:
            refused(error)
        else:
            flash(error.message, "error")
        return Attempt(False, error=error)
    db.session.commit()
    if done is not None and not quiet:
        flash(done(result) if callable(done) else done, category)
    return Attempt(True, result)


def on_field(form) -> Callable[[ServiceError], None]:
    """A `refused` for `attempt`: the rule's message under the form field it names
    (`ServiceError.field`), else flashed for the whole page."""

    def show(error: ServiceError) -> None:
        field = getattr(form, error.field, None) if error.field else None
        if field is not None:
            field.errors = list(field.errors) + [error.message]
        else:
            flash(error.message, "error")

    return show
