"""Access checks shared by the blueprints."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def organiser_required(view):
    """Only organisers; others get 403, anonymous visitors are sent to log in."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_organiser:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def require_firm_access(firm_id: int) -> None:
    """Abort with 403 unless the current user is an organiser or a member of the firm."""
    if not current_user.is_authenticated or not current_user.can_manage_firm(firm_id):
        abort(403)
