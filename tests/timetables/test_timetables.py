"""Timetable pages, their access rules, the three languages, home time beside Tehran time,
Jalali dates in Persian, and the PDFs (text checked with pdftotext)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from planner.extensions import db
from tests import factories


@pytest.fixture
def scenario(app):
    data = factories.make_meeting_scenario()
    data["organiser"] = factories.make_user("organiser", email="org@karvan.example")
    data["toos_user"] = factories.make_user(firm=data["firms"]["toos"], email=data["firms"]["toos"].participants[0].email)
    data["ural_user"] = factories.make_user(firm=data["firms"]["ural"], email="member@ural.example", locale="ru")
    db.session.commit()
    return data


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing (Debian poppler-utils; `make test` installs it)")
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def _url(scenario, kind, item, suffix=""):
    return f"/timetables/{scenario['event'].slug}/{kind}/{item.id}{suffix}"


def test_participant_timetable_in_persian_shows_jalali_and_persian_digits(client, auth, scenario):
    person = scenario["firms"]["toos"].participants[0]
    auth.login(person.email)
    html = client.get(_url(scenario, "participants", person) + "?lang=fa").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert "۱۷ آبان ۱۴۰۵" in html, "the Jalali date beside the Gregorian one"
    assert "۰۹:۰۰ تا ۰۹:۲۵" in html, "Tehran time in Persian digits"
    assert "Уралтрубсталь" not in html and "Uraltrubstal" in html
    assert html.count("data-uid=") == 2


def test_visitor_sees_home_time_beside_tehran_time(client, auth, scenario):
    auth.login("member@ural.example")
    html = client.get(_url(scenario, "firms", scenario["firms"]["ural"]) + "?lang=ru").get_data(as_text=True)
    assert 'lang="ru"' in html and "Время указано по Тегерану" in html
    assert "09:00–09:25" in html and "10:30–10:55" in html and "Екатеринбург" in html
    assert "صنایع فولاد توس" not in html and "Toos Steel Industries" in html


def test_english_firm_timetable_and_no_home_time_for_iranians(client, auth, scenario):
    auth.login(scenario["toos_user"].email)
    html = client.get(_url(scenario, "firms", scenario["firms"]["toos"]) + "?lang=en").get_data(as_text=True)
    assert "09:00–09:25" in html and "Sunday 8 November 2026" in html
    assert "Yekaterinburg" not in html.split("<main", 1)[1]


def test_access_rules(client, auth, scenario):
    ural_person = scenario["firms"]["ural"].participants[0]
    assert client.get(_url(scenario, "participants", ural_person)).status_code == 302  # log in first
    auth.login(scenario["toos_user"].email)
    assert client.get(_url(scenario, "participants", ural_person)).status_code == 403
    assert client.get(_url(scenario, "firms", scenario["firms"]["ural"])).status_code == 403
    assert client.get(f"/timetables/{scenario['event'].slug}/tables").status_code == 403
    assert client.get("/timetables/no-such-event/firms/1").status_code == 404
    auth.logout()
    auth.login("org@karvan.example")
    assert client.get(_url(scenario, "participants", ural_person)).status_code == 200
    html = client.get(f"/timetables/{scenario['event'].slug}/tables?lang=en").get_data(as_text=True)
    assert html.count("data-uid=") == 3 and "Table T01" in html


def test_delegation_timetable_for_the_head(client, auth, scenario):
    from sqlalchemy import select

    from planner.models import Delegation, Region

    region = db.session.scalar(select(Region).where(Region.key == "chelyabinsk"))
    members = scenario["firms"]["ural"].participants + scenario["firms"]["zlat"].participants
    delegation = Delegation(key="test-delegation", region=region, name={"ru": "Делегация", "en": "Delegation", "fa": "هیئت"},
                            members=members, head=members[0])
    db.session.add(delegation)
    head = factories.make_user("delegation_head", email="head@ural.example", locale="ru")
    head.delegation = delegation
    db.session.commit()
    auth.login("member@ural.example")
    assert client.get(_url(scenario, "delegations", delegation)).status_code == 403
    auth.logout()
    auth.login("head@ural.example")
    home = client.get("/?lang=ru").get_data(as_text=True)
    assert "Расписание делегации" in home
    page = client.get("/timetables/delegation", follow_redirects=True).get_data(as_text=True)
    assert "Делегация" in page and page.count("data-uid=") == 3
    ics = client.get(_url(scenario, "delegations", delegation, ".ics"))
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    assert ics.get_data().count(b"BEGIN:VEVENT") == 3


def test_participant_pdf_has_persian_firm_name_and_times(client, auth, scenario, tmp_path):
    person = scenario["firms"]["ural"].participants[0]
    auth.login("org@karvan.example")
    response = client.get(_url(scenario, "participants", person, ".pdf") + "?lang=fa")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.get_data(), tmp_path)
    assert "صنایع فولاد توس" in text, text
    assert "۰۹:۰۰" in text and "۰۹:۲۵" in text
    assert "۱۰:۳۰" in text, "home time of the Chelyabinsk visitor"


def test_table_sheets_pdf_one_page_per_table(client, auth, scenario, tmp_path):
    auth.login("org@karvan.example")
    response = client.get(f"/timetables/{scenario['event'].slug}/tables.pdf?lang=ru")
    assert response.status_code == 200
    text = pdf_text(response.get_data(), tmp_path)
    assert text.count("\f") >= len(scenario["tables"]) - 1
    assert "Стол T01" in text and "09:00–09:25" in text and "Uraltrubstal" in text or "Уралтрубсталь" in text


def test_my_timetable_redirects_to_the_person(client, auth, scenario):
    auth.login(scenario["toos_user"].email)
    response = client.get("/timetables/mine")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_url(scenario, "participants", scenario["firms"]["toos"].participants[0]))
