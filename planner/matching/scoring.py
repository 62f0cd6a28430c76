"""Scored candidate pairs of firms, with reasons as codes.

The scoring core is pure: frozen dataclasses in (`FirmProfile`, `Rules`), `PairScore`s out.
It never touches the database, Flask or translations; `planner.matching.candidates`
loads profiles from the database and holds the entry points other features call. `planner.matching.reasons` renders reasons in the
reader's language.

Score of a pair (A, B) allowed to meet (`Rules.who_can_meet`: "cross-region" keeps only
firms of different regions, "any" keeps every pair):

* for each need of A, the best matching offer of B (an HS product or ISIC activity they
  offer, or one of their registered ISIC activities, worth a little less); HS codes match
  on 6 > 4 > 2 digits, ISIC on class > group > division (`MATCH_WEIGHTS`); and the same for
  B's needs against A's offers;
* when both directions match closely (HS heading or subheading, ISIC group or class:
  `STRONG_LEVELS`), a mutual-interest bonus; a match on the HS chapter or ISIC division
  alone says only that both firms are in the same broad field (bearings and bulldozers
  share chapter 84), so it scores a little and is worded as such, never as need ↔ offer;
* a little for an ISIC class or group both firms work in (room to cooperate);
* a shared language (+) or an interpreter needed (−);
* a point for each firm whose activities fall under the event's exhibition sectors.

Only pairs with a need ↔ offer match or a shared activity are scored at all.

Reasons are `Reason(code, params)` seen from `PairScore.firm_a`'s side; `PairScore.towards(id)`
turns a pair around. Codes: `they_offer_your_need`, `they_need_your_offer`
(params kind, need, offer, level), `their_activity_fits_your_need`,
`your_activity_fits_their_need` (need, activity, level), all at `STRONG_LEVELS` or deeper;
`same_field` (kind, field: the 2-digit HS chapter or ISIC division both codes fall in),
`same_activity` (activity, theirs, level), `mutual_interest`,
`shared_language` (languages), `interpreter_needed` (yours, theirs), `exhibition_sector`
(sectors).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter

from planner.matching.codes import (
    ACTIVITY_FACTOR,
    EXHIBITION_BONUS,
    INTERPRETER_PENALTY,
    LANGUAGE_BONUS,
    LEVELS,
    MAKER_FACTOR,
    MATCH_WEIGHTS,
    MUTUAL_BONUS,
    MUTUAL_SHARE,
    PRODUCT,
    SAME_ACTIVITY_WEIGHTS,
    SECTOR,
    WHO_CAN_MEET,
    Match,
    Reason,
    SharedActivity,
    _interest_reasons,
    is_strong,
    match_level,
)

_first = itemgetter(0)

__all__ = ["PRODUCT", "SECTOR", "WHO_CAN_MEET", "FirmProfile", "Interest", "PairScore", "Reason", "Rules",
           "is_strong", "match_level", "rank_partners", "score_pair", "score_pairs", "exhibition_fit"]

@dataclass(frozen=True, slots=True)
class Interest:
    """A coded need or offer: an HS product (2, 4 or 6 digits) or an ISIC activity (2–4 digits)."""

    kind: str
    code: str


@dataclass(frozen=True, slots=True)
class FirmProfile:
    id: int
    region: str
    languages: frozenset[str] = frozenset()
    activities: tuple[str, ...] = ()  # ISIC codes the firm works in
    offers: tuple[Interest, ...] = ()
    needs: tuple[Interest, ...] = ()


@dataclass(frozen=True, slots=True)
class Rules:
    who_can_meet: str = "cross-region"
    exhibition_sectors: tuple[str, ...] = ()
    # HS heading (4 digits) -> ISIC classes whose firms make such goods (data/hs2022/hs-isic4.csv).
    makers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def allows(self, a: FirmProfile, b: FirmProfile) -> bool:
        return a.id != b.id and (self.who_can_meet == "any" or a.region != b.region)


class PairScore:
    """A scored pair; `reasons` are seen from `firm_a`'s side.

    Reasons are built on first use: scoring a thousand firms against a thousand makes many
    pairs whose reasons nobody reads. Treat instances as immutable.
    """

    __slots__ = ("firm_a", "firm_b", "score", "_reasons", "_explain")

    def __init__(self, firm_a: int, firm_b: int, score: float, reasons: tuple[Reason, ...] | None = None, *,
                 explain: Callable[[], tuple[Reason, ...]] | None = None):
        self.firm_a, self.firm_b, self.score = firm_a, firm_b, score
        self._reasons, self._explain = reasons, explain

    @property
    def reasons(self) -> tuple[Reason, ...]:
        if self._reasons is None:
            self._reasons = self._explain() if self._explain is not None else ()
            self._explain = None
        return self._reasons

    def towards(self, firm_id: int) -> PairScore:
        """The same pair seen by `firm_id` (which becomes `firm_a`)."""
        if firm_id == self.firm_a:
            return self
        if firm_id != self.firm_b:
            raise ValueError(f"firm {firm_id} is not in this pair")
        return PairScore(self.firm_b, self.firm_a, self.score,
                         explain=lambda: tuple(reason.flipped() for reason in self.reasons))

    def partner_of(self, firm_id: int) -> int:
        return self.firm_b if firm_id == self.firm_a else self.firm_a

    def as_dict(self) -> dict:
        return {"firm_a": self.firm_a, "firm_b": self.firm_b, "score": self.score,
                "reasons": [reason.as_dict() for reason in self.reasons]}

    def __eq__(self, other) -> bool:
        if not isinstance(other, PairScore):
            return NotImplemented
        return (self.firm_a, self.firm_b, self.score, self.reasons) == (other.firm_a, other.firm_b, other.score,
                                                                         other.reasons)

    __hash__ = None

    def __repr__(self) -> str:
        return f"PairScore(firm_a={self.firm_a}, firm_b={self.firm_b}, score={self.score}, reasons={self.reasons!r})"


def _offer_index(profiles: Iterable[FirmProfile]) -> dict[tuple[str, str], list[tuple[int, str, str, str]]]:
    """(kind, prefix) -> [(firm id, region, code, source)] for every offer and activity prefix."""
    index: dict[tuple[str, str], list] = defaultdict(list)
    for profile in profiles:
        entries = [(offer.kind, offer.code, "offer") for offer in profile.offers]
        entries += [(SECTOR, code, "activity") for code in profile.activities if code.isdigit()]
        seen = set()
        for kind, code, source in entries:
            for level in LEVELS[kind]:
                if level <= len(code) and (kind, code[:level], code, source) not in seen:
                    seen.add((kind, code[:level], code, source))
                    index[(kind, code[:level])].append((profile.id, profile.region, code, source))
    return index


def _directed_matches(needers: Iterable[FirmProfile], index, rules: Rules) -> dict[tuple[int, int], list[Match]]:
    """(needer, offerer) -> the best match of each of the needer's needs among the offerer's offers."""
    cross = rules.who_can_meet != "any"
    result: dict[tuple[int, int], list[Match]] = defaultdict(list)
    for profile in needers:
        for need in profile.needs:
            best: dict[int, Match] = {}
            for level in LEVELS.get(need.kind, ()):
                if level > len(need.code):
                    continue
                base = MATCH_WEIGHTS[(need.kind, level)]
                for firm_id, region, code, source in index.get((need.kind, need.code[:level]), ()):
                    if firm_id == profile.id or (cross and region == profile.region):
                        continue
                    weight = base if source == "offer" else base * ACTIVITY_FACTOR
                    current = best.get(firm_id)
                    if current is None or weight > current.weight:
                        best[firm_id] = Match(weight, need.kind, need.code, code, level, source)
            if need.kind == PRODUCT and len(need.code) >= 4:
                weight = MATCH_WEIGHTS[(PRODUCT, 4)] * MAKER_FACTOR
                for activity in rules.makers.get(need.code[:4], ()):
                    for firm_id, region, code, _source in index.get((SECTOR, activity), ()):
                        if firm_id == profile.id or (cross and region == profile.region):
                            continue
                        current = best.get(firm_id)
                        if current is None or weight > current.weight:
                            best[firm_id] = Match(weight, PRODUCT, need.code, code, 4, "maker")
            for firm_id, match in best.items():
                result[(profile.id, firm_id)].append(match)
    return result


def exhibition_fit(profile: FirmProfile, sectors: tuple[str, ...]) -> tuple[str, ...]:
    """The exhibition sectors that the firm's activities or ISIC offers fall under."""
    if not sectors:
        return ()
    codes = list(profile.activities) + [offer.code for offer in profile.offers if offer.kind == SECTOR]
    return tuple(sorted({sector for sector in sectors for code in codes
                         if code.startswith(sector) or sector.startswith(code)}))


