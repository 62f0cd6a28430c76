"""The firm file's format: canonical column names, the same headers in Persian and Russian,
and how a header cell written in any of them is read.

The headers are part of a file format (like the column names of an exchange standard), not page
text: a Persian header must be understood whatever language the importing organiser reads in, so
they live here as data and are never looked up in a catalogue.
"""
from __future__ import annotations

from planner.text.search import fold

PEOPLE_COLUMNS = (
    "firm_key", "firm_name_native", "firm_name_latin", "region", "city", "website", "firm_languages", "offers",
    "needs", "first_name", "last_name", "first_name_latin", "last_name_latin", "email", "phone", "person_languages",
    "role", "attending_days",
)
REQUIRED_COLUMNS = ("firm_name_latin", "region")
FIRM_COLUMNS = PEOPLE_COLUMNS[:9]
PERSON_COLUMNS = PEOPLE_COLUMNS[9:]
MEETING_COLUMNS = ("requester", "target", "priority")

# Each canonical column's header in a Persian and a Russian template.
HEADERS: dict[str, dict[str, str]] = {
    "fa": {
        "firm_key": "کلید شرکت", "firm_name_native": "نام شرکت", "firm_name_latin": "نام لاتین شرکت",
        "region": "منطقه", "city": "شهر", "website": "وب‌سایت", "firm_languages": "زبان‌های شرکت",
        "offers": "عرضه‌ها", "needs": "نیازها", "first_name": "نام", "last_name": "نام خانوادگی",
        "first_name_latin": "نام لاتین", "last_name_latin": "نام خانوادگی لاتین", "email": "ایمیل",
        "phone": "تلفن", "person_languages": "زبان‌های فرد", "role": "سمت", "attending_days": "روزهای حضور",
        "requester": "درخواست‌کننده", "target": "طرف ملاقات", "priority": "اولویت",
    },
    "ru": {
        "firm_key": "ключ фирмы", "firm_name_native": "название фирмы", "firm_name_latin": "название латиницей",
        "region": "регион", "city": "город", "website": "сайт", "firm_languages": "языки фирмы",
        "offers": "предлагает", "needs": "ищет", "first_name": "имя", "last_name": "фамилия",
        "first_name_latin": "имя латиницей", "last_name_latin": "фамилия латиницей", "email": "эл. почта",
        "phone": "телефон", "person_languages": "языки участника", "role": "должность",
        "attending_days": "дни участия", "requester": "инициатор", "target": "партнёр", "priority": "приоритет",
    },
}
MEETING_SHEETS = {"meetings", "ملاقات‌ها", "встречи"}
PEOPLE_SHEET = {"en": "people", "fa": "افراد", "ru": "участники"}
# A wish's priority as written in any of the three languages.
PRIORITIES = {"must": "must", "would_like": "would_like", "would-like": "would_like", "would like": "would_like",
              "ضروری": "must", "دلخواه": "would_like", "обязательно": "must", "желательно": "would_like", "": "would_like"}

_PRIORITIES = {fold(text): value for text, value in PRIORITIES.items()}
_CANONICAL = {fold(name): name for name in (*PEOPLE_COLUMNS, *MEETING_COLUMNS)}
for _headers in HEADERS.values():
    _CANONICAL.update({fold(header): name for name, header in _headers.items()})


def canonical(header: str) -> str:
    """The canonical column a header cell names (any language, case, Arabic or Persian letter
    forms), or the cell itself when it names none."""
    return _CANONICAL.get(fold(header), header)


def headers(locale: str, columns=PEOPLE_COLUMNS) -> list[str]:
    """The header row of a template in `locale` (canonical names for English)."""
    return [HEADERS.get(locale, {}).get(name, name) for name in columns]


def priority(text: str) -> str | None:
    """'must' or 'would_like' for a priority cell in any language ('' = would_like), else None."""
    return _PRIORITIES.get(fold(text))


def is_meeting_sheet(title: str) -> bool:
    return fold(title) in {fold(name) for name in MEETING_SHEETS}
