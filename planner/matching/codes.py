"""The vocabulary of matching, pure: code kinds and levels, weights, a directed `Match`, and
`Reason` codes with what each one may claim.

A need and an offer (or activity) that agree on the need's own code or deeper are "they offer
what you need"; codes that share only a part (an HS heading for two different subheadings, an
ISIC group for two classes) are "related" and say where they meet; a shared HS chapter or ISIC
division alone is "the same broad field". A need for an HS heading met by a firm whose ISIC
activity makes such goods (the HS → ISIC concordance in `Rules.makers`) is "their activity makes
what you need", scored below a direct product match.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

PRODUCT, SECTOR = "product", "sector"
LEVELS = {PRODUCT: (6, 4, 2), SECTOR: (4, 3, 2)}  # HS subheading/heading/chapter; ISIC class/group/division
MATCH_WEIGHTS = {
    (PRODUCT, 6): 10.0, (PRODUCT, 4): 6.0, (PRODUCT, 2): 2.0,
    (SECTOR, 4): 8.0, (SECTOR, 3): 5.0, (SECTOR, 2): 2.0,
}
STRONG_LEVELS = {PRODUCT: 4, SECTOR: 3}  # below these a match only says "the same broad field"
SAME_ACTIVITY_WEIGHTS = {4: 3.0, 3: 2.0}  # both firms work in one ISIC class / group: room to cooperate
ACTIVITY_FACTOR = 0.75  # a registered activity counts a little less than a declared offer
# An HS heading needed, an ISIC activity that makes it (concordance): below a direct product match.
MAKER_FACTOR = 0.6
MUTUAL_BONUS = 5.0
MUTUAL_SHARE = 0.5  # plus half the weaker direction
LANGUAGE_BONUS = 1.0
INTERPRETER_PENALTY = 1.0
EXHIBITION_BONUS = 1.0
REASONS_PER_DIRECTION = 3
WHO_CAN_MEET = ("cross-region", "any")

FLIPPED = {
    "they_offer_your_need": "they_need_your_offer",
    "they_need_your_offer": "they_offer_your_need",
    "their_activity_fits_your_need": "your_activity_fits_their_need",
    "your_activity_fits_their_need": "their_activity_fits_your_need",
    "related_to_your_need": "related_to_their_need",
    "related_to_their_need": "related_to_your_need",
    "their_activity_makes_your_need": "your_activity_makes_their_need",
    "your_activity_makes_their_need": "their_activity_makes_your_need",
}


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    params: Mapping = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}

    def flipped(self) -> Reason:
        if self.code == "interpreter_needed":
            return Reason(self.code, {"yours": self.params["theirs"], "theirs": self.params["yours"]})
        if self.code == "same_activity":
            return Reason(self.code, {"activity": self.params["theirs"], "theirs": self.params["activity"],
                                      "level": self.params["level"]})
        return Reason(FLIPPED.get(self.code, self.code), self.params)


def is_strong(kind: str, level: int) -> bool:
    """A match close enough to say "they offer what you need" (HS 4+ digits, ISIC group or class)."""
    return level >= STRONG_LEVELS[kind]


def match_level(kind: str, need: str, offer: str) -> int:
    """The deepest level (digits) at which two codes of one kind agree; 0 when they do not."""
    for level in LEVELS[kind]:
        if level <= len(need) and level <= len(offer) and need[:level] == offer[:level]:
            return level
    return 0


class Match(NamedTuple):
    """One need of a firm met by another firm's offer or registered activity (one direction)."""

    weight: float
    kind: str  # PRODUCT or SECTOR
    need: str  # the needer's code
    offer: str  # the offerer's code (an offer, or an ISIC activity when source is "activity")
    level: int  # digits the two codes share (HS 6/4/2, ISIC 4/3/2)
    source: str  # "offer" | "activity" | "maker" (an ISIC activity that makes the needed HS heading)


class SharedActivity(NamedTuple):
    """The closest ISIC class or group two firms both work in."""

    level: int
    code: str  # the first firm's code
    other_code: str  # the second firm's code


def _interest_reasons(matches: list[Match], towards_needer: bool) -> list[tuple[float, Reason]]:
    """Reasons for one direction; `towards_needer` when the reader is the firm with the needs."""
    reasons = []
    best = matches if len(matches) == 1 else sorted(matches, reverse=True)[:REASONS_PER_DIRECTION]
    for weight, kind, need, offer, level, source in best:
        if not is_strong(kind, level):
            code, params = "same_field", {"kind": kind, "field": need[:level]}
        elif source == "maker":
            code = "their_activity_makes_your_need" if towards_needer else "your_activity_makes_their_need"
            params = {"need": need, "activity": offer}
        elif level < len(need):  # they agree on a part of the need only: related, never "what you need"
            code = "related_to_your_need" if towards_needer else "related_to_their_need"
            params = {"kind": kind, "need": need, "offer": offer, "level": level, "common": need[:level]}
        elif source == "offer":
            code = "they_offer_your_need" if towards_needer else "they_need_your_offer"
            params = {"kind": kind, "need": need, "offer": offer, "level": level}
        else:
            code = "their_activity_fits_your_need" if towards_needer else "your_activity_fits_their_need"
            params = {"need": need, "activity": offer, "level": level}
        reasons.append((weight, Reason(code, params)))
    return reasons
