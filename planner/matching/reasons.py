"""Reasons of a match rendered for a reader, with code titles in their language, and the
JSON shape the API and the `matches` command share."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.extensions import db
from planner.matching.scoring import PRODUCT, SECTOR, PairScore, Reason
from planner.models import Firm
from planner.taxonomy.codes import code_tree, title_of
from planner.text.i18n import _, current_locale
from planner.text.labels import language_label
from planner.text.scripts import join_list


def _code_label(kind: str, code: str, locale: str) -> str:
    """'8708 (title)'; a code without a title in `locale` gets its parent's instead:
    '870810 — قطعات … (8708)'. Titles come from the cached code tree (no query per code)."""
    tree_kind = "product" if kind == PRODUCT else "sector"
    title = title_of(tree_kind, code, locale)
    if title is None:
        return code
    own = code_tree(tree_kind)[code].titles
    return f"{code} ({title})" if title == (own.get(locale) or own.get("en", "")) else f"{code} — {title}"


def _languages(codes: Iterable[str], locale: str) -> str:
    return join_list((language_label(code) for code in codes), locale)


def describe_reason(reason: Reason | Mapping, locale: str | None = None) -> str:
    """One reason as a sentence for the reader (the firm on whose side the reason is)."""
    if not isinstance(reason, Reason):
        reason = Reason(reason["code"], reason.get("params") or {})
    locale = locale or current_locale()
    p = reason.params
    code = reason.code
    if code in ("they_offer_your_need", "they_need_your_offer"):
        kind = p.get("kind", PRODUCT)
        need, offer = _code_label(kind, p["need"], locale), _code_label(kind, p["offer"], locale)
        if code == "they_offer_your_need":
            if p["need"] == p["offer"]:
                return _("They offer %(code)s, which you need.", code=offer)
            return _("You need %(need)s; they offer %(offer)s.", need=need, offer=offer)
        if p["need"] == p["offer"]:
            return _("They need %(code)s, which you offer.", code=offer)
        return _("They need %(need)s; you offer %(offer)s.", need=need, offer=offer)
    if code in ("related_to_your_need", "related_to_their_need"):
        kind = p.get("kind", PRODUCT)
        common = _code_label(kind, p["common"], locale)
        need, offer = _code_label(kind, p["need"], locale), _code_label(kind, p["offer"], locale)
        if kind == PRODUCT:
            if code == "related_to_your_need":
                return _("Related products in heading %(heading)s: you need %(need)s; they offer %(offer)s.",
                         heading=common, need=need, offer=offer)
            return _("Related products in heading %(heading)s: they need %(need)s; you offer %(offer)s.",
                     heading=common, need=need, offer=offer)
        if code == "related_to_your_need":
            return _("Related activities in ISIC group %(group)s: you look for %(need)s; they work in %(offer)s.",
                     group=common, need=need, offer=offer)
        return _("Related activities in ISIC group %(group)s: they look for %(need)s; you work in %(offer)s.",
                 group=common, need=need, offer=offer)
    if code == "their_activity_makes_your_need":
        return _("Their activity makes what you need: you need %(need)s; they work in %(activity)s.",
                 need=_code_label(PRODUCT, p["need"], locale), activity=_code_label(SECTOR, p["activity"], locale))
    if code == "your_activity_makes_their_need":
        return _("Your activity makes what they need: they need %(need)s; you work in %(activity)s.",
                 need=_code_label(PRODUCT, p["need"], locale), activity=_code_label(SECTOR, p["activity"], locale))
    if code == "same_field":
        field = _code_label(p["kind"], p["field"], locale)
        if p["kind"] == PRODUCT:
            return _("Same broad field: you are both in HS chapter %(chapter)s.", chapter=field)
        return _("Same broad field: you both work in ISIC division %(division)s.", division=field)
    if code == "their_activity_fits_your_need":
        return _("You look for %(need)s; they work in %(activity)s.",
                 need=_code_label(SECTOR, p["need"], locale), activity=_code_label(SECTOR, p["activity"], locale))
    if code == "your_activity_fits_their_need":
        return _("They look for %(need)s; you work in %(activity)s.",
                 need=_code_label(SECTOR, p["need"], locale), activity=_code_label(SECTOR, p["activity"], locale))
    if code == "same_activity":
        if p["activity"] == p["theirs"]:
            return _("You both work in %(activity)s: room to cooperate.",
                     activity=_code_label(SECTOR, p["activity"], locale))
        return _("You work in %(activity)s and they in %(theirs)s: room to cooperate.",
                 activity=_code_label(SECTOR, p["activity"], locale), theirs=_code_label(SECTOR, p["theirs"], locale))
    if code == "mutual_interest":
        return _("Mutual interest: each of you offers something the other needs.")
    if code == "shared_language":
        return _("You share a language: %(languages)s.", languages=_languages(p["languages"], locale))
    if code == "interpreter_needed":
        return _("An interpreter is needed: you speak %(yours)s, they speak %(theirs)s.",
                 yours=_languages(p["yours"], locale), theirs=_languages(p["theirs"], locale))
    if code == "exhibition_sector":
        sectors = (_code_label(SECTOR, sector, locale) for sector in p["sectors"])
        return _("Fits the exhibition's sectors: %(sectors)s.", sectors=join_list(sectors, locale, groups=True))
    return code


def matches_as_json(pairs: Iterable[PairScore], firm_id: int, locale: str | None = None) -> list[dict]:
    """The API and CLI shape: [{"firm_id", "firm_name", "score", "reasons": [{"code", "params"}]}]."""
    locale = locale or current_locale()
    pairs = [pair.towards(firm_id) for pair in pairs]
    partners = {firm.id: firm for firm in db.session.scalars(  # one query, not one per pair
        select(Firm).where(Firm.id.in_([pair.firm_b for pair in pairs])).options(selectinload(Firm.region)))}
    result = []
    for pair in pairs:
        partner = partners[pair.firm_b]
        result.append({"firm_id": partner.id, "firm_name": partner.display_name(locale), "score": pair.score,
                       "reasons": [reason.as_dict() for reason in pair.reasons]})
    return result
