"""B2B events (rounds held on exhibition days) and their resources: sessions, slots,
tables, interpreters, registered firms, and closures that block days."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.base import Shown, UTCDateTime, link_table, localized, utcnow
from planner.models.enums import RegistrationStatus

WHO_CAN_MEET = ("cross-region", "any")
REQUEST_MODES = ("mutual-accept", "auto-accept", "organiser-approval")


class Event(Shown, db.Model):
    __tablename__ = "event"
    __repr_attrs__ = ("slug",)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[dict] = mapped_column(JSON, default=dict)  # {lang: text}
    exhibition_id: Mapped[int | None] = mapped_column(ForeignKey("exhibition.id"))
    start_date: Mapped[date]
    end_date: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(60), default="Asia/Tehran")
    venue: Mapped[str | None] = mapped_column(String(300))
    slot_minutes: Mapped[int] = mapped_column(default=25)
    break_minutes: Mapped[int] = mapped_column(default=5)
    who_can_meet: Mapped[str] = mapped_column(String(20), default="cross-region")
    min_meetings: Mapped[int] = mapped_column(default=0)
    max_meetings: Mapped[int | None]
    request_mode: Mapped[str] = mapped_column(String(20), default="mutual-accept")
    max_open_requests: Mapped[int] = mapped_column(default=20)
    # Add optional meetings with the best-scoring partners for firms below their minimum.
    suggest_for_shortfall: Mapped[bool] = mapped_column(default=False)
    # Province of the venue: its closures (Closure.region_key) block the event's days.
    region_key: Mapped[str] = mapped_column(String(40), default="khorasan-razavi")
    # ISO days the organiser opened although a holiday, Friday or closure blocks them.
    open_days: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Optimistic lock of the published schedule: every publish raises it by one.
    schedule_revision: Mapped[int] = mapped_column(default=0)
    # The event day: people not checked in this many minutes before their first meeting are
    # flagged at the desk; feedback forms answer until the organiser closes them.
    checkin_grace_minutes: Mapped[int] = mapped_column(default=15, server_default="15")
    feedback_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The life cycle (planner.events.lifecycle): firms join and send requests until the deadline
    # (organisers always may); with `approve_firms` a firm that joins waits for an organiser's
    # approval; an archived round is hidden from lists and pickers, organisers still read it.
    registration_deadline_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approve_firms: Mapped[bool] = mapped_column(default=False, server_default=false())
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    exhibition = relationship("Exhibition")
    sessions: Mapped[list[EventSession]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventSession.start_dt"
    )
    tables: Mapped[list[MeetingTable]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="MeetingTable.position"
    )
    interpreters: Mapped[list[Interpreter]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Interpreter.id"
    )
    registrations: Mapped[list[EventRegistration]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )

    def display_name(self, locale: str) -> str:
        return localized(self.name, locale) or self.slug

    @property
    def taking_part(self) -> list[EventRegistration]:
        """The registrations of firms that take part (approved), in registration order."""
        return [registration for registration in self.registrations if registration.takes_part]

    @property
    def days(self) -> list[date]:
        """Every calendar day from `start_date` to `end_date`, both included (blocked days too:
        `planner.events.services.usable_days` says which of them can hold meetings)."""
        return [self.start_date + timedelta(days=n) for n in range((self.end_date - self.start_date).days + 1)]

    def meeting_bounds(self, registration: EventRegistration | None) -> tuple[int, int | None]:
        """(minimum, maximum) meetings of a registered firm: the registration's own bound where
        it sets one, else the event's; no maximum is None. The one home of this rule."""
        low = registration.min_meetings if registration is not None and registration.min_meetings is not None else self.min_meetings
        high = registration.max_meetings if registration is not None and registration.max_meetings is not None else self.max_meetings
        return low or 0, high

    def venue_name(self, locale: str) -> str:
        """The venue in the reader's language when it is the exhibition's venue."""
        if self.exhibition is not None and (not self.venue or self.venue == self.exhibition.venue):
            return self.exhibition.venue_name(locale)
        return self.venue or ""


class EventSession(db.Model):
    """A block of consecutive slots on one day, e.g. the morning before the show opens."""

    __tablename__ = "event_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(120))
    start_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    end_dt: Mapped[datetime] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship(back_populates="sessions")
    # The session's current cut: a slot retired by a change of slot length stays only for the
    # meetings (called off, or in older versions) that still name it.
    slots: Mapped[list[Slot]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Slot.start_dt",
        primaryjoin="and_(EventSession.id == Slot.session_id, Slot.retired_at.is_(None))",
    )


class Slot(db.Model):
    __tablename__ = "slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("event_session.id", ondelete="CASCADE"), index=True)
    start_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    end_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when a change of slot length re-cut the session and meetings still named this slot
    # (see `scheduling.recut`); a retired slot is in no session's `slots`.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[EventSession] = relationship(back_populates="slots")


class MeetingTable(db.Model):
    """A table in the B2B hall; a host table belongs to a firm that stays at its stand."""

    __tablename__ = "meeting_table"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    hall: Mapped[str | None] = mapped_column(String(120))
    host_firm_id: Mapped[int | None] = mapped_column(ForeignKey("firm.id"))

    event: Mapped[Event] = relationship(back_populates="tables")
    host_firm = relationship("Firm")


interpreter_unavailable = link_table("interpreter_unavailable", "interpreter", "slot")


class Interpreter(db.Model):
    __tablename__ = "interpreter"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_latin: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)

    event: Mapped[Event] = relationship(back_populates="interpreters")
    unavailable_slots: Mapped[list[Slot]] = relationship(secondary=interpreter_unavailable)


class EventRegistration(db.Model):
    """A firm registered for an event, with optional per-firm meeting bounds. It takes part once
    approved (at once, unless the round asks organisers to approve firms)."""

    __tablename__ = "event_registration"
    __table_args__ = (UniqueConstraint("event_id", "firm_id", name="uq_event_registration_event_firm"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    min_meetings: Mapped[int | None]
    max_meetings: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default=RegistrationStatus.APPROVED,
                                        server_default=RegistrationStatus.APPROVED.value)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # an organiser approved or refused
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(back_populates="registrations")
    firm = relationship("Firm")

    @hybrid_property
    def takes_part(self) -> bool:
        """Approved: offered as a match, makes requests, scheduled. The one home of this rule.
        (A row not yet flushed has no status and gets the default, approved.)"""
        return self.status not in (RegistrationStatus.PENDING, RegistrationStatus.REFUSED)

    @takes_part.inplace.expression
    @classmethod
    def _takes_part_expression(cls):
        return cls.status == RegistrationStatus.APPROVED


class Attendance(db.Model):
    """A person's registration for one round: the days they attend it. No row, or `days`
    None, means every day of the round; an empty list means none. Attendance belongs to a
    person in a round, so editing one round (or a firm's profile) never touches another's."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("participant_id", "event_id", name="uq_attendance_participant_event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    days: Mapped[list[str] | None] = mapped_column(JSON)  # ISO dates of the round's days

    participant = relationship("Participant", back_populates="attendances")
    event: Mapped[Event] = relationship()


class Closure(db.Model):
    """A day blocked at short notice (e.g. a provincial closure), beside the national holidays."""

    __tablename__ = "closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    region_key: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)


class DeletedSetupItem(db.Model):
    """A session, table, interpreter or closure deleted from a round's setup page, kept so the
    organiser can undo the deletion (`events.undo`): `payload` holds the rows as they were,
    ids and links included. `restored_at` is set by the one undo that restores it."""

    __tablename__ = "deleted_setup_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # a `DeletedKind` value
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    restored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
