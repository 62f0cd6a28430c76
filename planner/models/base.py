"""Shared column types and helpers for the models."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


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
