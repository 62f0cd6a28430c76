"""Shared column types and helpers for the models."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, ForeignKey, Table
from sqlalchemy.types import TypeDecorator

from planner.extensions import db


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored as naive UTC.

    SQLite keeps no offset and PostgreSQL's `timestamp` neither; storing naive UTC and
    re-attaching UTC on load gives the same aware value back on both.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def localized(texts: dict[str, str] | None, locale: str, fallback: tuple[str, ...] = ("en", "fa", "ru")) -> str:
    """Pick the text for `locale` from a {lang: text} mapping, falling back sensibly."""
    if not texts:
        return ""
    if texts.get(locale):
        return texts[locale]
    for lang in fallback:
        if texts.get(lang):
            return texts[lang]
    return next((text for text in texts.values() if text), "")


def in_language(row, field: str, locale: str, fallback: str | None = None) -> str:
    """A text stored once per language (`<field>_fa`, `<field>_ru`, `<field>_en`) in `locale`;
    where that one is empty, `fallback` (the attribute; `<field>_en` by default)."""
    return getattr(row, f"{field}_{locale}", None) or getattr(row, fallback or f"{field}_en")


class Shown:
    """A model mixin: a `repr` for the shell and logs, the class name and the attributes named in
    `__repr_attrs__` ("<Event demo>")."""

    __repr_attrs__: tuple[str, ...] = ("id",)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {' '.join(str(getattr(self, name)) for name in self.__repr_attrs__)}>"


def link_table(name: str, left: str, right: str, *, right_key: str = "id", right_ondelete: str | None = "CASCADE") -> Table:
    """An association table `name` whose primary key is its two foreign keys: `<left>_id` →
    `left.id` (ON DELETE CASCADE) and `<right>_<right_key>` → `right.<right_key>`
    (`right_ondelete`; the shipped classifications' codes are never deleted, so None there)."""
    return Table(
        name,
        db.metadata,
        Column(f"{left}_id", ForeignKey(f"{left}.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{right}_{right_key}", ForeignKey(f"{right}.{right_key}", ondelete=right_ondelete), primary_key=True),
    )
