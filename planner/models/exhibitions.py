"""Exhibitions at the Mashhad International Exhibition Center, with revision history."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.base import UTCDateTime, utcnow
from planner.models.enums import ExhibitionStatus
from planner.models.taxonomy import Sector

EXHIBITION_STATUSES = tuple(ExhibitionStatus)

exhibition_sectors = Table(
    "exhibition_sector",
    db.metadata,
    Column("exhibition_id", ForeignKey("exhibition.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_code", ForeignKey("sector.code"), primary_key=True),
)


class Exhibition(db.Model):
    __tablename__ = "exhibition"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    title_fa: Mapped[str] = mapped_column(String(300))
    title_ru: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    venue: Mapped[str] = mapped_column(String(300))  # in English (Latin script)
    venue_fa: Mapped[str | None] = mapped_column(String(300))
    venue_ru: Mapped[str | None] = mapped_column(String(300))
    halls: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_date: Mapped[date]
    end_date: Mapped[date]
    opening_time: Mapped[time | None]
    closing_time: Mapped[time | None]
    status: Mapped[str] = mapped_column(String(12), default="planned")
    # "verified" or "illustrative": how sure the chamber is about this edition's dates.
    mark: Mapped[str] = mapped_column(String(12), default="illustrative")
    basis: Mapped[str | None] = mapped_column(Text)
    # Raised on every change of dates, place or status so calendar clients update the entry.
    sequence: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    sectors: Mapped[list[Sector]] = relationship(secondary=exhibition_sectors, order_by=Sector.code)
    revisions: Mapped[list[ExhibitionRevision]] = relationship(
        back_populates="exhibition", cascade="all, delete-orphan", order_by="ExhibitionRevision.changed_at"
    )

    def title(self, locale: str) -> str:
        return getattr(self, f"title_{locale}", None) or self.title_en

    def venue_name(self, locale: str) -> str:
        return getattr(self, f"venue_{locale}", None) or self.venue

    @property
    def uid(self) -> str:
        return f"exhibition-{self.key}@karvan"

    def __repr__(self) -> str:
        return f"<Exhibition {self.key}>"


class ExhibitionRevision(db.Model):
    """One change to an exhibition: which fields moved from what to what."""

    __tablename__ = "exhibition_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibition_id: Mapped[int] = mapped_column(ForeignKey("exhibition.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # {field: [old, new]}
    note: Mapped[str | None] = mapped_column(Text)

    exhibition: Mapped[Exhibition] = relationship(back_populates="revisions")
