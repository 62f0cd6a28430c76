"""Locale selection and the date, time and digit formatting every page uses.

Persian pages show Jalali dates beside Gregorian ones and Persian digits; Russian and
English pages use Babel's CLDR formats. All datetimes arrive as aware UTC and are shown in
the event's zone (Asia/Tehran by default) through zoneinfo, never fixed offsets.
"""
from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import jdatetime
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from flask import current_app, has_request_context, request, session
from flask_babel import get_domain, gettext, lazy_gettext
from flask_babel import get_locale as babel_get_locale
from flask_login import current_user

_ = gettext
_l = lazy_gettext

LANGUAGE_NAMES = {"fa": "فارسی", "ru": "Русский", "en": "English"}
RTL_LOCALES = {"fa"}
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
JALALI_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)


def select_locale() -> str:
    """?lang= (remembered in the session), then the saved choice, then Accept-Language, else fa."""
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():
        return cli_locale(supported)
    asked = request.args.get("lang")
    if asked in supported:
        session["lang"] = asked
        return asked
    if session.get("lang") in supported:
        return session["lang"]
    user = current_user._get_current_object()
    if user is not None and user.is_authenticated and user.locale in supported:
        return user.locale
    return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]


def cli_locale(supported: list[str]) -> str:
    """Commands speak the shell's language (KARVAN_LOCALE, else LANG), English by default."""
    wanted = os.environ.get("KARVAN_LOCALE") or os.environ.get("LANG", "")
    code = wanted.split("_")[0].split(".")[0].lower()
    return code if code in supported else "en"


def current_locale() -> str:
    return str(babel_get_locale() or "fa")


def text_direction(locale: str | None = None) -> str:
    return "rtl" if (locale or current_locale()) in RTL_LOCALES else "ltr"


def ngettext(singular: str, plural: str, count: int, **variables) -> str:
    """The plural form of the reader's language for `count` (CLDR rules: three forms in
    Russian), `%(num)s` written in the reader's digits unless given."""
    variables.setdefault("num", local_digits(count))
    return get_domain().get_translations().ungettext(singular, plural, count) % variables


def persian_digits(value) -> str:
    return str(value).translate(PERSIAN_DIGITS)


def local_digits(value, locale: str | None = None) -> str:
    """Persian digits on Persian pages, ASCII digits elsewhere."""
    locale = locale or current_locale()
    return persian_digits(value) if locale == "fa" else str(value)


def jalali_date(day: date, with_year: bool = True) -> str:
    """'17 آبان 1405' in Persian digits."""
    j = jdatetime.date.fromgregorian(date=day)
    text = f"{j.day} {JALALI_MONTHS[j.month - 1]}"
    if with_year:
        text += f" {j.year}"
    return persian_digits(text)


def jalali_iso(day: date) -> str:
    j = jdatetime.date.fromgregorian(date=day)
    return f"{j.year:04d}-{j.month:02d}-{j.day:02d}"


def parse_jalali_iso(text: str) -> date:
    """'1405-08-17' -> the Gregorian date; ValueError on a malformed or impossible date."""
    parts = text.strip().split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(text)
    return jdatetime.date(int(parts[0]), int(parts[1]), int(parts[2])).togregorian()


def _display_date(day: date | datetime, zone: str | None = None) -> date:
    """The date a reader in `zone` (KARVAN_TIMEZONE by default) sees for `day`: an aware datetime
    is converted first (22:00 UTC on 8 Nov is 9 Nov in Tehran); a date stays as it is."""
    if isinstance(day, datetime):
        return to_zone(day, zone).date() if day.tzinfo is not None else day.date()
    return day


def format_day(day: date | datetime, locale: str | None = None, format: str = "long", zone: str | None = None) -> str:
    """A date for display: in fa the Jalali date with the Gregorian beside it. An aware datetime
    shows its date in `zone` (KARVAN_TIMEZONE by default)."""
    locale = locale or current_locale()
    day = _display_date(day, zone)
    if format not in ("long", "medium", "short"):
        return local_digits(babel_format_date(day, format, locale=locale), locale)
    if locale == "fa":
        gregorian = persian_digits(babel_format_date(day, "d MMMM y", locale="fa"))
        weekday = babel_format_date(day, "EEEE", locale="fa") if format == "long" else ""
        prefix = f"{weekday} " if weekday else ""
        return f"{prefix}{jalali_date(day)} ({gregorian})"
    pattern = {"long": "EEEE d MMMM y", "medium": "d MMM y", "short": "d MMM"}.get(format, format)
    return babel_format_date(day, pattern, locale=locale)


def format_day_range(start: date | datetime, end: date | datetime, locale: str | None = None, zone: str | None = None) -> str:
    """'29 Dec 2026 – 1 Jan 2027', '3 – 5 Nov 2026' style: the start's year is shown only when it
    differs from the end's, in each calendar on its own (28 Esfand 1405 – 3 Farvardin 1406 lies
    within one Gregorian year)."""
    locale = locale or current_locale()
    start, end = _display_date(start, zone), _display_date(end, zone)
    if start == end:
        return format_day(start, locale, "medium")
    if locale == "fa":
        jalali_years_differ = jdatetime.date.fromgregorian(date=start).year != jdatetime.date.fromgregorian(date=end).year
        # "d LLLL" (no ezafe) when no year follows the month
        g_start = babel_format_date(start, "d MMMM y" if start.year != end.year else "d LLLL", locale="fa")
        g_end = babel_format_date(end, "d MMMM y", locale="fa")
        return (f"{jalali_date(start, with_year=jalali_years_differ)} – {jalali_date(end)} "
                f"({persian_digits(g_start)} – {persian_digits(g_end)})")
    start_pattern = "d MMM y" if start.year != end.year else "d MMM"
    return f"{babel_format_date(start, start_pattern, locale=locale)} – {babel_format_date(end, 'd MMM y', locale=locale)}"


def to_zone(moment: datetime, zone: str | None = None) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(ZoneInfo(zone or current_app.config["KARVAN_TIMEZONE"]))


def local_today() -> date:
    """Today's date where the chamber is (KARVAN_TIMEZONE), not on the server's clock."""

    return datetime.now(UTC).astimezone(ZoneInfo(current_app.config["KARVAN_TIMEZONE"])).date()


def format_clock(value: datetime | time, zone: str | None = None, locale: str | None = None) -> str:
    """'09:30' (Persian digits in fa) in `zone` for datetimes; times are shown as they are."""
    locale = locale or current_locale()
    if isinstance(value, datetime):
        value = to_zone(value, zone).time()
    return local_digits(babel_format_time(value, "HH:mm", locale="en"), locale)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
