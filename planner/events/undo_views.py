"""Undoing a deletion from a round's setup page (the offer is shown on that page)."""
from __future__ import annotations

from flask import Blueprint, redirect, url_for

from planner.access import load_or_404, of_event, organiser_required
from planner.actions import attempt
from planner.events import undo
from planner.models import DeletedSetupItem, Event
from planner.models.enums import DeletedKind

bp = Blueprint("event_undo", __name__, url_prefix="/organiser/events")

ANCHORS = {DeletedKind.SESSION: "sessions", DeletedKind.TABLE: "tables", DeletedKind.INTERPRETER: "interpreters",
           DeletedKind.CLOSURE: "closures"}


@bp.route("/<int:event_id>/deleted/<int:item_id>/undo", methods=["POST"])
@organiser_required
def undo_deletion(event_id: int, item_id: int):
    """Put back what a deletion removed, or say why it no longer can be."""
    event = load_or_404(Event, event_id)
    item = of_event(event, DeletedSetupItem, item_id)
    back = url_for("events.setup_page", event_id=event_id) + "#" + ANCHORS.get(item.kind, "")
    # the message names what came back, read before the commit
    attempt(lambda: undo.describe(undo.undo(item), event, restored=True), lambda message: message)
    return redirect(back)
