"""Visiting regions and delegations managed from organiser pages; the head sees their visit."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from planner.events.services import register_firms
from planner.extensions import db
from planner.models import Delegation, Firm, Region
from planner.scheduling.translate import build_problem
from planner.text.scripts import city_for, reads_native
from tests import factories


def _organiser(client, auth):
    user = factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login(user.email)
    return user


def test_a_new_region_decides_its_firms_native_script(app, client, auth):
    _organiser(client, auth)
    response = client.post("/regions/new?lang=ru", data={
        "key": "almaty", "name_fa": "آلماتی", "name_ru": "Алматинская область", "name_en": "Almaty Region",
        "country": "kz", "timezone": "Asia/Almaty", "native_locale": "kk"})
    assert response.status_code == 302, response.get_data(as_text=True)
    region = db.session.scalar(select(Region).where(Region.key == "almaty"))
    assert (region.country, region.native_locale) == ("KZ", "kk")
    firm = factories.make_firm("almaty", name="Алматы Құрылыс", name_latin="Almaty Qurylys", languages=["ru", "kk"],
                               city="Алматы", city_latin="Almaty")
    assert not reads_native(firm, "ru") and reads_native(firm, "kk")
    assert firm.display_name("ru") == "Almaty Qurylys" and city_for(firm, "ru") == "Almaty"
    assert "Алматинская область" in client.get("/regions/?lang=ru").get_data(as_text=True)
    bad = client.post("/regions/new?lang=ru", data={"key": "x", "name_fa": "x", "name_ru": "x", "name_en": "x",
                                                    "country": "KZ", "timezone": "Mars/Olympus", "native_locale": "kk"})
    assert bad.status_code == 422 and "Неизвестный часовой пояс" in bad.get_data(as_text=True)


def test_organiser_creates_edits_and_archives_a_visit(app, client, auth):
    _organiser(client, auth)
    event = factories.make_event("winter", start=date(2026, 12, 28), end=date(2026, 12, 29))
    firm = factories.make_firm("chelyabinsk", participants=2)
    register_firms(event, [firm])
    db.session.commit()
    region_id = factories.region("chelyabinsk").id
    form = {"key": "chelyabinsk-2027", "region": region_id, "name_fa": "هیئت چلیابینسک", "name_ru": "Делегация",
            "travel_start": "۱۴۰۵/۱۰/۰۸", "travel_end": "2026-12-30", "events": [event.id]}
    response = client.post("/delegations/new?lang=fa", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    delegation = db.session.scalar(select(Delegation).where(Delegation.key == "chelyabinsk-2027"))
    assert (delegation.travel_start, delegation.travel_end) == (date(2026, 12, 29), date(2026, 12, 30))
    assert [e.id for e in delegation.events] == [event.id]

    people = [p.id for p in firm.participants]
    edited = dict(form, members=people, head=people[0])
    assert client.post(f"/delegations/{delegation.id}/edit?lang=en", data=edited).status_code == 302
    db.session.expire_all()
    delegation = db.session.get(Delegation, delegation.id)
    assert sorted(p.id for p in delegation.members) == sorted(people) and delegation.head_id == people[0]
    # the travel window now limits the members in this round: the first day is outside it
    problem = build_problem(delegation.events[0]).problem
    first_day = {f"s{s.id}" for s in event.sessions[0].slots}
    assert all(p.unavailable == first_day for p in problem.participants)

    backwards = dict(edited, travel_start="2026-12-31")
    page = client.post(f"/delegations/{delegation.id}/edit?lang=ru", data=backwards)
    assert page.status_code == 422 and "не может уехать раньше" in page.get_data(as_text=True)
    wrong_day = client.post(f"/delegations/{delegation.id}/edit?lang=fa", data=dict(edited, travel_end="1405/13/40"))
    assert wrong_day.status_code == 422

    other = factories.make_firm("khorasan-razavi")
    db.session.commit()
    stranger = client.post(f"/delegations/{delegation.id}/edit?lang=en", data=dict(edited, members=[other.participants[0].id]))
    assert stranger.status_code == 422
    assert client.post(f"/delegations/{delegation.id}/archive").status_code == 302
    db.session.expire_all()
    assert db.session.get(Delegation, delegation.id).archived
    assert "هیئت چلیابینسک" in client.get("/delegations/?lang=fa").get_data(as_text=True)


def test_the_head_sees_their_visit_and_others_do_not(app, client, auth):
    event = factories.make_event("winter", start=date(2026, 12, 28), end=date(2026, 12, 29))
    firm = factories.make_firm("chelyabinsk", participants=2)
    head = firm.participants[0]
    delegation = Delegation(key="v", region=factories.region("chelyabinsk"), name={"ru": "Визит", "en": "Visit"},
                            members=list(firm.participants), head=head, events=[event])
    db.session.add(delegation)
    factories.make_user("delegation_head", email=head.email, locale="ru")
    outsider = factories.make_user(firm=factories.make_firm("chelyabinsk"), email="x@other.example")
    db.session.commit()
    auth.login(head.email)
    response = client.get("/delegations/mine?lang=ru")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Визит" in page and "каждый день" in page
    auth.logout()
    auth.login(outsider.email)
    assert client.get(f"/delegations/{delegation.id}").status_code == 403
    assert db.session.get(Firm, firm.id) is not None
