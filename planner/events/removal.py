"""Deleting a round while nothing of it was ever published: what would go (the confirmation
page's counts) and the deletion itself. A round that published a schedule has sent invitations
and feeds to people; it can be archived, never deleted. Functions flush; the view commits."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import (
    Attendance,
    DayPresence,
    DeletedSetupItem,
    Event,
    EventRegistration,
    EventSession,
    Interpreter,
    Meeting,
    MeetingRequest,
    MeetingTable,
    Outcome,
    OutgoingMessage,
    ReminderBatch,
    ScheduleVersion,
    Slot,
    SolveJob,
    delegation_events,
    delegation_interpreters,
)
from planner.models.events import interpreter_unavailable
from planner.models.meetings import meeting_participants
from planner.text.i18n import _


@dataclass(frozen=True)
class DeletionSummary:
    """What deleting a round takes with it (counts), and whether it may be deleted."""

    sessions: int
    slots: int
    tables: int
    interpreters: int
    registrations: int
    requests: int
    drafts: int
    published: bool

    @property
    def allowed(self) -> bool:
        return not self.published


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def ever_published(event: Event) -> bool:
    """Whether a schedule of the round was ever published (a superseded version was, too)."""
    return _count(ScheduleVersion, ScheduleVersion.event_id == event.id, ScheduleVersion.published_at.is_not(None)) > 0


def deletion_summary(event: Event) -> DeletionSummary:
    """The counts the confirmation page shows before a round is deleted."""
    sessions = select(EventSession.id).where(EventSession.event_id == event.id)
    return DeletionSummary(
        sessions=_count(EventSession, EventSession.event_id == event.id),
        slots=_count(Slot, Slot.session_id.in_(sessions)),
        tables=_count(MeetingTable, MeetingTable.event_id == event.id),
        interpreters=_count(Interpreter, Interpreter.event_id == event.id),
        registrations=_count(EventRegistration, EventRegistration.event_id == event.id),
        requests=_count(MeetingRequest, MeetingRequest.event_id == event.id),
        drafts=_count(ScheduleVersion, ScheduleVersion.event_id == event.id),
        published=ever_published(event),
    )


def delete_event(event: Event) -> DeletionSummary:
    """Delete the round and everything that belongs only to it: sessions and slots, tables,
    interpreters, registrations, attendance, requests and their notices, draft versions,
    solver runs and the setup deletions kept for undo. Firms, people and delegations stay. ServiceError once a schedule of it was
    published. Rows are removed child first, so it works whether or not the database enforces
    its ON DELETE rules (SQLite does not, here)."""
    summary = deletion_summary(event)
    if not summary.allowed:
        raise ServiceError(_("A schedule of this round was published, so it cannot be deleted; archive it instead."))
    event_id = event.id
    versions = select(ScheduleVersion.id).where(ScheduleVersion.event_id == event_id)
    meetings = select(Meeting.id).where(Meeting.version_id.in_(versions))
    requests = select(MeetingRequest.id).where(MeetingRequest.event_id == event_id)
    interpreters = select(Interpreter.id).where(Interpreter.event_id == event_id)
    statements = [
        delete(meeting_participants).where(meeting_participants.c.meeting_id.in_(meetings)),
        delete(Meeting).where(Meeting.version_id.in_(versions)),
        # versions and solver runs point at each other
        update(SolveJob).where(SolveJob.event_id == event_id).values(result_version_id=None),
        update(ScheduleVersion).where(ScheduleVersion.event_id == event_id).values(solve_job_id=None, based_on_id=None),
        update(OutgoingMessage).where(OutgoingMessage.version_id.in_(versions)).values(version_id=None),
        delete(ScheduleVersion).where(ScheduleVersion.event_id == event_id),
        delete(SolveJob).where(SolveJob.event_id == event_id),
        delete(Outcome).where(Outcome.request_id.in_(requests)),
        delete(OutgoingMessage).where(OutgoingMessage.event_id == event_id),
        delete(MeetingRequest).where(MeetingRequest.event_id == event_id),
        delete(DayPresence).where(DayPresence.event_id == event_id),
        delete(Attendance).where(Attendance.event_id == event_id),
        delete(ReminderBatch).where(ReminderBatch.event_id == event_id),
        delete(DeletedSetupItem).where(DeletedSetupItem.event_id == event_id),
        delete(delegation_events).where(delegation_events.c.event_id == event_id),
        delete(delegation_interpreters).where(delegation_interpreters.c.interpreter_id.in_(interpreters)),
        delete(interpreter_unavailable).where(interpreter_unavailable.c.interpreter_id.in_(interpreters)),
        # every slot, the retired ones too (a re-cut keeps them out of their session's `slots`)
        delete(Slot).where(Slot.session_id.in_(select(EventSession.id).where(EventSession.event_id == event_id))),
    ]
    for statement in statements:
        db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.expire_all()  # rows loaded before (a person's attendance) are gone now
    try:
        db.session.delete(event)  # sessions, slots, tables, interpreters, registrations: the ORM's cascade
        db.session.flush()
    except (StaleDataError, ObjectDeletedError):  # a second confirm deleted it first: the caller rolls back
        raise ServiceError(_("This round was deleted at the same moment.")) from None
    return summary
