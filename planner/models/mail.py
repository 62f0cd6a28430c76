"""Outgoing e-mail: one row per message, with its delivery state and attempts.

Messages are composed once (the MIME bytes are kept) and delivered by a background job, so
a retry sends exactly what the first attempt tried to send.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.base import Shown, UTCDateTime, utcnow
from planner.models.enums import MailKind, MailState

MAIL_STATES = tuple(MailState)
MAIL_KINDS = tuple(MailKind)


class OutgoingMessage(Shown, db.Model):
    __tablename__ = "outgoing_message"
    __repr_attrs__ = ("id", "kind", "recipient", "state")

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"), index=True)
    # The published version the message belongs to (its publish, or a change after it), so
    # the organiser sees per publish what was queued, sent and failed.
    version_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_version.id", ondelete="SET NULL"), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str | None] = mapped_column(String(300))
    # What the message is about, JSON-friendly: version ids, request ids and their sequences.
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    # The composed RFC 5322 message, kept so that retries resend the same bytes.
    mime: Mapped[bytes | None] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(10), default=MailState.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the last attempt started; a "sending" row whose attempt is older than
    # MAIL_CLAIM_TIMEOUT_S belongs to a deliverer that died and may be taken over.
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event = relationship("Event")
    participant = relationship("Participant")


class ReminderBatch(db.Model):
    """One confirmed send of reminders in a round. The preview's token is unique, so confirming
    the same preview twice (a double submit, two tabs) sends the reminders once."""

    __tablename__ = "reminder_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)  # ReminderReason values
    messages: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event = relationship("Event")
