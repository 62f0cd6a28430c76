"""The preview and confirmation of a new slot length for a round with sessions
(`scheduling.recut`): the settings page sends the organiser here when the length changes."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from planner.access import load_or_404, organiser_required
from planner.actions import attempt
from planner.errors import ServiceError
from planner.events.forms import RecutForm
from planner.models import Event
from planner.scheduling import recut
from planner.text.i18n import _, local_digits, ngettext

bp = Blueprint("recut", __name__, url_prefix="/organiser/events")


def _cut_message(plan) -> str:
    slots = sum(len(cut.after) for cut in plan.sessions)
    return ngettext("The sessions are cut into %(num)s slot.", "The sessions are cut into %(num)s slots.", slots,
                    num=local_digits(slots))


@bp.route("/<int:event_id>/recut", methods=["GET", "POST"])
@organiser_required
def preview(event_id: int):
    """GET: what the new length does to each session (nothing changes); POST: apply it."""
    event = load_or_404(Event, event_id)
    posted = request.method == "POST"
    form = RecutForm() if posted else RecutForm(request.args, meta={"csrf": False})  # a GET changes nothing
    if not form.slot_minutes.validate(form) or not form.break_minutes.validate(form):
        flash(_("Please correct the highlighted fields."), "error")
        return redirect(url_for("events.settings", event_id=event.id))
    if (form.slot_minutes.data, form.break_minutes.data) == (event.slot_minutes, event.break_minutes):
        return redirect(url_for("events.setup_page", event_id=event.id, _anchor="sessions"))
    if posted and form.validate():
        applied = attempt(lambda: recut.apply_recut(event, form.slot_minutes.data, form.break_minutes.data, form.digest.data),
                          _cut_message)
        if applied.ok:
            return redirect(url_for("events.setup_page", event_id=event.id, _anchor="sessions"))
    try:
        plan = recut.plan_recut(event, form.slot_minutes.data, form.break_minutes.data)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("events.settings", event_id=event.id))
    return render_template("events/recut.html", event=event, plan=plan, form=form)
