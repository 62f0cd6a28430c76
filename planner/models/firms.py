"""Regions, delegations, firms, their people and their coded needs and capabilities."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from planner.extensions import db
from planner.models.base import Shown, UTCDateTime, in_language, link_table, localized, utcnow
from planner.models.enums import FirmSize
from planner.models.taxonomy import Product, Sector

if TYPE_CHECKING:  # the round side of attendance lives with the rounds
    from planner.models.events import Attendance, Event, Interpreter

FIRM_SIZES = tuple(FirmSize)


class Region(Shown, db.Model):
    __tablename__ = "region"
    __repr_attrs__ = ("key",)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name_fa: Mapped[str] = mapped_column(String(120))
    name_ru: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    timezone: Mapped[str] = mapped_column(String(60))  # IANA name, e.g. Asia/Yekaterinburg
    # ISO 639-1 language whose script the region's firms write their native names in
    # ("fa" for Khorasan Razavi, "ru" for Chelyabinsk, "kk" for a Kazakh region).
    native_locale: Mapped[str] = mapped_column(String(8), default="en")
    archived: Mapped[bool] = mapped_column(default=False)

    def name(self, locale: str) -> str:
        return in_language(self, "name", locale)


firm_sectors = link_table("firm_sector", "firm", "sector", right_key="code", right_ondelete=None)
delegation_members = link_table("delegation_member", "delegation", "participant")
delegation_events = link_table("delegation_event", "delegation", "event")
delegation_interpreters = link_table("delegation_interpreter", "delegation", "interpreter")


class Delegation(db.Model):
    """A visit: a region's group (head, members) travelling in a window to attend some rounds,
    with interpreters of its own. A person can belong to several visits over the years; the
    travel window limits their days only in the rounds this visit attends."""

    __tablename__ = "delegation"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    name: Mapped[dict] = mapped_column(JSON, default=dict)  # {lang: text}
    head_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", use_alter=True))
    travel_start: Mapped[date | None]
    travel_end: Mapped[date | None]
    # Secret for the delegation's calendar feed URL; rotating it revokes old links.
    feed_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    archived: Mapped[bool] = mapped_column(default=False)

    region: Mapped[Region] = relationship()
    head: Mapped[Participant | None] = relationship(foreign_keys=[head_id], post_update=True)
    members: Mapped[list[Participant]] = relationship(
        secondary=delegation_members, back_populates="delegations", order_by="Participant.id"
    )
    events: Mapped[list[Event]] = relationship(secondary=delegation_events, order_by="Event.start_date")
    interpreters: Mapped[list[Interpreter]] = relationship(secondary=delegation_interpreters)

    def attends(self, event_id: int) -> bool:
        """Whether this visit attends round `event_id` (its travel window applies there)."""
        return any(event.id == event_id for event in self.events)

    def away_on(self, day: date) -> bool:
        """Whether `day` is outside the travel window."""
        return bool((self.travel_start and day < self.travel_start) or (self.travel_end and day > self.travel_end))

    def display_name(self, locale: str) -> str:
        return localized(self.name, locale)


class Firm(Shown, db.Model):
    __tablename__ = "firm"
    __repr_attrs__ = ("id", "name_latin")

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(80), unique=True)
    name_native: Mapped[str] = mapped_column(String(200))
    name_latin: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    city_latin: Mapped[str | None] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(300))
    size: Mapped[str] = mapped_column(String(10), default=FirmSize.SMALL)
    founded: Mapped[int | None]
    description: Mapped[dict] = mapped_column(JSON, default=dict)  # {lang: text}
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Public firms appear in the directory (public fields only); contacts are never public.
    public: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    region: Mapped[Region] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=firm_sectors, order_by=Sector.code)
    participants: Mapped[list[Participant]] = relationship(
        back_populates="firm", cascade="all, delete-orphan", order_by="Participant.id"
    )
    capabilities: Mapped[list[Capability]] = relationship(
        back_populates="firm", cascade="all, delete-orphan", order_by="Capability.id"
    )
    needs: Mapped[list[Need]] = relationship(back_populates="firm", cascade="all, delete-orphan", order_by="Need.id")

    @property
    def native_locale(self) -> str | None:
        """The language of the firm's native-script names: its region's."""
        return self.region.native_locale if self.region is not None else None

    def display_name(self, locale: str) -> str:
        """The native-script name for readers of that script, else the Latin one."""
        return self.name_native if locale == self.native_locale else self.name_latin


class Participant(db.Model):
    """A person who represents a firm at events."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(120))
    last_name: Mapped[str] = mapped_column(String(120))
    first_name_latin: Mapped[str | None] = mapped_column(String(120))
    last_name_latin: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[dict] = mapped_column(JSON, default=dict)  # {lang: text}
    email: Mapped[str] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    feed_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    firm: Mapped[Firm] = relationship(back_populates="participants")
    delegations: Mapped[list[Delegation]] = relationship(secondary=delegation_members, back_populates="members")
    attendances: Mapped[list[Attendance]] = relationship(back_populates="participant", cascade="all, delete-orphan")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name_latin(self) -> str:
        latin = f"{self.first_name_latin or ''} {self.last_name_latin or ''}".strip()
        return latin or self.full_name

    def display_name(self, locale: str) -> str:
        native_locale = self.firm.native_locale if self.firm is not None else None
        return self.full_name if locale == native_locale else self.full_name_latin

    @property
    def home_timezone(self) -> str:
        return self.firm.region.timezone

    def attending_days(self, event_id: int) -> list[str] | None:
        """The ISO days this person attends round `event_id`; None means every day."""
        row = next((row for row in self.attendances if row.event_id == event_id), None)
        return None if row is None else row.days

    def visits_to(self, event_id: int) -> list[Delegation]:
        """The visits (delegations) this person belongs to that attend round `event_id`."""
        return [delegation for delegation in self.delegations if delegation.attends(event_id)]

    def attends(self, event_id: int, day: date) -> bool:
        days = self.attending_days(event_id)
        return days is None or day.isoformat() in days


class _Interest:
    """Shared columns of what a firm offers (Capability) or seeks (Need).

    Exactly one of product_code (HS) and sector_code (ISIC) is set.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    product_code: Mapped[str | None] = mapped_column(ForeignKey("product.code"))
    sector_code: Mapped[str | None] = mapped_column(ForeignKey("sector.code"))
    note: Mapped[dict] = mapped_column(JSON, default=dict)  # {lang: text}
    volume: Mapped[str | None] = mapped_column(String(120))
    certification: Mapped[str | None] = mapped_column(String(120))

    @declared_attr
    def firm_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def product(cls) -> Mapped[Product | None]:
        return relationship()

    @declared_attr
    def sector(cls) -> Mapped[Sector | None]:
        return relationship()

    @declared_attr.directive
    def __table_args__(cls):
        return (
            CheckConstraint(
                "(product_code IS NULL) <> (sector_code IS NULL)", name="one_code"
            ),
        )

    @property
    def kind(self) -> str:
        return "product" if self.product_code else "sector"

    @property
    def code(self) -> str:
        return self.product_code or self.sector_code or ""

    @property
    def node(self):
        return self.product if self.product_code else self.sector


class Capability(_Interest, db.Model):
    __tablename__ = "capability"
    firm: Mapped[Firm] = relationship(back_populates="capabilities")


class Need(_Interest, db.Model):
    __tablename__ = "need"
    firm: Mapped[Firm] = relationship(back_populates="needs")
