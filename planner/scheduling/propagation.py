"""Changes after publication: a published meeting that can no longer happen is called off at
once, without waiting for a new publish.

Whenever a fact a published schedule rests on changes (`planner.signals.schedule_facts_changed`:
a request withdrawn, a firm leaving the round, a person's days or membership, an interpreter's
availability, a closed day), `reconcile_published()` checks every live meeting of the round's
published version against today's rows, in the caller's transaction:

- a meeting that cannot happen is marked cancelled (`Meeting.cancelled_at`, `cancel_reason`):
  timetables and feeds leave it out from that commit on, its SEQUENCE rises and everyone on it
  gets a CANCEL;
- a person who can no longer attend a meeting that still happens (they no longer come that
  day) is taken off it and gets a CANCEL naming only them; the people who stay get the
  meeting's update (its new attendee list), as a publish would send it.

The organiser's board lists the called-off meetings as "needs attention" (their slots are free)
with a one-click re-plan: a scheduler run that stays as close as it can to the published
version, so the freed slots are filled with as few moves as possible.
"""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.events.services import usable_days
from planner.extensions import db
from planner.models import Event, Firm, Meeting, MeetingRequest, ScheduleVersion
from planner.models.base import utcnow
from planner.models.enums import CancelReason, RequestStatus, VersionStatus
from planner.notifications.invites import queue_meeting_cancellations
from planner.scheduling.versions import published_version
from planner.signals import participants_leaving, schedule_facts_changed
from planner.text.i18n import _l

REASON_LABELS = {
    CancelReason.WITHDRAWN: _l("the request was withdrawn"),
    CancelReason.FIRM_LEFT: _l("a firm left the round"),
    CancelReason.NO_PARTICIPANTS: _l("nobody of one firm attends that day any more"),
    CancelReason.INTERPRETER_UNAVAILABLE: _l("the interpreter is unavailable"),
    CancelReason.DAY_CLOSED: _l("the day is closed"),
    CancelReason.SLOT_CHANGED: _l("the slot length changed and its slot no longer exists"),
}


def cancel_reason_label(code: str | None) -> str:
    return str(REASON_LABELS.get(code, code or ""))


def _day(meeting: Meeting, zone: ZoneInfo) -> date:
    return meeting.slot.start_dt.astimezone(zone).date()


def _reason(meeting: Meeting, event: Event, registered: set[int], usable: set[date], zone: ZoneInfo) -> str | None:
    request = meeting.request
    if request.status != RequestStatus.ACCEPTED:
        return CancelReason.WITHDRAWN
    if not {request.requester_firm_id, request.target_firm_id} <= registered:
        return CancelReason.FIRM_LEFT
    if meeting.slot.retired_at is not None:  # a re-cut took its slot out (scheduling.recut)
        return CancelReason.SLOT_CHANGED
    if _day(meeting, zone) not in usable:
        return CancelReason.DAY_CLOSED
    if meeting.interpreter is not None and any(s.id == meeting.slot_id for s in meeting.interpreter.unavailable_slots):
        return CancelReason.INTERPRETER_UNAVAILABLE
    return None


def _raise_sequence(meeting: Meeting) -> None:
    request = meeting.request
    request.ical_sequence = max(request.ical_sequence, meeting.sequence) + 1
    meeting.sequence = request.ical_sequence


def reconcile_published(event: Event, leaving: frozenset[int] = frozenset()) -> list[Meeting]:
    """Call off the published meetings of `event` that can no longer happen and take people
    off meetings they can no longer attend (or who are `leaving`: participant ids about to be
    removed); queue the CANCELs. Flushes; returns the meetings called off now."""
    version = published_version(event)
    if version is None:
        return []
    zone = ZoneInfo(event.timezone)
    registered = {registration.firm_id for registration in event.taking_part}
    usable = usable_days(event)
    called_off = []
    for meeting in version.live_meetings:
        reason = _reason(meeting, event, registered, usable, zone)
        if reason is None:
            day = _day(meeting, zone)
            gone = [p for p in meeting.participants if not p.attends(event.id, day) or p.id in leaving]
            kept = [p for p in meeting.participants if p not in gone]
            firms = {meeting.request.requester_firm_id, meeting.request.target_firm_id}
            if meeting.participants and {p.firm_id for p in kept} != firms:
                reason = CancelReason.NO_PARTICIPANTS
            elif gone:
                meeting.participants = kept
                _raise_sequence(meeting)
                db.session.flush()
                queue_meeting_cancellations(meeting, gone)
                continue
        if reason is None:
            continue
        meeting.cancelled_at, meeting.cancel_reason = utcnow(), reason
        _raise_sequence(meeting)
        db.session.flush()
        queue_meeting_cancellations(meeting)
        called_off.append(meeting)
    return called_off


def needs_attention(version: ScheduleVersion | None) -> list[Meeting]:
    """The published version's meetings called off after publication (their slots are free)."""
    if version is None or version.status != VersionStatus.PUBLISHED:
        return []
    # only the called-off rows, with what the list names: never the whole version
    called_off = db.session.scalars(
        select(Meeting).where(Meeting.version_id == version.id, Meeting.cancelled_at.is_not(None))
        .options(selectinload(Meeting.slot), selectinload(Meeting.table),
                 selectinload(Meeting.request).selectinload(MeetingRequest.requester_firm).selectinload(Firm.region),
                 selectinload(Meeting.request).selectinload(MeetingRequest.target_firm).selectinload(Firm.region)))
    return sorted(called_off, key=lambda m: (m.slot.start_dt, m.table_id))


def _published_events() -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.id.in_(
        select(ScheduleVersion.event_id).where(ScheduleVersion.status == VersionStatus.PUBLISHED)))))


@schedule_facts_changed.connect
def _on_facts_changed(event_id: int | None) -> None:
    if event_id is not None:
        event = db.session.get(Event, event_id)
        events = [event] if event is not None else []
    else:
        events = _published_events()
    for event in events:
        reconcile_published(event)


@participants_leaving.connect
def _on_participants_leaving(participant_ids: list[int]) -> None:
    for event in _published_events():
        reconcile_published(event, frozenset(participant_ids))
