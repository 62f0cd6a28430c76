"""Text in the reader's script: digits typed in Persian or Arabic-Indic, lists joined the
reader's way (Babel's `format_list`), the city and name a reader sees, and an alphabetical
order that fits fa and ru.

PyICU is not installed; `collation_key` is a small stand-in: Persian letters in the order of
the Persian alphabet (پ after ب, چ after ج, ژ after ز, گ after ک, Arabic ي and ك as ی and
ک), Cyrillic with ё beside е, and Latin case-folded.
"""
from __future__ import annotations

import unicodedata

from babel import Locale
from babel.lists import format_list

ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
PERSIAN_ALPHABET = "آاأإءؤئبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهۀةیى"
_PERSIAN_RANK = {letter: rank for rank, letter in enumerate(PERSIAN_ALPHABET)}
_PERSIAN_RANK.update({"ي": _PERSIAN_RANK["ی"], "ك": _PERSIAN_RANK["ک"]})
_IGNORED = {"\u200c", "\u200d", "\u0640"}  # zero-width non-joiner and joiner, tatweel


def ascii_digits(text: str | None) -> str:
    """'۸۷۰۸' and '٨٧٠٨' -> '8708'; anything else is kept as it is."""
    return (text or "").translate(ASCII_DIGITS)


def join_list(items, locale: str, *, groups: bool = False) -> str:
    """Items joined the reader's way by Babel's `format_list` (CLDR's patterns): «الف، ب و ج»
    in Persian, "a, b и c" in Russian, "a, b, and c" in English; no item gives "".

    With `groups` (items that hold commas themselves, such as sector titles) the commas of the
    same patterns become semicolons ("a; b; and c", «الف؛ ب؛ و ج»), which CLDR does not name.
    The one home of list joining: templates, e-mails, feeds and reasons all call it."""
    items = [str(item) for item in items]
    if not groups:
        return format_list(items, locale=locale)
    patterns = {key: pattern.translate(_SEMICOLONS) for key, pattern in Locale.parse(locale).list_patterns["standard"].items()}
    if len(items) < 2:
        return "".join(items)
    if len(items) == 2:
        return patterns["2"].format(*items)
    joined = patterns["start"].format(items[0], items[1])
    for item in items[2:-1]:
        joined = patterns["middle"].format(joined, item)
    return patterns["end"].format(joined, items[-1])


_SEMICOLONS = str.maketrans({",": ";", "،": "؛"})


def join_parts(parts, locale: str) -> str:
    """The parts of one thing on one line (a day and its time, a region and its city, a venue,
    hall and table) parted by the comma of the reader's CLDR list pattern, never by "and":
    "Mashhad, Hall 2" / «مشهد،‏ سالن ۲». Empty parts are left out."""
    comma = Locale.parse(locale).list_patterns["standard"]["middle"].format("", "")
    return comma.join(str(part) for part in parts if part)


def collation_key(text: str | None) -> tuple:
    """A sort key that puts Persian words in Persian alphabetical order, ё beside е, and
    ignores case; Latin sorts before Cyrillic, Cyrillic before Persian."""
    key = []
    for char in (text or "").casefold():
        if char in _IGNORED or unicodedata.category(char).startswith("M"):
            continue
        if char in _PERSIAN_RANK:
            key.append((3, _PERSIAN_RANK[char], 0))
        elif char == "ё":
            key.append((2, ord("е"), 1))
        elif "\u0400" <= char <= "\u04ff":
            key.append((2, ord(char), 0))
        elif char.isspace():
            key.append((0, 0, 0))
        else:
            key.append((1, ord(char), 0))
    return tuple(key)


def reads_native(firm, locale: str) -> bool:
    """Whether the reader reads the firm's own script: the language of native names is its
    region's (`Region.native_locale`), so a firm from any visiting region works alike."""
    return firm.region is not None and locale == firm.region.native_locale


def city_for(firm, locale: str) -> str:
    """The firm's city in the reader's script where there is one: native for readers of
    that script, else the Latin spelling (native when no Latin one was given)."""
    if reads_native(firm, locale) or not firm.city_latin:
        return firm.city or ""
    return firm.city_latin


def name_key(firm, locale: str) -> tuple:
    """Sort key of a firm by the name the reader sees, then its Latin name and id."""
    return collation_key(firm.display_name(locale)), collation_key(firm.name_latin), firm.id


def item_separator(locale: str) -> str:
    """The mark between the parts of a line of facts ("Mashhad · Khorasan Razavi"): a middle dot
    in Russian and English; in Persian the Persian comma, because a dot beside Persian digits
    reads as the digit zero (۰)."""
    return "، " if locale == "fa" else " · "


SCRIPT_LOCALES = {"ARABIC": "fa", "CYRILLIC": "ru", "LATIN": "en"}


def script_locale(text: str | None) -> str | None:
    """The locale whose script `text` is written in ('fa' Arabic script, 'ru' Cyrillic,
    'en' Latin), judged by its first letter; None when it has no letter."""
    for char in text or "":
        if char.isalpha():
            return SCRIPT_LOCALES.get(unicodedata.name(char, "").split(" ")[0])
    return None


def person_name(native: str | None, latin: str | None, locale: str) -> str:
    """A person's name for a reader of `locale`: the native form only when it is written in
    the reader's own script (Persian script on Persian pages, Cyrillic on Russian ones),
    otherwise the Latin form."""
    native, latin = (native or "").strip(), (latin or "").strip()
    if native and locale != "en" and script_locale(native) == locale:
        return native
    return latin or native


def participant_name(participant, locale: str) -> str:
    """A `Participant`'s name for a reader of `locale` (see `person_name`)."""
    return person_name(participant.full_name, participant.full_name_latin, locale)


def interpreter_name(interpreter, locale: str) -> str:
    """An `Interpreter`'s name for a reader of `locale` (see `person_name`)."""
    return person_name(interpreter.name, interpreter.name_latin, locale)


RLM = "\u200f"


def _first_strong(line: str) -> str | None:
    for char in line:
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            return kind
    return None


def rtl_lines(text: str, locale: str) -> str:
    """Plain text for a right-to-left reader: in Persian, a right-to-left mark before every line
    whose first strong letter is Latin (a firm name, an e-mail), so that the line is laid out
    right to left as the rest (plain text has no `dir`); other languages unchanged."""
    if locale != "fa" or not text:
        return text
    return "\n".join(RLM + line if _first_strong(line) == "L" else line for line in text.split("\n"))
