"""Feedback forms opened from a secret link (no log-in), and the organiser's feedback controls."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from planner.access import load_or_404, organiser_required
from planner.actions import attempt
from planner.extensions import db
from planner.models import Event
from planner.outcomes.forms import FeedbackForm
from planner.outcomes.mail import queue_feedback_requests
from planner.outcomes.services import (
    FeedbackAnswer,
    close_feedback,
    outcome_of,
    published_meeting,
    read_feedback_token,
    reopen_feedback,
    save_feedback,
)
from planner.text.i18n import _, ngettext
from planner.timetables.entries import _entry

bp = Blueprint("outcomes", __name__, url_prefix="/feedback")


@bp.route("/<token>", methods=["GET", "POST"])
def feedback(token: str):
    """One person's answers about one meeting, for their side; changeable until feedback closes."""
    found = read_feedback_token(token)
    if found is None:
        return render_template("outcomes/feedback_refused.html", reason="wrong"), 404
    meeting_request, person = found
    event = meeting_request.event
    meeting = published_meeting(event, meeting_request.id)
    if meeting is None:
        return render_template("outcomes/feedback_refused.html", reason="gone"), 404
    if event.feedback_closed_at is not None:
        return render_template("outcomes/feedback_refused.html", reason="closed", event=event), 410
    row = outcome_of(meeting_request.id, person.firm_id)
    form = FeedbackForm(obj=None)
    if request.method == "GET" and row is not None:
        form.held.data = None if row.held is None else ("1" if row.held else "0")
        form.rating.data = str(row.rating) if row.rating else None
        form.follow_up.data = row.follow_up or form.follow_up.default
        form.note.data = row.note
    if form.validate_on_submit():
        answer = FeedbackAnswer(held=form.held.data == "1", rating=int(form.rating.data) if form.rating.data else None,
                                follow_up=form.follow_up.data or None, note=form.note.data)
        if attempt(lambda: save_feedback(event, meeting_request, person, answer),
                   _("Thank you. You can change your answers until the organisers close feedback.")).ok:
            return redirect(url_for(".feedback", token=token))
    return render_template("outcomes/feedback.html", form=form, event=event, person=person,
                           entry=_entry(meeting, person.firm), outcome=row)


@bp.route("/events/<int:event_id>/send", methods=["POST"])
@organiser_required
def send(event_id: int):
    """Send the feedback forms of a round (each person once)."""
    event = load_or_404(Event, event_id)
    messages = queue_feedback_requests(event)
    db.session.commit()
    # Flask-Babel passes the count itself as %(num)s (and picks the Russian plural form from it)
    flash(ngettext("%(num)s feedback message queued.", "%(num)s feedback messages queued.", len(messages)), "success")
    return redirect(url_for("statistics.event", slug=event.slug))


@bp.route("/events/<int:event_id>/close", methods=["POST"])
@organiser_required
def close(event_id: int):
    """Close (or, with reopen=1, reopen) feedback for a round."""
    event = load_or_404(Event, event_id)
    if request.form.get("reopen") == "1":
        reopen_feedback(event)
        flash(_("Feedback is open again."), "success")
    else:
        close_feedback(event)
        flash(_("Feedback is closed; the links now say so."), "success")
    db.session.commit()
    return redirect(url_for("statistics.event", slug=event.slug))
