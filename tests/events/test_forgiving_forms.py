"""Forms that forgive: a closure outside the round is refused with the reason, a session that
ends before it starts says so, deletions ask first, a website without a scheme gets https://."""
from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from planner.errors import ServiceError
from planner.events import services as setup
from planner.extensions import db
from planner.firms.forms import with_scheme
from planner.models import Closure
from tests import factories


def test_a_closure_outside_the_rounds_days_is_refused(client, auth):
    event = factories.make_event(start=date(2026, 11, 8), end=date(2026, 11, 9))
    factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")
    response = client.post(f"/organiser/events/{event.id}/closures?lang=en",
                           data={"day": "2026-12-01", "reason": "Heat", "region_key": ""}, follow_redirects=True)
    assert "The day is not part of the event." in response.get_data(as_text=True)
    assert db.session.scalar(select(Closure)) is None
    page = client.get(f"/organiser/events/{event.id}?lang=ru").get_data(as_text=True)
    assert page.count("data-confirm=") >= 1 and "Удалить? Сразу после этого удаление можно отменить." in page


def test_a_session_ending_before_it_starts_says_so(app):
    event = factories.make_event(sessions=())
    with pytest.raises(ServiceError) as error:
        setup.add_session(event, event.start_date, time(12), time(9))
    assert "ends before it starts" in error.value.message


@pytest.mark.parametrize("typed, stored", [("sepehr-pump.example", "https://sepehr-pump.example"),
                                          ("http://toos.example", "http://toos.example"), ("", "")])
def test_a_website_without_a_scheme_gets_https(typed, stored):
    assert with_scheme(typed) == stored


def test_the_round_form_lists_upcoming_exhibitions_with_dates_and_warns_about_past_dates(client, auth):
    from planner.models import Exhibition

    db.session.add_all([
        Exhibition(key="old-show", title_fa="قدیمی", title_ru="Старая", title_en="Old show", venue="Mashhad",
                   start_date=date(2020, 5, 1), end_date=date(2020, 5, 3)),
        Exhibition(key="new-show", title_fa="تازه", title_ru="Новая", title_en="New show", venue="Mashhad",
                   start_date=date(2099, 5, 1), end_date=date(2099, 5, 3)),
    ])
    factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")
    form = client.get("/organiser/events/new?lang=en").get_data(as_text=True)
    assert form.index("New show — 1 May – 3 May 2099") < form.index("Old show — 1 May – 3 May 2020 (past)")
    response = client.post("/organiser/events/new?lang=en", data={
        "slug": "late", "name_fa": "دیر", "exhibition_id": "0", "start_date": "2020-05-01", "end_date": "2020-05-02",
        "slot_minutes": "25", "break_minutes": "5", "who_can_meet": "any", "min_meetings": "0",
        "request_mode": "mutual-accept"}, follow_redirects=True)
    assert "dates are in the past" in response.get_data(as_text=True)


def test_round_cards_on_the_home_page_are_links(client, auth):
    event = factories.make_event()
    db.session.commit()
    html = client.get("/?lang=en").get_data(as_text=True)
    assert f'data-round="{event.slug}"' in html and 'href="/auth/register" data-round' in html


def test_an_empty_matches_page_says_why(client, auth):
    firm = factories.make_firm("khorasan-razavi", offers=[], needs=[])
    user = factories.make_user(firm=firm, email="new@firm.example")
    db.session.commit()
    auth.login(user.email)
    page = client.get(f"/firms/{firm.id}/matches?lang=en").get_data(as_text=True)
    assert 'data-cause="profile"' in page
    filtered = client.get(f"/firms/{firm.id}/matches?lang=en&q=zzzz").get_data(as_text=True)
    assert 'data-cause="filters"' in filtered
