"""Matching against the database: loads firm profiles and an event's rules, then calls the pure
scoring core in `planner.matching.scoring`.

Stable entry points for other features (the scheduler proposes meetings with them):

``score_pairs_for_event(event) -> list[PairScore]``
    every allowed, scored pair of firms registered for `event` (firm_a < firm_b), best first.
``suggest_partners(event, firm_id, limit=10, *, exclude_requested=True) -> list[PairScore]``
    the best partners for one firm in `event`, oriented so `firm_a == firm_id` and
    `firm_b` is the partner; pairs that already have a pending, accepted or declined
    request are left out unless `exclude_requested=False`.
``score_between(event, firm_id, other_id) -> PairScore | None``
    one pair seen from `firm_id` (None when they do not fit).
``firm_matches(firm_id, event=None, limit=20, *, public_only=False) -> list[PairScore]``
    the same ranking without exclusions (recommendations page, API, CLI); without an event,
    every firm is a candidate under the default cross-region rule; firm members see public
    firms only.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from planner.extensions import db
from planner.matching.scoring import WHO_CAN_MEET, FirmProfile, Interest, PairScore, Rules, rank_partners, score_pairs
from planner.models import EventRegistration, Firm, MeetingRequest
from planner.models.enums import RequestStatus
from planner.taxonomy.reference import hs_makers


def load_profiles(firm_ids: Iterable[int] | None = None, *, public_besides: int | None = None) -> list[FirmProfile]:
    """Profiles of the given firms (every firm when None), built from their rows; with
    `public_besides`, only public firms and that one firm."""

    query = select(Firm).options(
        selectinload(Firm.region), selectinload(Firm.sectors), selectinload(Firm.capabilities),
        selectinload(Firm.needs), selectinload(Firm.participants),
    ).order_by(Firm.id)
    if firm_ids is not None:
        query = query.where(Firm.id.in_(list(firm_ids)))
    if public_besides is not None:
        query = query.where(or_(Firm.public.is_(True), Firm.id == public_besides))
    return [profile_of(firm) for firm in db.session.scalars(query)]


def profile_of(firm) -> FirmProfile:
    languages = set(firm.languages or [])
    for person in firm.participants:
        languages.update(person.languages or [])
    return FirmProfile(
        id=firm.id,
        region=firm.region.key,
        languages=frozenset(languages),
        activities=tuple(sector.code for sector in firm.sectors),
        offers=tuple(Interest(item.kind, item.code) for item in firm.capabilities),
        needs=tuple(Interest(item.kind, item.code) for item in firm.needs),
    )


def event_rules(event) -> Rules:
    """The round's matching rules (who may meet whom, the exhibition's sectors), with the HS → ISIC
    concordance; without a round, the default rules."""
    makers = hs_makers(Path(current_app.config["DATA_DIR"]))
    if event is None:
        return Rules(makers=makers)
    sectors = tuple(sector.code for sector in event.exhibition.sectors) if event.exhibition else ()
    who = event.who_can_meet if event.who_can_meet in WHO_CAN_MEET else "cross-region"
    return Rules(who_can_meet=who, exhibition_sectors=sectors, makers=makers)


def event_firm_ids(event) -> list[int]:
    """Ids of the firms taking part in `event` (approved: a firm waiting for approval is offered to nobody)."""
    return list(db.session.scalars(select(EventRegistration.firm_id).where(EventRegistration.event_id == event.id,
                                                                          EventRegistration.takes_part)))


def _candidate_profiles(event, firm_id: int | None = None, public_only: bool = False) -> list[FirmProfile]:
    besides = firm_id if public_only else None
    if event is None:
        return load_profiles(public_besides=besides)
    ids = set(event_firm_ids(event))
    if firm_id is not None:
        ids.add(firm_id)
    return load_profiles(ids, public_besides=besides)


def score_pairs_for_event(event) -> list[PairScore]:
    """Every allowed, scored pair of the firms registered for `event`, best first."""
    return score_pairs(_candidate_profiles(event), event_rules(event))


def requested_partners(event, firm_id: int) -> set[int]:
    """Firms that have a pending, accepted or declined request with `firm_id` in `event`."""

    rows = db.session.execute(
        select(MeetingRequest.requester_firm_id, MeetingRequest.target_firm_id).where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.status.in_((RequestStatus.PENDING, RequestStatus.ACCEPTED, RequestStatus.DECLINED)),
            or_(MeetingRequest.requester_firm_id == firm_id, MeetingRequest.target_firm_id == firm_id),
        )
    )
    return {target if requester == firm_id else requester for requester, target in rows}


def suggest_partners(event, firm_id: int, limit: int = 10, *, exclude_requested: bool = True) -> list[PairScore]:
    """The best partners for `firm_id` in `event` (firm_a == firm_id), leaving out requested ones."""
    exclude = requested_partners(event, firm_id) if exclude_requested else set()
    return rank_partners(_candidate_profiles(event, firm_id), firm_id, event_rules(event), limit, exclude)


def score_between(event, firm_id: int, other_id: int) -> PairScore | None:
    """The pair's score and reasons seen from `firm_id`, or None when they do not fit."""
    ranked = rank_partners(load_profiles([firm_id, other_id]), firm_id, event_rules(event))
    return ranked[0] if ranked else None


def firm_matches(firm_id: int, event=None, limit: int | None = 20, *, public_only: bool = False) -> list[PairScore]:
    """Ranked partners of one firm (firm_a == firm_id) for the page, the API and the CLI;
    `public_only` (what firm members see) leaves out firms hidden from the directory."""
    return rank_partners(_candidate_profiles(event, firm_id, public_only), firm_id, event_rules(event), limit)
