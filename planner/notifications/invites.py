"""Calendar invitations and notices by e-mail.

After every publish, `queue_publish_notices()` compares the new version with the previous
one and queues one message per participant whose meetings changed, in their language: a
METHOD:REQUEST part for meetings that are new to them or changed (same UID, the stored
SEQUENCE), a METHOD:CANCEL part for meetings they no longer have (same UID, higher SEQUENCE,
STATUS:CANCELLED), and their timetable as a PDF. Matching (requests sent, accepted,
declined, withdrawn) notifies firms through `send_request_notice()`. Both go through the
mail service: rows now, delivery by a background job after the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import Event, Meeting, MeetingRequest, OutgoingMessage, Participant, ScheduleVersion
from planner.models.enums import MailKind
from planner.notifications.outbox import composer, new_email, queue_message, set_bodies
from planner.text.i18n import _
from planner.timetables.entries import (
    Entry,
    _entry,
    meeting_people,
    participant_pdf,
    recipient_locale,
    version_meetings,
)
from planner.timetables.feeds import ics_record, organiser
from planner.timetables.ics import cancel_ics, request_ics

REQUEST_NOTICE_EVENTS = ("created", "accepted", "declined", "withdrawn")


@dataclass
class Changes:
    """What changed for one participant between two versions (request ids)."""

    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def _by_person(meetings: list[Meeting]) -> dict[int, dict[int, Meeting]]:
    """{participant id: {request id: meeting}} — who attends what in one version."""
    result: dict[int, dict[int, Meeting]] = {}
    for meeting in meetings:
        for person in meeting_people(meeting):
            result.setdefault(person.id, {})[meeting.request_id] = meeting
    return result


def _signature(meeting: Meeting) -> tuple:
    """What a reader of the invitation would notice: time, place, interpreter, people, SEQUENCE."""
    return (meeting.slot_id, meeting.table_id, meeting.interpreter_id, meeting.sequence,
            tuple(sorted(p.id for p in meeting_people(meeting))))


def diff_versions(new: list[Meeting], old: list[Meeting]) -> dict[int, Changes]:
    """Per participant id, the meetings added, changed and removed from `old` to `new`."""
    new_people, old_people = _by_person(new), _by_person(old)
    result: dict[int, Changes] = {}
    for person_id in sorted(set(new_people) | set(old_people)):
        now, before = new_people.get(person_id, {}), old_people.get(person_id, {})
        changes = Changes(
            added=sorted(set(now) - set(before)),
            changed=sorted(r for r in set(now) & set(before) if _signature(now[r]) != _signature(before[r])),
            removed=sorted(set(before) - set(now)),
        )
        if changes:
            result[person_id] = changes
    return result


def cancel_sequence(request: MeetingRequest, old: Meeting, new: Meeting | None) -> int:
    """A CANCEL must outrank what the reader holds: the request's raised sequence at least."""
    return max(request.ical_sequence, old.sequence + 1, new.sequence if new is not None else 0)


def queue_publish_notices(event_id: int, published_version_id: int, previous_version_id: int | None) -> list[OutgoingMessage]:
    """Queue one schedule-update message per affected participant (called after every publish).

    Flushes the message rows; delivery jobs start when the caller commits.
    """
    event = db.session.get(Event, event_id)
    version = db.session.get(ScheduleVersion, published_version_id)
    if event is None or version is None or version.event_id != event.id:
        raise ServiceError(_("This schedule version does not belong to the event."))
    previous = db.session.get(ScheduleVersion, previous_version_id) if previous_version_id else None
    new_meetings = version_meetings(version)
    old_meetings = version_meetings(previous)
    new_by_request = {m.request_id: m for m in new_meetings}
    old_by_request = {m.request_id: m for m in old_meetings}
    messages = []
    for person_id, changes in diff_versions(new_meetings, old_meetings).items():
        person = db.session.get(Participant, person_id)
        if person is None or not person.email:
            continue
        cancels = [
            {"request_id": rid, "sequence": cancel_sequence(old_by_request[rid].request, old_by_request[rid], new_by_request.get(rid))}
            for rid in changes.removed
        ]
        payload = {
            "version_id": version.id, "previous_version_id": previous.id if previous else None,
            "added": changes.added, "changed": changes.changed, "cancel": cancels,
        }
        messages.append(queue_message(kind=MailKind.SCHEDULE_UPDATE, recipient=person.email, locale=recipient_locale(person),
                                      payload=payload, event_id=event.id, participant_id=person.id))
    return messages


def _entries(meetings: list[Meeting], request_ids: list[int], person: Participant) -> list[Entry]:
    wanted = set(request_ids)
    return sorted((_entry(m, person.firm) for m in meetings if m.request_id in wanted), key=lambda e: e.start)


def _attach_calendar(email: EmailMessage, ics: bytes, method: str, filename: str) -> None:
    email.add_attachment(ics, maintype="text", subtype="calendar", filename=filename,
                         params={"method": method, "charset": "UTF-8"})


@composer(MailKind.SCHEDULE_UPDATE)
def compose_schedule_update(message: OutgoingMessage) -> EmailMessage:
    """Text and HTML summary, the REQUEST and/or CANCEL calendar parts, and the PDF timetable."""
    person = db.session.get(Participant, message.participant_id)
    event = db.session.get(Event, message.event_id)
    payload = message.payload
    locale = message.locale
    new_meetings = version_meetings(db.session.get(ScheduleVersion, payload["version_id"]))
    previous_id = payload.get("previous_version_id")
    old_meetings = version_meetings(db.session.get(ScheduleVersion, previous_id)) if previous_id else []
    added = _entries(new_meetings, payload["added"], person)
    changed = _entries(new_meetings, payload["changed"], person)
    sequences = {item["request_id"]: item["sequence"] for item in payload["cancel"]}
    cancelled = _entries(old_meetings, list(sequences), person)
    home = person.home_timezone
    with force_locale(locale):
        subject = _("Your meetings at %(event)s have changed", event=event.display_name(locale))
        calendar_name = event.display_name(locale)
        context = dict(person=person, event=event, added=added, changed=changed, cancelled=cancelled,
                       home_zone=home, locale=locale)
        text = render_template("mail/schedule_update.txt", **context)
        html = render_template("mail/schedule_update.html", **context)
        requests = [ics_record(event, e, locale, home) for e in added + changed]
        cancels = [ics_record(event, e, locale, home, sequence=sequences[e.meeting.request_id], status="CANCELLED")
                   for e in cancelled]
    email = new_email(message, subject)
    set_bodies(email, text, html)
    parts = []
    if requests:
        parts.append(("REQUEST", request_ics(requests, calendar_name=calendar_name, organiser=organiser()), "meetings.ics"))
    if cancels:
        parts.append(("CANCEL", cancel_ics(cancels, calendar_name=calendar_name, organiser=organiser()), "cancelled.ics"))
    if parts:
        method, ics, _name = parts[0]
        email.add_alternative(ics, maintype="text", subtype="calendar", params={"method": method, "charset": "UTF-8"})
    for method, ics, filename in parts:
        _attach_calendar(email, ics, method, filename)
    email.add_attachment(participant_pdf(event, person, locale), maintype="application", subtype="pdf",
                         filename=f"timetable-{event.slug}-p{person.id}.pdf")
    return email


# --- request notices (matching) -------------------------------------------------------------

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
    set_bodies(email, text, html)
    return email


def messages_for(participant_id: int) -> list[OutgoingMessage]:
    return list(db.session.scalars(
        select(OutgoingMessage).where(OutgoingMessage.participant_id == participant_id).order_by(OutgoingMessage.id)
    ))
