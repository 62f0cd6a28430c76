"""Exhibitions at the Mashhad International Exhibition Center, with revision history."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.base import Shown, UTCDateTime, in_language, link_table, utcnow
from planner.models.enums import ExhibitionStatus
from planner.models.taxonomy import Sector

EXHIBITION_STATUSES = tuple(ExhibitionStatus)

exhibition_sectors = link_table("exhibition_sector", "exhibition", "sector", right_key="code", right_ondelete=None)


class Exhibition(Shown, db.Model):
    __tablename__ = "exhibition"
    __repr_attrs__ = ("key",)

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
        return in_language(self, "title", locale)

    def venue_name(self, locale: str) -> str:
        return in_language(self, "venue", locale, fallback="venue")

    @property
    def uid(self) -> str:
        return f"exhibition-{self.key}@karvan"


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
