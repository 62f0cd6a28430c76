"""Matching on the demo data: cross-region top matches with reasons, the demo requests, the
entry points the scheduler uses, and the demo firm log-ins."""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from planner.extensions import db
from planner.matching.candidates import firm_matches, score_pairs_for_event, suggest_partners
from planner.matching.scoring import PairScore
from planner.models import Event, EventRegistration, Firm, MeetingRequest, User

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_event(demo_app):
    return db.session.scalar(select(Event).where(Event.slug == "demo"))


def test_every_demo_firms_top_matches_are_cross_region_with_reasons(demo_event):
    firms = {firm.id: firm for firm in db.session.scalars(select(Firm))}
    without = []
    for firm_id in db.session.scalars(select(EventRegistration.firm_id).where(EventRegistration.event_id == demo_event.id)):
        top = firm_matches(firm_id, demo_event, limit=5)
        if not top:
            without.append(firm_id)
        for pair in top:
            assert pair.firm_a == firm_id
            assert firms[pair.firm_b].region_id != firms[firm_id].region_id
            assert any(reason.code.endswith(("your_need", "their_need", "your_offer", "same_activity", "same_field"))
                       for reason in pair.reasons)
    # The demo set has two firms nobody across the border buys from or sells to (a turquoise
    # jeweller and a tannery); their page says so and points to the profile instead.
    assert {firms[firm_id].key for firm_id in without} <= {"kr-neyshabur-turquoise", "kr-toos-leather"}


def test_the_entry_points_the_scheduler_uses(demo_event):
    pairs = score_pairs_for_event(demo_event)
    assert len(pairs) > 200 and all(isinstance(pair, PairScore) for pair in pairs)
    assert all(pair.firm_a < pair.firm_b and pair.score > 0 and pair.reasons for pair in pairs)
    assert [pair.score for pair in pairs] == sorted((pair.score for pair in pairs), reverse=True)
    # suggest_partners leaves out firms already asked, unless told otherwise.
    row = db.session.scalar(select(MeetingRequest).where(MeetingRequest.event_id == demo_event.id,
                                                         MeetingRequest.status == "accepted"))
    firm_id = row.requester_firm_id
    suggested = suggest_partners(demo_event, firm_id, limit=50)
    everyone = suggest_partners(demo_event, firm_id, limit=50, exclude_requested=False)
    assert all(pair.firm_a == firm_id for pair in suggested)
    assert row.target_firm_id not in {pair.firm_b for pair in suggested}
    assert row.target_firm_id in {pair.firm_b for pair in everyone}
    assert len(suggest_partners(demo_event, firm_id, limit=2)) <= 2


def test_demo_requests_make_a_meaningful_schedule_problem(demo_event):
    rows = list(db.session.scalars(select(MeetingRequest).where(MeetingRequest.event_id == demo_event.id)))
    status = Counter(row.status for row in rows)
    assert status["accepted"] >= 150 and status["pending"] and status["declined"] and status["withdrawn"]
    accepted = [row for row in rows if row.status == "accepted"]
    priorities = Counter(row.priority for row in accepted)
    assert 0 < priorities["must"] < priorities["would_like"]
    per_firm = Counter()
    firms = {firm.id: firm for firm in db.session.scalars(select(Firm))}
    for row in accepted:
        per_firm[row.requester_firm_id] += 1
        per_firm[row.target_firm_id] += 1
        assert firms[row.requester_firm_id].region_id != firms[row.target_firm_id].region_id
        assert row.score and row.score > 0 and row.message
    assert max(per_firm.values()) <= demo_event.max_meetings
    assert all(row.decline_reason for row in rows if row.status in ("declined", "withdrawn"))
    pairs = [frozenset((row.requester_firm_id, row.target_firm_id)) for row in rows]
    assert len(pairs) == len(set(pairs))


def test_seed_demo_is_idempotent_and_every_demo_firm_can_log_in(demo_app, client, auth):
    from planner.demo.seed import DEMO_PASSWORD, seed_demo

    before = (db.session.scalar(select(func.count()).select_from(MeetingRequest)),
              db.session.scalar(select(func.count()).select_from(User)))
    seed_demo(ROOT / "data")
    db.session.commit()
    after = (db.session.scalar(select(func.count()).select_from(MeetingRequest)),
             db.session.scalar(select(func.count()).select_from(User)))
    assert before == after
    members = list(db.session.scalars(select(User).where(User.firm_id.is_not(None))))
    assert len(members) == db.session.scalar(select(func.count()).select_from(Firm).where(Firm.key.is_not(None)))
    persian = next(user for user in members if user.locale == "fa")
    assert persian.email == persian.firm.participants[0].email
    response = auth.login(persian.email, DEMO_PASSWORD)
    assert response.status_code == 302
    html = client.get(f"/firms/{persian.firm_id}/matches").get_data(as_text=True)
    assert 'lang="fa"' in html and 'class="reason' in html


def test_api_and_cli_agree_on_the_demo(demo_app, client, auth, runner, monkeypatch):
    monkeypatch.setenv("KARVAN_LOCALE", "ru")
    organiser = db.session.scalar(select(User).where(User.role == "organiser"))
    auth.login(organiser.email, "karvan-demo-2026")
    firm_id = db.session.scalar(select(Firm.id).where(Firm.key == "ch-taganay-avto"))
    api = client.get(f"/api/v1/firms/{firm_id}/matches?limit=7&lang=ru").get_json()
    cli = runner.invoke(args=["matches", str(firm_id), "--limit", "7", "--json"])
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.output) == api and len(api) == 7


def test_demo_requests_are_made_and_answered_before_the_event(demo_event):
    from zoneinfo import ZoneInfo

    rows = list(db.session.scalars(select(MeetingRequest).where(MeetingRequest.event_id == demo_event.id)))
    opens = datetime.combine(demo_event.start_date, time(0), ZoneInfo(demo_event.timezone))
    for row in rows:
        assert opens - timedelta(weeks=4) <= row.created_at < opens, row.created_at
        if row.responded_at is not None:
            assert row.created_at < row.responded_at < opens, row.responded_at
    # Spread over the weeks before, not bunched on one day.
    assert len({row.created_at.date() for row in rows}) >= 14


def test_demo_reasons_never_pair_unrelated_goods_as_need_and_offer(demo_event):
    from planner.matching.scoring import is_strong

    for pair in score_pairs_for_event(demo_event):
        for reason in pair.reasons:
            if reason.code in ("they_offer_your_need", "they_need_your_offer"):
                assert is_strong(reason.params["kind"], reason.params["level"]), reason
                # "what you need" only where the offer is the needed code or lies under it:
                # never two different subheadings (870850 needed, 870830 offered) of one heading.
                assert reason.params["offer"].startswith(reason.params["need"]), reason
            if reason.code in ("their_activity_fits_your_need", "your_activity_fits_their_need"):
                assert reason.params["level"] >= 3, reason
                assert reason.params["activity"].startswith(reason.params["need"]), reason
        if any(reason.code == "mutual_interest" for reason in pair.reasons):
            codes = {reason.code for reason in pair.reasons}
            assert codes & {"they_offer_your_need", "their_activity_fits_your_need", "related_to_your_need",
                            "their_activity_makes_your_need"}
            assert codes & {"they_need_your_offer", "your_activity_fits_their_need", "related_to_their_need",
                            "your_activity_makes_their_need"}
