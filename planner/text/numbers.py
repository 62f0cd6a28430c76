"""Numbers the way each reader writes them: Persian digits and the Persian decimal mark, the
Russian decimal comma (CLDR through Babel)."""
from __future__ import annotations

from babel.numbers import format_decimal

from planner.text.i18n import current_locale, persian_digits

PERSIAN_MARKS = str.maketrans({".": "٫", ",": "٬"})


def format_number(value, locale: str | None = None, decimals: int = 1) -> str:
    """`7.171` → "7.2" (en), "7,2" (ru), "۷٫۲" (fa); whole numbers without decimals."""
    locale = locale or current_locale()
    if value is None:
        return "—"
    pattern = "#,##0." + "#" * decimals if decimals else "#,##0"
    text = format_decimal(value, format=pattern, locale=locale)
    return persian_digits(text.translate(PERSIAN_MARKS)) if locale == "fa" else text
