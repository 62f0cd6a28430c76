"""Request notices: a firm hears that a meeting request was created, accepted, declined or
withdrawn, in each person's language (queued in the caller's transaction, see `outbox`)."""
from __future__ import annotations

from email.message import EmailMessage

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import MeetingRequest, OutgoingMessage, Participant
from planner.models.enums import MailKind
from planner.notifications.outbox import composer, new_email, queue_message, set_bodies
from planner.text.i18n import _
from planner.timetables.entries import recipient_locale

REQUEST_NOTICE_EVENTS = ("created", "accepted", "declined", "withdrawn")


def _notice_recipients(request: MeetingRequest, what: str, to_firm_id: int | None) -> list[Participant]:
    if to_firm_id is not None:
        firm = request.target_firm if to_firm_id == request.target_firm_id else request.requester_firm
    else:
        firm = request.target_firm if what in ("created", "withdrawn") else request.requester_firm
    return [p for p in firm.participants if p.email]


def send_request_notice(request_id: int, event: str, *, to_firm_id: int | None = None) -> list[OutgoingMessage]:
    """Tell the other firm that a meeting request was created, accepted, declined or withdrawn.

    `event` is one of REQUEST_NOTICE_EVENTS. By default the target hears of "created" and
    "withdrawn" and the requester of the answers; `to_firm_id` names the firm to tell when the
    actor is not the usual side (e.g. the target withdraws from an accepted meeting). One
    message per participant, in their language; flushes, and delivery starts on commit.
    """
    if event not in REQUEST_NOTICE_EVENTS:
        raise ValueError(f"unknown request notice {event!r}")
    request = db.session.get(MeetingRequest, request_id)
    if request is None:
        raise ServiceError(_("This meeting request does not exist."))
    return [
        queue_message(kind=MailKind.REQUEST_NOTICE, recipient=person.email, locale=recipient_locale(person),
                      payload={"request_id": request.id, "event": event}, event_id=request.event_id,
                      participant_id=person.id)
        for person in _notice_recipients(request, event, to_firm_id)
    ]


@composer(MailKind.REQUEST_NOTICE)
def compose_request_notice(message: OutgoingMessage) -> EmailMessage:
    request = db.session.get(MeetingRequest, message.payload["request_id"])
    what = message.payload["event"]
    person = db.session.get(Participant, message.participant_id)
    locale = message.locale
    with force_locale(locale):
        other = request.target_firm if person.firm_id == request.requester_firm_id else request.requester_firm
        name = other.display_name(locale)
        subjects = {
            "created": _("%(firm)s would like to meet you", firm=name),
            "accepted": _("%(firm)s accepted your meeting request", firm=name),
            "declined": _("%(firm)s declined your meeting request", firm=name),
            "withdrawn": _("%(firm)s withdrew its meeting request", firm=name),
        }
        context = dict(person=person, request=request, other=other, what=what, event=request.event, locale=locale,
                       headline=subjects[what])
        text = render_template("mail/request_notice.txt", **context)
        html = render_template("mail/request_notice.html", **context)
    email = new_email(message, subjects[what])
    set_bodies(email, text, html, locale)
    return email


def messages_for(participant_id: int) -> list[OutgoingMessage]:
    return list(db.session.scalars(
        select(OutgoingMessage).where(OutgoingMessage.participant_id == participant_id).order_by(OutgoingMessage.id)
    ))
