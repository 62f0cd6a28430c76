"""Days typed by people: ISO Gregorian (2026-12-28) or Jalali (1405/10/07), with
Persian or Arabic-Indic digits, '/' or '-' or '.' between the parts."""
from __future__ import annotations

import re
from datetime import date

import jdatetime

from planner.text.scripts import ascii_digits

_PARTS = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")
JALALI_BEFORE = 1700  # a year below this is a Jalali year (1405 ≈ 2026)


def parse_day(text: str | None) -> date:
    """The Gregorian date written in `text`; ValueError when it is not a possible date."""
    found = _PARTS.match(ascii_digits(text or ""))
    if not found:
        raise ValueError(text)
    year, month, day = (int(part) for part in found.groups())
    if year < JALALI_BEFORE:
        return jdatetime.date(year, month, day).togregorian()
    return date(year, month, day)
