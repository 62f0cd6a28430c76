"""Access checks shared by the blueprints: who may open a view, and loading the rows a view
acts on (404 when there is none, 403 when the reader may not act on it)."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import select

from planner.extensions import db
from planner.models import Event

T = TypeVar("T")


def requires(allowed: Callable[[object], bool]):
    """A view decorator: anonymous visitors are sent to log in; a signed-in user for whom
    `allowed(user)` is false gets 403."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


# Only organisers.
organiser_required = requires(lambda user: user.is_organiser)


def require_firm_access(firm_id: int) -> None:
    """Abort with 403 unless the current user is an organiser or a member of the firm."""
    if not current_user.is_authenticated or not current_user.can_manage_firm(firm_id):
        abort(403)


def load_or_404(model: type[T], ident: int, *, allowed: Callable[[T], bool] | None = None) -> T:
    """The row of `model` with primary key `ident`: 404 when there is none, 403 when
    `allowed(row)` is false for the reader."""
    row = db.get_or_404(model, ident)
    if allowed is not None and not allowed(row):
        abort(403)
    return row


def of_event(event: Event, model: type[T], ident: int) -> T:
    """A row of `model` (with an `event_id`) that belongs to `event`; 404 otherwise, so an
    address cannot reach another round's rows."""
    row = db.session.get(model, ident)
    if row is None or row.event_id != event.id:
        abort(404)
    return row


def event_by_slug(slug: str) -> Event:
    """The round with this address name, or 404."""
    return db.first_or_404(select(Event).where(Event.slug == slug))
