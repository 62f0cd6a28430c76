"""One normalisation for every search: the stored text and the query are folded alike, so the
same word typed on a Persian, Arabic, Russian or Latin keyboard finds the same rows.

Folding, in order (ICU through PyICU: Unicode's NFKC case fold, then a rule-based transliterator):

- compatibility forms and case: NFKC_Casefold (Arabic presentation forms such as "ﻙ" become
  their letters, full-width Latin becomes ASCII, "Ё" and "ё" become "ё", case goes);
- the letters Arabic keyboards produce for Persian ones: ي ى ئ → ی, ك → ک, ة ۀ → ه, أ إ ٱ → ا,
  ؤ → و (Persian readers treat them as the same letter in search);
- digits of every script to ASCII (۸۷۰۸ and ٨٧٠٨ → 8708);
- ё → е (Russian text is written both ways);
- combining marks (Arabic harakat, tanwin, Cyrillic stress marks) removed;
- zero-width non-joiner/joiner and tatweel removed, so «پمپ‌ها», «پمپها» and «پمپ ها» meet
  (a query's words are matched separately).

`fold` is applied to stored text when it is written (`Firm.search_text`) or indexed (the code
picker), and to every query; `query_words` splits a query into folded words.
"""
from __future__ import annotations

import re
from functools import lru_cache

import icu

# Extended Arabic-Indic (Persian) and Arabic-Indic digits, ten rules each: "[۰٠] > 0 ;" …
_DIGIT_RULES = "".join(f"[{chr(0x06F0 + d)}{chr(0x0660 + d)}] > {d} ;\n" for d in range(10))
_RULES = _DIGIT_RULES + r"""
[يىئ] > ی ;
ك > ک ;
[ةۀ] > ه ;
[أإٱ] > ا ;
ؤ > و ;
ё > е ;
[\u200C\u200D\u0640] > ;
::NFD ;
[:Mn:] > ;
::NFC ;
"""
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _folders() -> tuple:
    """ICU objects are built once per process (they are immutable and thread-safe to use)."""
    case_fold = icu.Normalizer2.getNFKCCasefoldInstance()
    letters = icu.Transliterator.createFromRules("karvan-search-fold", _RULES, icu.UTransDirection.FORWARD)
    return case_fold, letters


def fold(text: str | None) -> str:
    """`text` folded for search (see the module docstring); '' for None.

    >>> fold("سيمان كاشي") == fold("سیمان کاشی")
    True
    """
    if not text:
        return ""
    case_fold, letters = _folders()
    folded = letters.transliterate(case_fold.normalize(text))
    return _SPACES.sub(" ", folded).strip()


def query_words(query: str | None) -> list[str]:
    """The folded words of a query, e.g. "  Насос  ۸۴۱۳ " → ["насос", "8413"]."""
    return fold(query).split()


def matches_all(words: list[str], haystack: str) -> bool:
    """Whether every folded query word occurs in the folded `haystack` (substring match, so a
    word's start finds inflected forms: «насос» finds «насосы»)."""
    return all(word in haystack for word in words)
