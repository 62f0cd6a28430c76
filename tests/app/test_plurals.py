"""Numbers and plurals through Babel: every count in a sentence goes through ngettext with each
language's plural rules, and every plural message reads right in Russian for 1, 2, 5 and 21."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from planner.text.numbers import format_number
from planner.text.scripts import item_separator

CATALOGUES = Path(__file__).resolve().parent.parent.parent / "planner" / "translations"
COUNTS = (1, 2, 5, 21)
# A count placeholder in a sentence that is not a plural message: "%(count)s tables", "at least %(n)s".
COUNT_IN_SENTENCE = re.compile(r"%\((?:count|n|num|min|max|total)\)s [a-z]+s\b|"
                               r"\b(?:at least|at most|maximum of|minimum of) %\((?:\w+)\)s [a-z]", re.I)


def _messages(locale: str):
    for path in sorted(CATALOGUES.glob(f"*/{locale}/LC_MESSAGES/messages.po")):
        with path.open("rb") as handle:
            yield from ((path.parts[-4], message) for message in read_po(handle, locale=locale) if message.id)


def test_no_count_sits_in_a_sentence_without_plural_forms():
    offenders = [f"{domain}: {message.id}" for domain, message in _messages("en")
                 if not message.pluralizable and COUNT_IN_SENTENCE.search(message.id)]
    assert not offenders, offenders


def test_every_plural_message_renders_in_russian_for_1_2_5_and_21(app):
    plural = [(domain, message) for domain, message in _messages("ru") if message.pluralizable]
    assert len(plural) >= 15
    with app.test_request_context(), force_locale("ru"):
        for domain, message in plural:
            singular, plural_id = message.id
            forms = message.string
            assert len(forms) == 3 and all(forms), (domain, singular)
            placeholders = set(re.findall(r"%\((\w+)\)s", plural_id))
            assert all(placeholders <= set(re.findall(r"%\((\w+)\)s", form)) for form in forms), (domain, singular)
            names = {name: "X" for name in placeholders - {"num"}}
            rendered = {n: ngettext(singular, plural_id, n, **names) for n in COUNTS}
            assert all(str(n) in text and "%(" not in text for n, text in rendered.items()), rendered
            # Russian: 1 and 21 take the first form, 2 the second, 5 the third.
            assert rendered[1] == forms[0] % dict(names, num=1)
            assert rendered[21] == forms[0] % dict(names, num=21)
            assert rendered[2] == forms[1] % dict(names, num=2)
            assert rendered[5] == forms[2] % dict(names, num=5)


@pytest.mark.parametrize("n, expected", [(1, "1 фирма"), (2, "2 фирмы"), (5, "5 фирм"), (21, "21 фирма")])
def test_russian_firm_counts(app, n, expected):
    with app.test_request_context(), force_locale("ru"):
        assert ngettext("%(num)s firm", "%(num)s firms", n) == expected


def test_inbox_sentences_agree_with_their_numbers(app, client):
    with app.test_request_context(), force_locale("ru"):
        at_most = {n: ngettext("At most %(num)s meeting per firm in this event.",
                               "At most %(num)s meetings per firm in this event.", n) for n in COUNTS}
    assert "1 встречи" in at_most[1] and "21 встречи" in at_most[21] and "5 встреч " in at_most[5]


@pytest.mark.parametrize("locale, expected", [("en", "17.5"), ("ru", "17,5"), ("fa", "۱۷٫۵")])
def test_decimals_use_the_locale_mark_and_digits(app, locale, expected):
    assert format_number(17.5, locale) == expected


def test_the_middle_dot_is_not_used_beside_persian_digits():
    assert "·" not in item_separator("fa") and item_separator("ru") == " · "