def _shared_activities(firms: Iterable[FirmProfile], others: Iterable[FirmProfile],
                       rules: Rules) -> dict[tuple[int, int], SharedActivity]:
    """(a, b) -> (level, a's code, b's code): the closest ISIC class or group both firms work in."""
    index: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for profile in others:
        for code in profile.activities:
            for level in SAME_ACTIVITY_WEIGHTS:
                if len(code) >= level and code.isdigit():
                    index[code[:level]].append((profile.id, profile.region, code))
    cross = rules.who_can_meet != "any"
    result: dict[tuple[int, int], SharedActivity] = {}
    for profile in firms:
        for code in profile.activities:
            for level in SAME_ACTIVITY_WEIGHTS:
                if len(code) < level:
                    continue
                for other_id, region, other_code in index.get(code[:level], ()):
                    if other_id == profile.id or (cross and region == profile.region):
                        continue
                    current = result.get((profile.id, other_id))
                    # Closest level first; ties go to the smaller pair of codes, seen alike from both sides.
                    if current is None or level > current.level or (
                            level == current.level and sorted((code, other_code)) < sorted((current.code, current.other_code))):
                        result[(profile.id, other_id)] = SharedActivity(level, code, other_code)
    return result


def _strong(matches: list[Match]) -> bool:
    return any(is_strong(match.kind, match.level) for match in matches)


