"""Form fields that take input in the reader's script: every number, date and time a person
types goes through one of these, so ۳۰, ٣٠ and 30 are the same number everywhere.

- `WholeNumberField`, `DecimalNumberField`: Persian and Arabic-Indic digits, the Persian
  decimal mark (٫) and the Russian decimal comma; shown back in the reader's digits.
- `LocalDateField`: in Persian a Jalali date (`۱۴۰۵/۰۸/۱۷`, with the vendored Jalali picker,
  `data-jdp`), in Russian and English the browser's date input; either calendar is accepted
  whatever the page's language (a year below 1700 is Jalali).
- `LocalTimeField`: 24-hour `HH:MM` in every language (the browser's time input shows AM/PM
  in some locales), any digits.

Inputs are `type=text` with `inputmode`, because a browser's `type=number` silently drops
Persian digits and the server then sees an empty field.
"""
from __future__ import annotations

import re
from datetime import date, time

import jdatetime
from babel.numbers import format_decimal
from wtforms import DateField, Field, FloatField, IntegerField
from wtforms.widgets import TextInput

from planner.text.i18n import _l, current_locale, local_digits, persian_digits
from planner.text.scripts import ascii_digits

_GROUPING = re.compile(r"[\s\u00a0\u202f\u066c']")  # spaces and the Arabic thousands separator
_DATE = re.compile(r"^(\d{1,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,4})$")
_TIME = re.compile(r"^(\d{1,2})(?:\s*[:.\u066b]\s*(\d{2}))?$")
JALALI_BEFORE = 1700  # a year below this is a Jalali year (Jalali years are ~1400, Gregorian ~2000)


def _number(text: str | None, pattern: str, cleaned: str, kind: type):
    """`cleaned` (the ASCII form of `text`) as `kind` when it is all of `pattern`; None when
    empty; ValueError otherwise."""
    if not cleaned:
        return None
    if not re.fullmatch(pattern, cleaned):
        raise ValueError(text)
    return kind(cleaned)


def parse_whole_number(text: str | None) -> int | None:
    """'۳۰', '٣٠', ' 30 ', '1 800' -> int; '' or None -> None; ValueError otherwise."""
    return _number(text, r"[+-]?\d+", _GROUPING.sub("", ascii_digits(text)), int)


def parse_decimal_number(text: str | None) -> float | None:
    """'۲٫۵', '2,5', '2.5' -> 2.5; '' or None -> None; ValueError otherwise."""
    cleaned = _GROUPING.sub("", ascii_digits(text)).replace("\u066b", ".").replace(",", ".")
    return _number(text, r"[+-]?(\d+\.?\d*|\.\d+)", cleaned, float)


def parse_local_date(text: str | None) -> date | None:
    """A typed date in either calendar and any digits: '۱۴۰۵/۰۸/۱۷' and '1405-8-17' (Jalali),
    '2026-11-08' and '08.11.2026' (Gregorian); '' -> None; ValueError when it is no date."""
    cleaned = ascii_digits(text).strip()
    if not cleaned:
        return None
    match = _DATE.match(cleaned)
    if match is None:
        raise ValueError(text)
    first, second, third = (int(part) for part in match.groups())
    if len(match.group(3)) == 4:  # day, month, year as Russians write it
        first, third = third, first
    if first < JALALI_BEFORE:
        return jdatetime.date(first, second, third).togregorian()
    return date(first, second, third)


def parse_clock(text: str | None) -> time | None:
    """'9:30', '۰۹:۳۰', '9.30', '0930', '9' -> a time (24-hour); '' -> None; ValueError otherwise."""
    cleaned = re.sub(r"\s", "", ascii_digits(text))
    if not cleaned:
        return None
    if re.fullmatch(r"\d{3,4}", cleaned):
        cleaned = f"{cleaned[:-2]}:{cleaned[-2:]}"
    match = _TIME.match(cleaned)
    if match is None:
        raise ValueError(text)
    return time(int(match.group(1)), int(match.group(2) or 0))


