"""Meeting requests, schedule versions, scheduled meetings, solve jobs and outcomes."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.base import UTCDateTime, link_table, utcnow
from planner.models.enums import JobStatus, RequestPriority, RequestStatus, VersionStatus
from planner.models.shapes import SolveProgress, UnscheduledEntry, VersionStats

REQUEST_PRIORITIES = tuple(RequestPriority)
REQUEST_STATUSES = tuple(RequestStatus)
VERSION_STATUSES = tuple(VersionStatus)
JOB_STATUSES = tuple(JobStatus)


class MeetingRequest(db.Model):
    __tablename__ = "meeting_request"
    __table_args__ = (
        UniqueConstraint("event_id", "requester_firm_id", "target_firm_id", name="uq_meeting_request_pair"),
        # One live request per pair in either direction, held by the database under concurrent
        # requests (two firms asking each other at the same moment): `live_pair` is the pair
        # "low-high" while the request is pending or accepted, else NULL (NULLs never collide).
        UniqueConstraint("event_id", "live_pair", name="uq_meeting_request_live_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    requester_firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id"), index=True)
    target_firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id"), index=True)
    priority: Mapped[str] = mapped_column(String(12), default=RequestPriority.WOULD_LIKE)
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=RequestStatus.PENDING, index=True)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    # Who pressed the button: a firm member, or an organiser acting on a firm's behalf.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    score: Mapped[float | None]
    # Made by the scheduler from a match suggestion for a firm below its minimum.
    suggested: Mapped[bool] = mapped_column(default=False)
    # Set when a backfill proposed this meeting on the day (a freed partner's new meeting).
    proposed_on: Mapped[date | None]
    # Highest iCalendar SEQUENCE sent for this meeting's UID (publish raises it on every
    # change of time, place or status, including cancellation); -1 until first published.
    ical_sequence: Mapped[int] = mapped_column(default=-1)
    # The iCalendar UID, fixed at first publish: the installation's domain and a random part,
    # so that two installations or a re-seeded database never share one.
    ical_uid: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    live_pair: Mapped[str | None] = mapped_column(String(41))  # set at every flush, see _set_live_pair

    event = relationship("Event")
    requester_firm = relationship("Firm", foreign_keys=[requester_firm_id])
    target_firm = relationship("Firm", foreign_keys=[target_firm_id])

    @property
    def uid(self) -> str:
        """The stable iCalendar UID of the meeting this request leads to, across versions
        (set by the first publish; see `timetables.feeds.assign_uid`)."""
        return self.ical_uid or f"karvan-meeting-{self.id}@unpublished.invalid"


def live_pair_key(firm_a: int, firm_b: int) -> str:
    """The pair's key in `MeetingRequest.live_pair`, the same in either direction."""
    low, high = sorted((int(firm_a), int(firm_b)))
    return f"{low}-{high}"


@event.listens_for(MeetingRequest, "before_insert")
@event.listens_for(MeetingRequest, "before_update")
def _set_live_pair(_mapper, _connection, row: MeetingRequest) -> None:
    # At flush, from the row's own columns, so no code path that changes a status can forget it.
    live = (row.status or RequestStatus.PENDING) in (RequestStatus.PENDING, RequestStatus.ACCEPTED)
    row.live_pair = live_pair_key(row.requester_firm_id, row.target_firm_id) if live else None


class ScheduleVersion(db.Model):
    __tablename__ = "schedule_version"
    __table_args__ = (UniqueConstraint("event_id", "number", name="uq_schedule_version_event_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default=VersionStatus.DRAFT, index=True)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_version.id"))
    solve_job_id: Mapped[int | None] = mapped_column(ForeignKey("solve_job.id", use_alter=True))
    stats: Mapped[VersionStats] = mapped_column(JSON, default=dict)
    unscheduled: Mapped[list[UnscheduledEntry]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Optimistic lock: publishing checks the number the organiser saw.
    lock_version: Mapped[int] = mapped_column(default=0)

    event = relationship("Event")
    meetings: Mapped[list[Meeting]] = relationship(back_populates="version", cascade="all, delete-orphan")

    @property
    def live_meetings(self) -> list[Meeting]:
        """The meetings that will happen: all of them but those called off after publication."""
        return [m for m in self.meetings if m.cancelled_at is None]


meeting_participants = link_table("meeting_participant", "meeting", "participant")


class Meeting(db.Model):
    """A meeting placed in one schedule version. The same request keeps the same UID in
    every version; SEQUENCE rises whenever time, place or status changes."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("schedule_version.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("meeting_request.id"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slot.id"))
    table_id: Mapped[int] = mapped_column(ForeignKey("meeting_table.id"))
    interpreter_id: Mapped[int | None] = mapped_column(ForeignKey("interpreter.id"))
    locked: Mapped[bool] = mapped_column(default=False)
    sequence: Mapped[int] = mapped_column(default=0)
    # Set when a published meeting is called off by a change after publication (a withdrawal,
    # a firm leaving, an interpreter unavailable…): timetables and feeds leave it out at once.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(30))

    version: Mapped[ScheduleVersion] = relationship(back_populates="meetings")
    request = relationship("MeetingRequest")
    slot = relationship("Slot")
    table = relationship("MeetingTable")
    interpreter = relationship("Interpreter")
    participants = relationship("Participant", secondary=meeting_participants, order_by="Participant.id")

    @property
    def uid(self) -> str:
        return self.request.uid

    @property
    def live(self) -> bool:
        """Not called off after publication."""
        return self.cancelled_at is None


class SolveJob(db.Model):
    """A scheduler run. Its state lives here so any web worker can show progress."""

    __tablename__ = "solve_job"
    # One run (scheduler or backfill) per round at a time, also when two start at the same moment.
    __table_args__ = (Index("uq_solve_job_active", "event_id", unique=True,
                            sqlite_where=text("status IN ('queued', 'running')"),
                            postgresql_where=text("status IN ('queued', 'running')")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=JobStatus.QUEUED, index=True)
    time_limit_s: Mapped[float] = mapped_column(default=30.0)
    progress: Mapped[SolveProgress] = mapped_column(JSON, default=dict)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str | None] = mapped_column(Text)
    result_version_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_version.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the worker was alive then
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Outcome(db.Model):
    """What came of a meeting, as one side (firm) saw it: held or not, how useful (1–5), the
    follow-up agreed and a note. Marked held at the table during the day, completed through
    the feedback form after the round; one row per meeting (request) and side. Rows from
    before sides were recorded have no firm."""

    __tablename__ = "outcome"
    __table_args__ = (UniqueConstraint("request_id", "firm_id", name="uq_outcome_request_firm"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("meeting_request.id", ondelete="CASCADE"), index=True)
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    held: Mapped[bool | None]
    rating: Mapped[int | None]  # usefulness, 1 (not useful) to 5 (very useful)
    follow_up: Mapped[str | None] = mapped_column(String(20))  # a FollowUp value
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(10))  # an OutcomeSource value
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    request = relationship("MeetingRequest")
    firm = relationship("Firm")
    participant = relationship("Participant")
