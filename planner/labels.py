"""Translated display labels for stored codes (statuses, sizes, roles, languages)."""
from __future__ import annotations

from planner.i18n import _l
from planner.models.base import localized

EXHIBITION_STATUS = {
    "planned": _l("planned"),
    "confirmed": _l("confirmed"),
    "postponed": _l("postponed"),
    "cancelled": _l("cancelled"),
}
FIRM_SIZE = {
    "micro": _l("micro (under 10 staff)"),
    "small": _l("small (10–49 staff)"),
    "medium": _l("medium (50–249 staff)"),
    "large": _l("large (250+ staff)"),
}
ROLE = {
    "organiser": _l("organiser"),
    "firm_member": _l("firm member"),
    "delegation_head": _l("delegation head"),
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


def firm_size_label(code: str) -> str:
    return _label(FIRM_SIZE, code)


def role_label(code: str) -> str:
    return _label(ROLE, code)


def language_label(code: str) -> str:
    return _label(LANGUAGE, code)


def init_app(app) -> None:
    app.jinja_env.globals.update(
        exhibition_status_label=exhibition_status_label,
        firm_size_label=firm_size_label,
        role_label=role_label,
        language_label=language_label,
        localized=localized,
    )