def date_text(day: date | None, locale: str | None = None) -> str:
    """The value a date field shows: Jalali `۱۴۰۵/۰۸/۱۷` in Persian, ISO otherwise (what the
    browser's date input expects)."""
    if day is None:
        return ""
    if (locale or current_locale()) == "fa":
        j = jdatetime.date.fromgregorian(date=day)
        return persian_digits(f"{j.year:04d}/{j.month:02d}/{j.day:02d}")
    return day.isoformat()


class _LocalInput(TextInput):
    """A text input with the keyboard hint for numbers; the placeholder in the reader's digits."""

    def __init__(self, inputmode: str, example: str | None = None):
        super().__init__()
        self.inputmode, self.example = inputmode, example

    def __call__(self, field, **kwargs):
        kwargs.setdefault("inputmode", self.inputmode)
        kwargs.setdefault("autocomplete", "off")
        if self.example:
            kwargs.setdefault("placeholder", local_digits(self.example))
        return super().__call__(field, **kwargs)


class _DateInput(TextInput):
    """Persian: a text input the Jalali picker opens on; otherwise the browser's date input."""

    def __call__(self, field, **kwargs):
        if current_locale() == "fa":
            kwargs.setdefault("data-jdp", "")
            kwargs.setdefault("inputmode", "numeric")
            kwargs.setdefault("autocomplete", "off")
            kwargs.setdefault("placeholder", persian_digits("1405/08/17"))
            kwargs.setdefault("dir", "ltr")
        else:
            kwargs.setdefault("type", "date")
        return super().__call__(field, **kwargs)


class _TypedText:
    """What the fields below share: what was typed is shown back as typed (a re-rendered form
    loses nothing), a stored value as `shown(value)`; the text is read by `parse(text)`, and a
    ValueError becomes `problem()`, the expected form with an example in the reader's digits."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.shown(self.data)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = self.parse(valuelist[0])
        except ValueError as error:
            self.data = None
            raise ValueError(self.problem()) from error


class WholeNumberField(_TypedText, IntegerField):
    """An integer typed in any digits; shown in the reader's digits."""

    widget = _LocalInput("numeric")
    parse = staticmethod(parse_whole_number)
    shown = staticmethod(local_digits)

    def problem(self):
        return _l("Enter a whole number, such as %(example)s.", example=local_digits(30))


def _decimal_text(value: float) -> str:
    """A decimal number the reader's way: Persian digits and mark (٫) in Persian."""
    locale = current_locale()
    text = format_decimal(value, format="0.##", locale=locale)
    return persian_digits(text.replace(".", "\u066b")) if locale == "fa" else text


class DecimalNumberField(_TypedText, FloatField):
    """A decimal number typed in any digits with either decimal mark; shown the reader's way."""

    widget = _LocalInput("decimal")
    parse = staticmethod(parse_decimal_number)
    shown = staticmethod(_decimal_text)

    def problem(self):
        return _l("Enter a number, such as %(example)s.", example=_decimal_text(2.5))


class LocalDateField(_TypedText, DateField):
    """A date in the reader's calendar (Jalali in Persian), either calendar accepted."""

    widget = _DateInput()
    parse = staticmethod(parse_local_date)
    shown = staticmethod(date_text)

    def problem(self):
        return _l("Enter a date such as %(example)s.", example=date_text(date(2026, 11, 8)))


class LocalTimeField(_TypedText, Field):
    """A 24-hour time `HH:MM` typed in any digits."""

    widget = _LocalInput("numeric", example="09:30")
    parse = staticmethod(parse_clock)

    @staticmethod
    def shown(value: time) -> str:
        return local_digits(value.strftime("%H:%M"))

    def problem(self):
        return _l("Enter a time as hours and minutes, such as %(example)s.", example=local_digits("14:30"))
