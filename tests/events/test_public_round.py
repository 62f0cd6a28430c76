"""A round's public page: the programme in Tehran time with Jalali dates in Persian, the firms
taking part in the reader's script by region, how to join, and the firm member's one-click join."""
from __future__ import annotations

import re
from datetime import date, time

from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Delegation, Event, EventRegistration
from tests import factories
from tests.querycount import request_statements


def _round():
    # 10–12 January 2027 (Sunday to Tuesday), sessions 09:00–12:00 on the first two days
    event = factories.make_event(slug="winter", start=date(2027, 1, 10), end=date(2027, 1, 12),
                                 sessions=((0, time(9), time(12)), (1, time(14), time(16))))
    host = factories.make_firm("khorasan-razavi", name="پمپ‌سازی توس", name_latin="Toos Pump", city="مشهد", city_latin="Mashhad")
    guest = factories.make_firm("chelyabinsk", name="Уральская арматура", name_latin="Ural Valve", city="Челябинск",
                                city_latin="Chelyabinsk")
    hidden = factories.make_firm("chelyabinsk", name="Скрытая фирма", name_latin="Hidden Firm", public=False)
    waiting = factories.make_firm("khorasan-razavi", name="در انتظار", name_latin="Waiting Co")
    for firm in (host, guest, hidden):
        event.registrations.append(EventRegistration(firm=firm))
    event.registrations.append(EventRegistration(firm=waiting, status="pending"))
    db.session.add(Delegation(key="chel-2027", region=guest.region, name={"fa": "هیئت چلیابینسک", "ru": "Делегация Челябинска",
                                                                      "en": "Chelyabinsk delegation"},
                              members=list(guest.participants), events=[event]))
    db.session.commit()
    return event, host, guest


def test_the_public_page_shows_programme_and_firms_in_the_readers_script(app, client):
    event, host, guest = _round()
    page = client.get("/rounds/winter?lang=fa").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "۲۰ دی ۱۴۰۵" in page and "۲۱ دی ۱۴۰۵" in page, "days in the Jalali calendar with Persian digits"
    assert "۰۹:۰۰–۱۲:۰۰" in page and "۱۴:۰۰–۱۶:۰۰" in page and "به وقت تهران" in page
    assert "پمپ‌سازی توس" in page and "Ural Valve" in page and "Уральская арматура" not in page
    assert "Hidden Firm" not in page and "Скрытая фирма" not in page and "Waiting Co" not in page
    assert "هیئت چلیابینسک" in page, "the visiting delegations"
    assert "و ۱ شرکت دیگر" in page, "firms that do not list themselves are counted, never named"
    assert page.index("خراسان رضوی") < page.index("پمپ‌سازی توس") < page.index("Ural Valve")
    assert 'href="/auth/register"' in page and "/auth/login?next=/rounds/winter" in page

    russian = client.get("/rounds/winter?lang=ru").get_data(as_text=True)
    assert "Уральская арматура" in russian and "Toos Pump" in russian
    assert re.search(r"10 янв\.|воскресенье, 10 января 2027", russian), "Gregorian dates in Russian"
    assert "Как участвовать" in russian

    assert client.get("/rounds/no-such-round").status_code == 404


def test_a_firm_member_joins_from_the_public_page_once(app, client, auth):
    event, _host, _guest = _round()
    newcomer = factories.make_firm("khorasan-razavi", offers=["8413"])
    member = factories.make_user(firm=newcomer, email="new@firm.example")
    db.session.commit()
    auth.login(member.email)
    page = client.get("/rounds/winter?lang=en").get_data(as_text=True)
    assert "Join this round with my firm" in page
    response = client.post("/rounds/winter/join?lang=en")
    assert response.status_code == 302 and f"/firms/{newcomer.id}/matches?event=winter" in response.headers["Location"]
    again = client.post("/rounds/winter/join?lang=en")  # a second click: the same answer, no second row
    assert again.status_code == 302 and f"/firms/{newcomer.id}/matches" in again.headers["Location"]
    count = db.session.scalar(select(func.count()).select_from(EventRegistration).where(
        EventRegistration.event_id == event.id, EventRegistration.firm_id == newcomer.id))
    assert count == 1
    page = client.get("/rounds/winter?lang=en").get_data(as_text=True)
    assert 'data-standing="approved"' in page and "See your partners for this round" in page
    assert client.get("/?lang=en").get_data(as_text=True).count('href="/rounds/winter"') == 1


def test_a_member_without_a_firm_is_sent_to_describe_it(app, client, auth):
    _round()
    user = factories.make_user(email="solo@firm.example")
    db.session.commit()
    auth.login(user.email)
    assert "Describe your firm first" in client.get("/rounds/winter?lang=en").get_data(as_text=True)
    assert client.post("/rounds/winter/join").headers["Location"].endswith("/firms/register")


def test_the_public_page_and_the_registrations_list_cost_the_same_with_four_times_the_firms(app):
    event_id = factories.make_event(slug="big", start=date(2027, 1, 10), end=date(2027, 1, 12)).id
    factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()

    def add(count: int) -> None:
        event = db.session.get(Event, event_id)  # each measured request starts a fresh session
        for n in range(count):
            firm = factories.make_firm("khorasan-razavi" if n % 2 else "chelyabinsk", public=n % 5 != 0)
            event.registrations.append(EventRegistration(firm=firm, status="pending" if n % 7 == 0 else "approved"))
        db.session.commit()

    costs = []
    for count in (10, 30):
        add(count)
        public, seen_public = request_statements(app.test_client(), "/rounds/big?lang=fa")
        assert public.status_code == 200
        staff = app.test_client()
        staff.post("/auth/login", data={"email": "org@karvan.example", "password": "correct horse battery"})
        listing, seen_listing = request_statements(staff, f"/organiser/events/{event_id}/registrations?lang=fa")
        assert listing.status_code == 200
        costs.append((len(seen_public), len(seen_listing)))
    assert costs[0] == costs[1], costs
