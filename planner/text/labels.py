"""Translated display labels for stored codes (statuses, sizes, roles, languages)."""
from __future__ import annotations

from babel import Locale

from planner.models.enums import ExhibitionStatus, FirmSize, Role
from planner.text.i18n import _l, current_locale
from planner.text.scripts import join_list

EXHIBITION_STATUS = {
    ExhibitionStatus.PLANNED: _l("planned"),
    ExhibitionStatus.CONFIRMED: _l("confirmed"),
    ExhibitionStatus.POSTPONED: _l("postponed"),
    ExhibitionStatus.CANCELLED: _l("cancelled"),
}
EXHIBITION_FIELD = {
    "title_fa": _l("Title in Persian"),
    "title_ru": _l("Title in Russian"),
    "title_en": _l("Title in English"),
    "venue": _l("Venue in English"),
    "venue_fa": _l("Venue in Persian"),
    "venue_ru": _l("Venue in Russian"),
    "halls": _l("Halls"),
    "start_date": _l("First day"),
    "end_date": _l("Last day"),
    "opening_time": _l("Opens at"),
    "closing_time": _l("Closes at"),
    "status": _l("Status"),
    "sector_codes": _l("ISIC classes"),
}
FIRM_SIZE = {
    FirmSize.MICRO: _l("micro (under 10 staff)"),
    FirmSize.SMALL: _l("small (10–49 staff)"),
    FirmSize.MEDIUM: _l("medium (50–249 staff)"),
    FirmSize.LARGE: _l("large (250+ staff)"),
}
ROLE = {
    Role.ORGANISER: _l("organiser"),
    Role.FIRM_MEMBER: _l("firm member"),
    Role.DELEGATION_HEAD: _l("delegation head"),
    Role.HELPER: _l("check-in helper"),
}
LANGUAGE = {
    "fa": _l("Persian"),
    "ru": _l("Russian"),
    "en": _l("English"),
    "tk": _l("Turkmen"),
    "az": _l("Azerbaijani"),
    "ar": _l("Arabic"),
    "zh": _l("Chinese"),
    "tr": _l("Turkish"),
    "de": _l("German"),
}


def _label(table: dict, code: str | None) -> str:
    return str(table.get(code, code or ""))


def exhibition_status_label(code: str) -> str:
    return _label(EXHIBITION_STATUS, code)


def exhibition_field_label(code: str) -> str:
    return _label(EXHIBITION_FIELD, code)


def firm_size_label(code: str) -> str:
    return _label(FIRM_SIZE, code)


def role_label(code: str) -> str:
    return _label(ROLE, code)


def language_label(code: str) -> str:
    """A language's name in the reader's language: ours, else CLDR's (Kazakh, Tatar, …)."""
    if code in LANGUAGE:
        return _label(LANGUAGE, code)
    return Locale.parse(current_locale()).languages.get(code, code)


def language_list(codes, locale: str) -> str:
    """Language codes as names in the reader's language, joined their way:
    ["fa", "ru"] → "Persian, Russian" / «فارسی، روسی»."""
    return join_list([language_label(code) for code in codes or ()], locale)
