"""The event day: who came on which day of a round."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.base import UTCDateTime, utcnow
from planner.models.enums import AttendanceStatus


class DayPresence(db.Model):
    """A participant checked in (present) or confirmed absent on one day of a round."""

    __tablename__ = "day_presence"
    __table_args__ = (UniqueConstraint("event_id", "participant_id", "day", name="uq_day_presence_event_person_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default=AttendanceStatus.PRESENT)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    event = relationship("Event")
    participant = relationship("Participant")

    @property
    def present(self) -> bool:
        return self.status == AttendanceStatus.PRESENT
