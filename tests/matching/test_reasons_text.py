"""Reasons in words: related products and activities that make a need, in fa, ru and en."""
from __future__ import annotations

from flask_babel import force_locale

from planner.extensions import db
from planner.matching.candidates import firm_matches
from planner.matching.reasons import describe_reason as _describe
from tests.factories import make_firm


def describe_reason(reason, locale: str) -> str:
    with force_locale(locale):
        return _describe(reason, locale)


def test_a_needer_of_8474_finds_a_mining_machinery_maker_with_the_activity_reason(app):
    needer = make_firm("khorasan-razavi", needs=["8474"])
    maker = make_firm("chelyabinsk", sectors=["2824"])
    db.session.commit()
    pair = next(pair for pair in firm_matches(needer.id) if pair.firm_b == maker.id)
    reason = next(r for r in pair.reasons if r.code == "their_activity_makes_your_need")
    assert "2824" in describe_reason(reason, "en") and "8474" in describe_reason(reason, "en")
    assert "makes what you need" in describe_reason(reason, "en")
    assert "فعالیت" in describe_reason(reason, "fa")
    assert "деятельность" in describe_reason(reason, "ru").casefold()
    seen_by_maker = next(pair for pair in firm_matches(maker.id) if pair.firm_b == needer.id)
    assert "makes what they need" in describe_reason(
        next(r for r in seen_by_maker.reasons if r.code == "your_activity_makes_their_need"), "en")


def test_related_subheadings_are_worded_as_related(app):
    truck = make_firm("khorasan-razavi", needs=["870850"])
    brakes = make_firm("chelyabinsk", offers=["870830"])
    db.session.commit()
    pair = next(pair for pair in firm_matches(truck.id) if pair.firm_b == brakes.id)
    texts = {locale: [describe_reason(r, locale) for r in pair.reasons] for locale in ("en", "fa", "ru")}
    assert any(text.startswith("Related products in heading 8708") for text in texts["en"]), texts["en"]
    assert not any("which you need" in text or "they offer" in text.split(":")[0] for text in texts["en"])
    assert any("8708" in text and "مرتبط" in text for text in texts["fa"]), texts["fa"]
    assert any("8708" in text and "родствен" in text.casefold() for text in texts["ru"]), texts["ru"]