def score_pair(a: FirmProfile, b: FirmProfile, ab: list[Match], ba: list[Match], rules: Rules,
               fits: Mapping[int, tuple[str, ...]] | None = None,
               shared: SharedActivity | None = None) -> PairScore | None:
    """Combine both directions (A's needs met by B: `ab`; B's needs met by A: `ba`) and,
    when `shared` = (level, A's code, B's code), an ISIC class or group both work in."""
    need_ab = sum(match.weight for match in ab)
    need_ba = sum(match.weight for match in ba)
    if need_ab <= 0 and need_ba <= 0 and shared is None:
        return None
    if fits is None:
        fits = {a.id: exhibition_fit(a, rules.exhibition_sectors), b.id: exhibition_fit(b, rules.exhibition_sectors)}
    score = need_ab + need_ba
    if _strong(ab) and _strong(ba):
        score += MUTUAL_BONUS + MUTUAL_SHARE * min(need_ab, need_ba)
    if shared is not None:
        score += SAME_ACTIVITY_WEIGHTS[shared.level]
    if a.languages and b.languages:
        score += LANGUAGE_BONUS if a.languages & b.languages else -INTERPRETER_PENALTY
    if rules.exhibition_sectors:
        score += EXHIBITION_BONUS * (bool(fits[a.id]) + bool(fits[b.id]))
    return PairScore(a.id, b.id, round(max(score, 0.1), 2),
                     explain=partial(_pair_reasons, a, b, ab, ba, rules, fits, shared))


