"""Reminders to a round's firms, in each person's language: an empty profile, no request sent,
requests waiting for their answer. The organiser sees who gets what (`reminder_lines`) before
confirming; `send_reminders` queues one message per person through the outbox, once per preview
(the preview's token is unique in `ReminderBatch`). Functions flush; the view commits."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from email.message import EmailMessage

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.events.lifecycle import deadline_text
from planner.extensions import db
from planner.models import Event, EventRegistration, Firm, MeetingRequest, OutgoingMessage, Participant, ReminderBatch
from planner.models.enums import MailKind, ReminderReason, RequestMode, RequestStatus
from planner.notifications.outbox import composer, new_email, queue_message, set_bodies
from planner.text.i18n import _, _l
from planner.text.scripts import name_key
from planner.timetables.entries import recipient_locale
from planner.urls import external_url

REASONS = tuple(ReminderReason)
REASON_LABELS = {
    ReminderReason.EMPTY_PROFILE: _l("empty profile"),
    ReminderReason.NO_REQUEST_SENT: _l("no meeting request sent"),
    ReminderReason.AWAITING_ANSWER: _l("requests waiting for their answer"),
}


def reason_label(code: str) -> str:
    return str(REASON_LABELS.get(code, code))


@dataclass(frozen=True)
class ReminderLine:
    """One reason one person is reminded of; `count` is how many requests wait (else None)."""

    person: Participant
    firm: Firm
    locale: str
    reason: str
    count: int | None = None


class AlreadySent(Exception):
    """This preview was confirmed before; `batch` is what it sent."""

    def __init__(self, batch: ReminderBatch):
        super().__init__(batch.token)
        self.batch = batch


def reminder_lines(event: Event, reasons, locale: str) -> list[ReminderLine]:
    """Who gets reminded of what in `event`: every person with an e-mail of each firm taking
    part that has one of `reasons` — no offer and no need in its profile, no request sent in the
    round (in any state), requests to it still waiting for its answer (not where organisers approve
    requests: the firm has nothing to answer there). Firms in the order of the
    names the reader (`locale`) sees; a person's reasons in the order of `REASONS`."""
    wanted = [reason for reason in REASONS if reason in set(reasons)]
    firms = list(db.session.scalars(
        select(Firm).join(EventRegistration, EventRegistration.firm_id == Firm.id)
        .where(EventRegistration.event_id == event.id, EventRegistration.takes_part)
        .options(selectinload(Firm.participants), selectinload(Firm.capabilities), selectinload(Firm.needs),
                 selectinload(Firm.region))))
    # Where organisers approve requests, a firm has nothing to answer: no such reminder.
    answers = event.request_mode != RequestMode.ORGANISER_APPROVAL
    requests = db.session.execute(select(MeetingRequest.requester_firm_id, MeetingRequest.target_firm_id,
                                         MeetingRequest.status).where(MeetingRequest.event_id == event.id)).all()
    senders = {requester for requester, _target, _status in requests}
    waiting = Counter(target for _requester, target, status in requests if status == RequestStatus.PENDING)
    lines = []
    for firm in sorted(firms, key=lambda firm: name_key(firm, locale)):
        found: list[tuple[str, int | None]] = []
        for reason in wanted:
            if reason == ReminderReason.EMPTY_PROFILE and not firm.capabilities and not firm.needs:
                found.append((reason, None))
            elif reason == ReminderReason.NO_REQUEST_SENT and firm.id not in senders:
                found.append((reason, None))
            elif reason == ReminderReason.AWAITING_ANSWER and answers and waiting[firm.id]:
                found.append((reason, waiting[firm.id]))
        for person in firm.participants:
            if person.email:
                lines += [ReminderLine(person, firm, recipient_locale(person), reason, count) for reason, count in found]
    return lines


def sent_batch(token: str) -> ReminderBatch | None:
    return db.session.scalar(select(ReminderBatch).where(ReminderBatch.token == token))


def send_reminders(event: Event, reasons, token: str, user_id: int | None) -> ReminderBatch:
    """Queue one reminder per person (all their reasons in one message, in their language) for
    the preview `token`, counted again now. AlreadySent when this preview was confirmed before;
    two confirmations at the same moment meet the unique token (IntegrityError at the flush: the
    caller rolls back and finds the batch the other one sent)."""
    earlier = sent_batch(token)
    if earlier is not None:
        raise AlreadySent(earlier)
    wanted = [reason for reason in REASONS if reason in set(reasons)]
    batch = ReminderBatch(event_id=event.id, token=token, reasons=wanted, created_by_id=user_id, messages=0)
    db.session.add(batch)
    db.session.flush()
    per_person: dict[int, list[ReminderLine]] = {}
    for line in reminder_lines(event, wanted, "en"):
        per_person.setdefault(line.person.id, []).append(line)
    for lines in per_person.values():
        person = lines[0].person
        queue_message(kind=MailKind.REMINDER, recipient=person.email, locale=lines[0].locale, event_id=event.id,
                      participant_id=person.id,
                      payload={"batch_id": batch.id, "reasons": [[line.reason, line.count] for line in lines]})
    batch.messages = len(per_person)
    db.session.flush()
    return batch


@composer(MailKind.REMINDER)
def compose_reminder(message: OutgoingMessage) -> EmailMessage:
    """The reminder in the person's language, with a link for each reason."""
    person = db.session.get(Participant, message.participant_id)
    event = db.session.get(Event, message.event_id)
    locale = message.locale
    links = {
        ReminderReason.EMPTY_PROFILE: external_url("firms.edit", firm_id=person.firm_id),
        ReminderReason.NO_REQUEST_SENT: external_url("firms.matches", firm_id=person.firm_id, event=event.slug),
        ReminderReason.AWAITING_ANSWER: external_url("requests.inbox", event=event.slug),
    }
    items = [(reason, count, links[reason]) for reason, count in message.payload["reasons"]]
    with force_locale(locale):
        subject = _("%(event)s: a reminder from the organisers", event=event.display_name(locale))
        context = dict(person=person, event=event, items=items, locale=locale, headline=subject,
                       deadline=deadline_text(event, locale), public_url=external_url("rounds.public_page", slug=event.slug))
        text = render_template("onboarding/reminder_mail.txt", **context)
        html = render_template("onboarding/reminder_mail.html", **context)
    email = new_email(message, subject)
    set_bodies(email, text, html, locale)
    return email
