"""How the scheduling pages say things: translated labels for the solver's status and
method codes, numbers with the locale's decimal mark (Persian digits and "٫" in fa, a
decimal comma in ru), lists joined the locale's way, and language names."""
from __future__ import annotations

from babel.numbers import format_decimal

from planner.i18n import _l, current_locale, persian_digits
from planner.labels import language_label

SOLVER_STATUS = {
    "OPTIMAL": _l("proven best"),
    "FEASIBLE": _l("good, not proven best"),
    "INFEASIBLE": _l("impossible"),
    "UNKNOWN": _l("nothing found in time"),
    "MODEL_INVALID": _l("invalid model"),
}
SOLVER_METHOD = {
    "cp-sat": _l("the optimising scheduler"),
    "greedy": _l("the quick first-fit scheduler"),
}
PERSIAN_MARKS = str.maketrans({".": "٫", ",": "٬"})


def solver_status_label(code: str | None) -> str:
    return str(SOLVER_STATUS.get(code or "", code or ""))


def solver_method_label(code: str | None) -> str:
    return str(SOLVER_METHOD.get(code or "", code or ""))


def format_number(value, locale: str | None = None, decimals: int = 1) -> str:
    """`7.171` → "7.2" (en), "7,2" (ru), "۷٫۲" (fa); whole numbers without decimals."""
    locale = locale or current_locale()
    if value is None:
        return "—"
    pattern = "#,##0." + "#" * decimals if decimals else "#,##0"
    text = format_decimal(value, format=pattern, locale=locale)
    return persian_digits(text.translate(PERSIAN_MARKS)) if locale == "fa" else text


def join_list(items, locale: str | None = None) -> str:
    """Items joined with "، " in Persian and ", " elsewhere."""
    locale = locale or current_locale()
    return ("، " if locale == "fa" else ", ").join(str(item) for item in items)


def language_list(codes, locale: str | None = None) -> str:
    """Language codes as names in the reader's language: ["fa", "ru"] → "Persian, Russian"."""
    return join_list([language_label(code) for code in codes], locale)

