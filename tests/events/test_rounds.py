"""A new round from another round's setup on an exhibition's days (`clone-event`), solved
with the demo delegation's firms although their November visit does not attend it."""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from planner.events.services import register_firms, usable_days
from planner.extensions import db
from planner.models import Event, Firm
from planner.scheduling.drafts import solve_event
from planner.scheduling.translate import build_problem, version_solution
from solver.validate import check
from tests.factories import make_meeting_request

ROOT = Path(__file__).resolve().parents[2]


def test_clone_event_copies_the_setup_onto_the_exhibitions_days(demo_app, runner):
    result = runner.invoke(args=["clone-event", "demo", "winter-b2b", "--exhibition", "energy-1405"])
    assert result.exit_code == 0, result.output
    source = db.session.scalar(select(Event).where(Event.slug == "demo"))
    event = db.session.scalar(select(Event).where(Event.slug == "winter-b2b"))
    assert (event.start_date, event.end_date) == (event.exhibition.start_date, event.exhibition.end_date)
    assert event.exhibition.key == "energy-1405" and event.name["en"] == event.exhibition.title_en
    assert [(t.name, t.host_firm_id) for t in event.tables] == [(t.name, t.host_firm_id) for t in source.tables]
    assert sorted(i.name for i in event.interpreters) == sorted(i.name for i in source.interpreters)
    assert (event.slot_minutes, event.who_can_meet, event.request_mode) == (
        source.slot_minutes, source.who_can_meet, source.request_mode)
    zone = ZoneInfo(event.timezone)
    session_days = {s.start_dt.astimezone(zone).date() for s in event.sessions}
    assert session_days == usable_days(event) and session_days, "every open day has the source's sessions"
    source_times = {(s.start_dt.astimezone(zone).time(), s.end_dt.astimezone(zone).time()) for s in source.sessions}
    assert {(s.start_dt.astimezone(zone).time(), s.end_dt.astimezone(zone).time()) for s in event.sessions} <= source_times
    assert event.registrations == []

    again = runner.invoke(args=["clone-event", "demo", "winter-b2b", "--exhibition", "energy-1405"])
    assert again.exit_code == 1 and "already used" in again.output

    # the November visit's travel window does not reach into this December round
    hosts = [f for f in db.session.scalars(select(Firm).where(Firm.key.is_not(None))) if f.region.key == "khorasan-razavi"]
    guests = [f for f in db.session.scalars(select(Firm).where(Firm.key.is_not(None))) if f.region.key == "chelyabinsk"]
    register_firms(event, hosts[:3] + guests[:3])
    for host, guest in zip(hosts[:3], guests[:3], strict=True):
        make_meeting_request(event, guest, host)
    make_meeting_request(event, guests[0], hosts[1])
    db.session.flush()
    version, _solution = solve_event(event, time_limit_s=5)
    assert len(version.meetings) == 4 and version.unscheduled == []
    assert check(build_problem(event).problem, version_solution(version)).ok


def test_a_round_is_created_from_an_exhibitions_page(app, client, auth):
    from planner.exhibitions.services import import_exhibitions
    from planner.models import Exhibition
    from tests import factories

    import_exhibitions((ROOT / "data" / "exhibitions" / "mashhad-1405.csv").read_text(encoding="utf-8"))
    organiser = factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login(organiser.email)
    exhibition = db.session.scalar(select(Exhibition).where(Exhibition.key == "energy-1405"))
    page = client.get(f"/exhibitions/{exhibition.key}?lang=ru").get_data(as_text=True)
    link = f"/organiser/events/new?exhibition={exhibition.id}"
    assert link in page and "Новый раунд B2B-встреч" in page
    form = client.get(link).get_data(as_text=True)
    assert f'<option selected value="{exhibition.id}">' in form or f'value="{exhibition.id}" selected' in form
