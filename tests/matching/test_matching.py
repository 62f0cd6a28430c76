"""The scoring core (pure: no app, no database) and its explanations."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.matching.scoring import (
    FirmProfile,
    Interest,
    PairScore,
    Reason,
    Rules,
    match_level,
    rank_partners,
    score_pairs,
)

P, S = "product", "sector"


def firm(id, region="kr", langs=("fa", "en"), offers=(), needs=(), activities=()):
    return FirmProfile(id=id, region=region, languages=frozenset(langs), activities=tuple(activities),
                       offers=tuple(Interest(*item) for item in offers), needs=tuple(Interest(*item) for item in needs))


def score_of(a, b, rules=Rules()):
    pairs = score_pairs([a, b], rules)
    return pairs[0].score if pairs else 0.0


def codes(pair: PairScore):
    return [reason.code for reason in pair.reasons]


def test_match_levels():
    assert match_level(P, "870830", "870830") == 6
    assert match_level(P, "8708", "870840") == 4
    assert match_level(P, "870830", "870840") == 4
    assert match_level(P, "8708", "8703") == 2
    assert match_level(P, "8708", "7208") == 0
    assert match_level(S, "2930", "2930") == 4
    assert match_level(S, "2930", "2920") == 2
    assert match_level(S, "293", "2930") == 3


def test_mutual_interest_scores_higher_than_one_sided():
    buyer = firm(1, needs=[(P, "870830")], offers=[(P, "720851")])
    one_sided = firm(2, "ch", ("ru", "en"), offers=[(P, "870830")])
    mutual = firm(3, "ch", ("ru", "en"), offers=[(P, "870830")], needs=[(P, "720851")])
    assert score_of(buyer, mutual) > score_of(buyer, one_sided) > 0
    pair = score_pairs([buyer, mutual])[0]
    assert codes(pair)[0] == "mutual_interest"


def test_six_digit_beats_four_digit_beats_two_digit():
    buyer = firm(1, needs=[(P, "870830")])
    six = firm(2, "ch", offers=[(P, "870830")])
    four = firm(3, "ch", offers=[(P, "870840")])
    two = firm(4, "ch", offers=[(P, "870321")])
    unrelated = firm(5, "ch", offers=[(P, "720851")])
    assert score_of(buyer, six) > score_of(buyer, four) > score_of(buyer, two) > 0
    assert score_of(buyer, unrelated) == 0


def test_isic_class_beats_group_beats_division():
    buyer = firm(1, needs=[(S, "2930")])
    same_class = firm(2, "ch", offers=[(S, "2930")])
    group = firm(3, "ch", offers=[(S, "293")])
    division = firm(4, "ch", offers=[(S, "2920")])
    assert score_of(buyer, same_class) > score_of(buyer, group) > score_of(buyer, division) > 0


def test_registered_activity_counts_a_little_less_than_a_declared_offer():
    buyer = firm(1, needs=[(S, "2930")])
    offers = firm(2, "ch", offers=[(S, "2930")])
    works_in = firm(3, "ch", activities=["2930"])
    assert score_of(buyer, offers) > score_of(buyer, works_in) > 0
    pair = rank_partners([buyer, works_in], 1)[0]
    assert pair.reasons[0] == Reason("their_activity_fits_your_need", {"need": "2930", "activity": "2930", "level": 4})


def test_no_same_region_pairs_unless_the_event_allows_them():
    a = firm(1, "kr", needs=[(P, "870830")])
    b = firm(2, "kr", offers=[(P, "870830")])
    assert score_pairs([a, b], Rules("cross-region")) == []
    assert rank_partners([a, b], 1, Rules("cross-region")) == []
    assert len(score_pairs([a, b], Rules("any"))) == 1


def test_a_shared_activity_is_a_weak_reason_to_meet():
    sensors = firm(1, activities=["2651"], offers=[(P, "903180")])
    automation = firm(2, "ch", activities=["2651", "6201"])
    group_only = firm(3, "ch", activities=["2652"])
    division_only = firm(4, "ch", activities=["2640"])
    buyer = firm(5, "ch", needs=[(P, "903180")])
    ranked = rank_partners([sensors, automation, group_only, division_only, buyer], 1)
    assert [pair.firm_b for pair in ranked] == [5, 2, 3]
    assert Reason("same_activity", {"activity": "2651", "theirs": "2651", "level": 4}) in ranked[1].reasons
    assert Reason("same_activity", {"activity": "2652", "theirs": "2651", "level": 3}) in ranked[2].towards(3).reasons


def test_a_firm_never_matches_itself():
    both = firm(1, needs=[(P, "870830")], offers=[(P, "870830")])
    assert score_pairs([both], Rules("any")) == []


def test_language_reasons_and_interpreter_penalty():
    buyer = firm(1, langs=("fa",), needs=[(P, "870830")])
    speaks_fa = firm(2, "ch", ("ru", "fa"), offers=[(P, "870830")])
    russian_only = firm(3, "ch", ("ru",), offers=[(P, "870830")])
    shared = score_pairs([buyer, speaks_fa])[0]
    needs_interpreter = score_pairs([buyer, russian_only])[0]
    assert Reason("shared_language", {"languages": ["fa"]}) in shared.reasons
    assert Reason("interpreter_needed", {"yours": ["fa"], "theirs": ["ru"]}) in needs_interpreter.towards(1).reasons
    assert Reason("interpreter_needed", {"yours": ["ru"], "theirs": ["fa"]}) in needs_interpreter.towards(3).reasons
    assert shared.score > needs_interpreter.score > 0


def test_exhibition_sectors_add_a_reason_and_points():
    buyer = firm(1, needs=[(P, "847410")])
    miner = firm(2, "ch", offers=[(P, "847410")], activities=["0710"])
    other = firm(3, "ch", offers=[(P, "847410")], activities=["4659"])
    rules = Rules(exhibition_sectors=("0710", "2824"))
    miner_pair = rank_partners([buyer, miner, other], 1, rules)
    assert [pair.firm_b for pair in miner_pair] == [2, 3]
    assert Reason("exhibition_sector", {"sectors": ["0710"]}) in miner_pair[0].reasons
    assert not any(reason.code == "exhibition_sector" for reason in miner_pair[1].reasons)


def test_reasons_say_who_needs_what_from_each_side():
    buyer = firm(1, needs=[(P, "8708")])
    seller = firm(2, "ch", offers=[(P, "870840")])
    pair = score_pairs([buyer, seller])[0]
    from_buyer = pair.towards(1)
    from_seller = pair.towards(2)
    assert from_buyer.reasons[0] == Reason("they_offer_your_need", {"kind": P, "need": "8708", "offer": "870840", "level": 4})
    assert from_seller.reasons[0] == Reason("they_need_your_offer", {"kind": P, "need": "8708", "offer": "870840", "level": 4})
    assert from_seller.towards(1) == from_buyer
    with pytest.raises(ValueError):
        pair.towards(99)


def test_rank_partners_agrees_with_score_pairs_and_excludes():
    firms = [firm(1, needs=[(P, "870830"), (S, "2930")], offers=[(P, "720851")]),
             firm(2, "ch", offers=[(P, "870830")], needs=[(P, "7208")]),
             firm(3, "ch", offers=[(S, "2930")]),
             firm(4, "ch", offers=[(P, "8708")]),
             firm(5, "kr", offers=[(P, "870830")])]
    everything = {(pair.firm_a, pair.firm_b): pair.score for pair in score_pairs(firms)}
    ranked = rank_partners(firms, 1)
    assert [pair.firm_b for pair in ranked] == [2, 3, 4]
    assert all(everything[(1, pair.firm_b)] == pair.score for pair in ranked)
    assert [pair.firm_b for pair in rank_partners(firms, 1, exclude=[2], limit=1)] == [3]


hs_codes = st.sampled_from(["870830", "870840", "8708", "87", "720851", "7208", "848210", "8482", "251612", "2516"])
isic_codes = st.sampled_from(["2930", "293", "29", "2410", "0710", "4659", "4663"])
interests = st.one_of(hs_codes.map(lambda code: (P, code)), isic_codes.map(lambda code: (S, code)))
profiles = st.builds(
    lambda id, region, langs, offers, needs, acts: firm(id, region, langs, offers, needs, acts),
    st.integers(1, 10**6), st.sampled_from(["kr", "ch"]), st.sampled_from([("fa",), ("ru",), ("fa", "en"), ("ru", "en")]),
    st.lists(interests, max_size=4), st.lists(interests, max_size=4), st.lists(isic_codes, max_size=2),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(profiles, min_size=2, max_size=6, unique_by=lambda p: p.id),
       st.sampled_from(["cross-region", "any"]), st.sampled_from([(), ("0710", "2930")]))
def test_properties_of_every_scored_pair(group, who, sectors):
    rules = Rules(who, sectors)
    by_id = {profile.id: profile for profile in group}
    pairs = score_pairs(group, rules)
    for pair in pairs:
        a, b = by_id[pair.firm_a], by_id[pair.firm_b]
        assert pair.firm_a < pair.firm_b and pair.score > 0
        assert who == "any" or a.region != b.region
        assert any(r.code.endswith(("your_need", "their_need", "your_offer", "same_activity", "same_field"))
                   for r in pair.reasons)
        # Mutual interest only when each side meets the other's need closely (HS 4+ digits, ISIC group+).
        # ("Related" products in one heading and activities that make the need count as close.)
        towards_a = ("they_offer_your_need", "their_activity_fits_your_need", "related_to_your_need",
                     "their_activity_makes_your_need")
        towards_b = ("they_need_your_offer", "your_activity_fits_their_need", "related_to_their_need",
                     "your_activity_makes_their_need")
        both_ways = (any(r.code in towards_a for r in pair.reasons) and any(r.code in towards_b for r in pair.reasons))
        # A reason says "what you need" only where the codes agree at the need's own level or deeper.
        for reason in pair.reasons:
            if reason.code in ("they_offer_your_need", "they_need_your_offer"):
                assert reason.params["offer"].startswith(reason.params["need"]), reason
            if reason.code in ("related_to_your_need", "related_to_their_need"):
                assert reason.params["need"][:reason.params["level"]] == reason.params["offer"][:reason.params["level"]]
                assert reason.params["need"] != reason.params["offer"][:len(reason.params["need"])], reason
        assert (Reason("mutual_interest", {}) in pair.reasons) == both_ways
        # Both firms see the same score, and the same reasons mirrored (ties may come in another order).
        mirrored = sorted(repr(reason) for reason in pair.towards(b.id).reasons)
        seen_by_b = rank_partners(group, b.id, rules)
        assert any(other.firm_b == a.id and other.score == pair.score
                   and sorted(repr(reason) for reason in other.reasons) == mirrored for other in seen_by_b)
    assert [pair.score for pair in pairs] == sorted((pair.score for pair in pairs), reverse=True)


def test_a_need_met_better_never_lowers_the_score():
    buyer = firm(1, needs=[(P, "870830"), (P, "848210")])
    for better, worse in ((("870830",), ("870840",)), (("870830", "848210"), ("870830",))):
        high = firm(2, "ch", offers=[(P, code) for code in better])
        low = firm(2, "ch", offers=[(P, code) for code in worse])
        assert score_of(buyer, high) > score_of(buyer, low)


def test_reasons_are_rendered_in_the_readers_language_with_code_titles(app):
    from flask_babel import refresh

    from planner.matching.reasons import describe_reason
    from planner.models import Product

    need = Reason("they_offer_your_need", {"kind": P, "need": "8708", "offer": "870830", "level": 4})
    interpreter = Reason("interpreter_needed", {"yours": ["ru"], "theirs": ["fa"]})
    with app.test_request_context("/?lang=fa"):
        refresh()
        text = describe_reason(need)
        assert "8708" in text and "870830" in text and "شما" in text
        assert app.extensions["sqlalchemy"].session.get(Product, "870830").title("fa") in text
    with app.test_request_context("/?lang=ru"):
        refresh()
        text = describe_reason(need)
        assert "8708" in text and "вам нужн" in text.lower()
        assert "переводчик" in describe_reason(interpreter).lower() and "персидск" in describe_reason(interpreter).lower()
    with app.test_request_context("/?lang=en"):
        refresh()
        assert describe_reason(need) == ("You need 8708 (Motor vehicles; parts and accessories, of heading no. 8701 to 8705); "
                                         "they offer 870830 (Vehicle parts; brakes, servo-brakes and parts thereof).")
        assert describe_reason({"code": "mutual_interest", "params": {}}).startswith("Mutual interest")


def test_a_chapter_match_is_a_broad_field_not_a_need_offer_match():
    bearings = firm(1, needs=[(P, "848210")], offers=[(P, "840820")])
    bulldozers = firm(2, "ch", ("ru", "en"), offers=[(P, "842911")], needs=[(P, "848299")])
    pair = score_pairs([bearings, bulldozers])[0]
    assert [r for r in pair.towards(1).reasons if r.code.startswith(("they_", "their_", "your_"))] == []
    assert Reason("same_field", {"kind": P, "field": "84"}) in pair.reasons
    assert codes(pair).count("same_field") == 1  # one line per chapter, whichever side it comes from
    assert "mutual_interest" not in codes(pair)
    # Both directions in chapter 84 earn no mutual bonus: two weak signals add up, nothing more.
    assert pair.score == 2 * 2.0 + 1.0  # two chapter matches and a shared language, no mutual bonus


def test_mutual_interest_needs_a_close_match_both_ways():
    close_back = firm(2, "ch", offers=[(P, "870830")], needs=[(P, "7208")])
    chapter_back = firm(3, "ch", offers=[(P, "870830")], needs=[(P, "721049")])
    isic_group = firm(4, "ch", offers=[(P, "870830")], needs=[(S, "293")])
    isic_division = firm(5, "ch", offers=[(P, "870830")], needs=[(S, "2910")])
    buyer = firm(1, needs=[(P, "870830")], offers=[(P, "720851"), (S, "2930")])
    others = [close_back, chapter_back, isic_group, isic_division]
    ranked = {pair.firm_b: pair for pair in rank_partners([buyer, *others], 1)}
    assert "mutual_interest" in codes(ranked[2]) and "mutual_interest" in codes(ranked[4])
    assert "mutual_interest" not in codes(ranked[3]) and "mutual_interest" not in codes(ranked[5])
    assert Reason("same_field", {"kind": S, "field": "29"}) in ranked[5].reasons
    assert ranked[2].score > ranked[3].score and ranked[4].score > ranked[5].score


def test_broad_field_reasons_are_worded_as_such(app):
    from flask_babel import refresh

    from planner.matching.reasons import describe_reason

    field = Reason("same_field", {"kind": P, "field": "84"})
    with app.test_request_context("/?lang=en"):
        refresh()
        text = describe_reason(field)
        assert "HS chapter 84" in text and "need" not in text.lower() and "offer" not in text.lower()
    with app.test_request_context("/?lang=fa"):
        refresh()
        assert "۸۴" in describe_reason(field) or "84" in describe_reason(field)
        assert "ماشین" in describe_reason(field)
    with app.test_request_context("/?lang=ru"):
        refresh()
        assert "84" in describe_reason(field) and "нужн" not in describe_reason(field).lower()


def test_six_digit_codes_without_a_translation_show_the_headings_title(app):
    from flask_babel import refresh

    from planner.matching.reasons import describe_reason
    from planner.models import Product

    session = app.extensions["sqlalchemy"].session
    node = session.get(Product, "870810")
    node.title_fa = node.title_ru = None
    heading = session.get(Product, "8708")
    need = Reason("they_offer_your_need", {"kind": P, "need": "870810", "offer": "870810", "level": 6})
    with app.test_request_context("/?lang=fa"):
        refresh()
        assert f"870810 — {heading.title_fa} (8708)" in describe_reason(need)
    with app.test_request_context("/?lang=ru"):
        refresh()
        assert f"870810 — {heading.title_ru} (8708)" in describe_reason(need)
        assert node.title_en not in describe_reason(need)


def test_lists_are_joined_by_babel_the_readers_way(app):
    from flask_babel import refresh

    from planner.matching.reasons import describe_reason
    from planner.text.scripts import join_list

    assert join_list(["الف", "ب"], "fa") == "الف و ب" and join_list(["a", "b"], "ru") == "a и b"
    assert join_list(["الف", "ب", "ج"], "fa") == "الف،\u200f ب، و ج"
    assert join_list(["a", "b", "c"], "en") == "a, b, and c"
    assert join_list(["a", "b", "c"], "fa", groups=True) == "a؛\u200f b؛ و c"
    assert join_list(["a, x", "b", "c"], "ru", groups=True) == "a, x; b и c"
    with app.test_request_context("/?lang=fa"):
        refresh()
        text = describe_reason(Reason("shared_language", {"languages": ["en", "fa", "ru"]}))
        assert "، " in text and " و " in text and ", " not in text


def test_two_subheadings_of_one_heading_are_related_not_what_you_need():
    truck_maker = firm(1, "kr", needs=[(P, "870850")])  # needs drive axles
    brake_maker = firm(2, "ch", offers=[(P, "870830")])  # offers brakes
    axle_maker = firm(3, "ch", offers=[(P, "870850")])
    pair = rank_partners([truck_maker, brake_maker], 1)[0]
    assert "they_offer_your_need" not in codes(pair) and "related_to_your_need" in codes(pair)
    related = next(r for r in pair.reasons if r.code == "related_to_your_need")
    assert related.params["common"] == "8708" and (related.params["need"], related.params["offer"]) == ("870850", "870830")
    assert "related_to_their_need" in codes(pair.towards(2))
    # The exact subheading is "what you need" and scores above a related one: the order of levels holds.
    exact = rank_partners([truck_maker, axle_maker], 1)[0]
    assert "they_offer_your_need" in codes(exact)
    assert score_of(truck_maker, axle_maker) > score_of(truck_maker, brake_maker) > 0


def test_a_firm_whose_activity_makes_the_needed_heading_is_found_below_a_direct_offer():
    rules = Rules(makers={"8474": ("2824",), "8413": ("2813",)})
    needer = firm(1, "kr", needs=[(P, "847420")])
    crusher_maker = firm(2, "ch", activities=("2824",))  # listed no HS code at all
    offers_it = firm(3, "ch", offers=[(P, "847420")])
    unrelated = firm(4, "ch", activities=("2813",))
    ranked = rank_partners([needer, crusher_maker, offers_it, unrelated], 1, rules)
    assert [pair.firm_b for pair in ranked] == [3, 2]
    assert "their_activity_makes_your_need" in codes(ranked[1])
    reason = next(r for r in ranked[1].reasons if r.code == "their_activity_makes_your_need")
    assert reason.params == {"need": "847420", "activity": "2824"}
    assert "your_activity_makes_their_need" in codes(ranked[1].towards(2))
    assert rank_partners([needer, crusher_maker], 1) == []  # without the concordance there is no match
