"""Feedback forms by e-mail: after the round, one message per person, in their language, with a
secret link per meeting (no log-in needed). Sent once per person and round."""
from __future__ import annotations

from email.message import EmailMessage

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import select

from planner.extensions import db
from planner.models import Event, OutgoingMessage, Participant, ScheduleVersion
from planner.models.enums import MailKind
from planner.notifications.outbox import composer, new_email, queue_message, set_bodies
from planner.outcomes.services import feedback_meetings, feedback_token
from planner.text.i18n import _
from planner.timetables.entries import _entry, recipient_locale, version_meetings


def queue_feedback_requests(event: Event) -> list[OutgoingMessage]:
    """Queue a feedback message for every person with meetings to ask about who has not had one
    for this round yet (so sending again only reaches people added since). Flushes; delivery
    starts when the caller commits."""
    asked = set(db.session.scalars(select(OutgoingMessage.participant_id).where(
        OutgoingMessage.event_id == event.id, OutgoingMessage.kind == MailKind.FEEDBACK_REQUEST)))
    messages = []
    for person_id, meetings in sorted(feedback_meetings(event).items()):
        person = db.session.get(Participant, person_id)
        if person_id in asked or person is None or not person.email:
            continue
        messages.append(queue_message(
            kind=MailKind.FEEDBACK_REQUEST, recipient=person.email, locale=recipient_locale(person), event_id=event.id,
            participant_id=person.id, payload={"version_id": meetings[0].version_id,
                                               "request_ids": sorted(m.request_id for m in meetings)}))
    return messages


def feedback_link(request_id: int, participant_id: int) -> str:
    """The absolute address of a feedback form (e-mails are composed outside any request)."""
    with current_app.test_request_context("/", base_url=current_app.config["KARVAN_BASE_URL"]):
        return url_for("outcomes.feedback", token=feedback_token(request_id, participant_id), _external=True)


@composer(MailKind.FEEDBACK_REQUEST)
def compose_feedback_request(message: OutgoingMessage) -> EmailMessage:
    person = db.session.get(Participant, message.participant_id)
    event = db.session.get(Event, message.event_id)
    locale = message.locale
    wanted = set(message.payload["request_ids"])
    meetings = [m for m in version_meetings(db.session.get(ScheduleVersion, message.payload["version_id"]))
                if m.request_id in wanted]
    items = [(_entry(m, person.firm), feedback_link(m.request_id, person.id))
             for m in sorted(meetings, key=lambda m: m.slot.start_dt)]
    with force_locale(locale):
        subject = _("How were your meetings at %(event)s?", event=event.display_name(locale))
        context = dict(person=person, event=event, items=items, locale=locale, headline=subject)
        text = render_template("outcomes/feedback_mail.txt", **context)
        html = render_template("outcomes/feedback_mail.html", **context)
    email = new_email(message, subject)
    set_bodies(email, text, html, locale)
    return email