def _pair_reasons(a: FirmProfile, b: FirmProfile, ab: list[Match], ba: list[Match], rules: Rules,
                  fits: Mapping[int, tuple[str, ...]], shared: SharedActivity | None) -> tuple[Reason, ...]:
    """The reasons behind `score_pair`'s points, seen from A, strongest first."""
    head = [Reason("mutual_interest", {})] if _strong(ab) and _strong(ba) else []
    weighted = _interest_reasons(ab, towards_needer=True) + _interest_reasons(ba, towards_needer=False)
    if shared is not None:
        level, mine, theirs = shared
        weighted.append((SAME_ACTIVITY_WEIGHTS[level],
                         Reason("same_activity", {"activity": mine, "theirs": theirs, "level": level})))
    weighted.sort(key=_first, reverse=True)
    reasons, seen = [], set()
    for _weight, reason in weighted:  # one "same field" line per chapter or division, from either side
        if reason.code == "same_field":
            key = (reason.params["kind"], reason.params["field"])
            if key in seen:
                continue
            seen.add(key)
        reasons.append(reason)
    tail = []
    if a.languages and b.languages:
        common = a.languages & b.languages
        if common:
            tail.append(Reason("shared_language", {"languages": sorted(common)}))
        else:
            tail.append(Reason("interpreter_needed", {"yours": sorted(a.languages), "theirs": sorted(b.languages)}))
    if rules.exhibition_sectors and (fits[a.id] or fits[b.id]):
        tail.append(Reason("exhibition_sector", {"sectors": sorted(set(fits[a.id]) | set(fits[b.id]))}))
    return tuple(head + reasons + tail)


def score_pairs(profiles: Iterable[FirmProfile], rules: Rules = Rules()) -> list[PairScore]:
    """Every allowed pair with a need ↔ offer match (firm_a < firm_b), best first."""
    profiles = list(profiles)
    by_id = {profile.id: profile for profile in profiles}
    directed = _directed_matches(profiles, _offer_index(profiles), rules)
    fits = {profile.id: exhibition_fit(profile, rules.exhibition_sectors) for profile in profiles}
    shared = _shared_activities(profiles, profiles, rules)
    pairs = {(min(a, b), max(a, b)) for a, b in directed} | {(a, b) for a, b in shared if a < b}
    empty: list = []
    result = []
    for a, b in pairs:
        pa, pb = by_id[a], by_id[b]
        if not rules.allows(pa, pb):
            continue
        scored = score_pair(pa, pb, directed.get((a, b), empty), directed.get((b, a), empty), rules, fits,
                            shared.get((a, b)))
        if scored is not None:
            result.append(scored)
    result.sort(key=lambda pair: (-pair.score, pair.firm_a, pair.firm_b))
    return result


def rank_partners(profiles: Iterable[FirmProfile], firm_id: int, rules: Rules = Rules(),
                  limit: int | None = None, exclude: Iterable[int] = ()) -> list[PairScore]:
    """The best partners of one firm, oriented so `firm_a == firm_id`, best first."""
    profiles = list(profiles)
    by_id = {profile.id: profile for profile in profiles}
    me = by_id.get(firm_id)
    if me is None:
        return []
    excluded = set(exclude)
    others = [profile for profile in profiles if profile.id != firm_id]
    mine = _directed_matches([me], _offer_index(others), rules)
    theirs = _directed_matches(others, _offer_index([me]), rules)
    shared = _shared_activities([me], others, rules)
    partners = {b for (_a, b) in mine} | {a for (a, _b) in theirs} | {b for (_a, b) in shared}
    result = []
    for partner in partners - excluded:
        other = by_id[partner]
        if not rules.allows(me, other):
            continue
        scored = score_pair(me, other, mine.get((firm_id, partner), []), theirs.get((partner, firm_id), []), rules,
                            shared=shared.get((firm_id, partner)))
        if scored is not None:
            result.append(scored)
    result.sort(key=lambda pair: (-pair.score, pair.firm_b))
    return result[:limit] if limit else result
