"""Every "unscheduled" and "firm without a meeting" reason is computed from the data the
scheduler used: one situation per reason, each checked by its code and, for the board, by
the message the organiser reads."""
from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from planner.events.attendance import set_attending_days
from planner.events.services import register_firms
from planner.extensions import db
from planner.models import Delegation, MeetingRequest
from planner.scheduling.board import MoveRefused, place_request
from planner.scheduling.drafts import solve_event
from planner.scheduling.explain import zero_label
from tests.factories import make_firm, make_meeting_request, region
from tests.scheduling_factories import make_round

LIMIT = 3.0


def _reasons(version) -> tuple[dict[int, str], dict[int, str]]:
    skipped = {item["request_id"]: item["reason"] for item in version.unscheduled}
    zero = {item["firm_id"]: item["reason"] for item in version.stats["zero_firms"]}
    return skipped, zero


def test_a_visit_outside_its_travel_window_is_named_as_the_reason(app):
    r = make_round()
    event, firms = r["event"], r["firms"]
    visit = Delegation(key="nov", region=region("chelyabinsk"), name={"en": "November visit"},
                       travel_start=date(2026, 11, 1), travel_end=date(2026, 11, 6), events=[event],
                       members=[p for key in ("ru1", "ru2") for p in firms[key].participants])
    db.session.add(visit)
    db.session.flush()
    version, _solution = solve_event(event, time_limit_s=LIMIT)
    skipped, zero = _reasons(version)
    assert version.meetings == []
    assert set(skipped.values()) == {"outside_travel_window"} and len(skipped) == 4
    assert {zero[firms[k].id] for k in firms} == {"outside_travel_window"}, "no firm is said to lack requests"
    with pytest.raises(MoveRefused) as refused:
        with app.test_request_context("/?lang=en"):
            place_request(version, r["requests"]["ir1-ru1"], r["slots"][0], r["tables"][0])
    assert "travel window" in str(refused.value) and "no longer accepted" not in str(refused.value)


def test_the_same_visit_in_a_round_it_does_not_attend_changes_nothing(app):
    r = make_round()
    visit = Delegation(key="nov", region=region("chelyabinsk"), name={"en": "November visit"},
                       travel_start=date(2026, 11, 1), travel_end=date(2026, 11, 6),
                       members=[p for key in ("ru1", "ru2") for p in r["firms"][key].participants])
    db.session.add(visit)
    db.session.flush()
    version, _solution = solve_event(r["event"], time_limit_s=LIMIT)
    assert len(version.meetings) == 4 and version.unscheduled == []


def test_people_who_attend_none_of_the_days(app):
    r = make_round()
    for person in r["firms"]["ru2"].participants:
        set_attending_days(person, r["event"], [])
    version, _solution = solve_event(r["event"], time_limit_s=LIMIT)
    skipped, zero = _reasons(version)
    assert skipped == {r["requests"]["ir2-ru2"].id: "not_attending_days", r["requests"]["ir1-ru2"].id: "not_attending_days"}
    assert zero == {r["firms"]["ru2"].id: "not_attending_days"}


def test_a_firm_without_people_and_one_without_requests(app):
    r = make_round()
    lonely = make_firm("chelyabinsk")
    empty = make_firm("chelyabinsk", participants=0)
    register_firms(r["event"], [lonely, empty])
    make_meeting_request(r["event"], r["firms"]["ir1"], empty)
    db.session.flush()
    version, _solution = solve_event(r["event"], time_limit_s=LIMIT)
    _skipped, zero = _reasons(version)
    assert zero == {lonely.id: "no_requests", empty.id: "no_people"}
    assert zero_label("no_people") != zero_label("no_requests")


def test_accepted_requests_left_out_are_not_called_missing(app):
    r = make_round(who_can_meet="cross-region")
    event = r["event"]
    host, neighbour, outsider = make_firm(), make_firm(), make_firm("chelyabinsk")
    register_firms(event, [host, neighbour])
    same = make_meeting_request(event, host, neighbour)
    unregistered = make_meeting_request(event, r["firms"]["ir2"], outsider)
    db.session.flush()
    version, _solution = solve_event(event, time_limit_s=LIMIT)
    skipped, zero = _reasons(version)
    assert skipped[same.id] == "same_region" and skipped[unregistered.id] == "not_registered"
    assert zero[host.id] == zero[neighbour.id] == "same_region"
    assert db.session.get(MeetingRequest, same.id).status == "accepted"
    with force_locale("ru"):
        text = zero_label("same_region")
    assert "региона" in text
