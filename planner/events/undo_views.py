"""Undoing a deletion from a round's setup page (the offer is shown on that page)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for

from planner.access import organiser_required
from planner.errors import ServiceError
from planner.events import undo
from planner.extensions import db
from planner.models import DeletedSetupItem, Event
from planner.models.enums import DeletedKind

bp = Blueprint("event_undo", __name__, url_prefix="/organiser/events")

ANCHORS = {DeletedKind.SESSION: "sessions", DeletedKind.TABLE: "tables", DeletedKind.INTERPRETER: "interpreters",
           DeletedKind.CLOSURE: "closures"}


@bp.route("/<int:event_id>/deleted/<int:item_id>/undo", methods=["POST"])
@organiser_required
def undo_deletion(event_id: int, item_id: int):
    """Put back what a deletion removed, or say why it no longer can be."""
    event = db.session.get(Event, event_id) or abort(404)
    item = db.session.get(DeletedSetupItem, item_id)
    if item is None or item.event_id != event.id:
        abort(404)
    back = url_for("events.setup_page", event_id=event_id) + "#" + ANCHORS.get(item.kind, "")
    try:
        restored = undo.undo(item)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    message = undo.describe(restored, event, restored=True)
    db.session.commit()
    flash(message, "success")
    return redirect(back)
