"""The delegation's PDF opens with an overview (members × days, meetings per cell) and names
the schedule version and its publish time on every page; its calendar names the member on
every event. Text read back with pdftotext, in Persian and Russian."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar
from sqlalchemy import select

from planner.extensions import db
from planner.models import Delegation, Region
from tests import factories
from tests.timetables.test_timetables import pdf_text


@pytest.fixture
def delegation(app):
    scenario = factories.make_meeting_scenario()
    scenario["version"].published_at = datetime(2026, 11, 7, 14, 35, tzinfo=UTC)  # 18:05 in Tehran, 16 Aban 1405
    members = scenario["firms"]["ural"].participants + scenario["firms"]["zlat"].participants
    region = db.session.scalar(select(Region).where(Region.key == "chelyabinsk"))
    group = Delegation(key="chelyabinsk-nov", region=region, members=members, head=members[0],
                       name={"ru": "Челябинская делегация", "en": "Chelyabinsk delegation", "fa": "هیئت چلیابینسک"})
    db.session.add(group)
    factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    return {"scenario": scenario, "delegation": group, "members": members}


def _plain(text: str) -> str:
    """Persian as pdftotext gives it back: without ZWNJ and bidi embedding marks."""
    return "".join(char for char in text if char != "\u200c" and not "\u202a" <= char <= "\u202e")


def _pdf(client, auth, data, lang: str, tmp_path) -> list[str]:
    auth.login("org@karvan.example")
    event, group = data["scenario"]["event"], data["delegation"]
    response = client.get(f"/timetables/{event.slug}/delegations/{group.id}.pdf?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return [page for page in pdf_text(response.get_data(), tmp_path).split("\f") if page.strip()]


def test_the_russian_delegation_pdf_opens_with_the_overview_and_stamps_every_page(client, auth, delegation, tmp_path):
    pages = _pdf(client, auth, delegation, "ru", tmp_path)
    assert len(pages) == 1 + len(delegation["members"])  # the overview, then one page per member
    overview = pages[0]
    assert "Обзор: встречи по участникам и дням" in overview and "8 нояб." in overview
    ural, zlat = delegation["members"]
    rows = {line.split()[0]: line for line in overview.splitlines() if line.strip()}
    assert any(ural.first_name in line and line.split()[-2:] == ["1", "1"] for line in overview.splitlines()), overview
    assert any(zlat.first_name in line and line.split()[-2:] == ["2", "2"] for line in overview.splitlines()), overview
    assert any(line.split()[-2:] == ["3", "3"] for line in overview.splitlines() if "Все участники" in line), rows
    for page in pages:
        assert "Версия расписания 1, опубликована 7 нояб. 2026 в 18:05 (по Тегерану)" in " ".join(page.split()), page


def test_the_persian_delegation_pdf_stamps_every_page_in_jalali_and_persian_digits(client, auth, delegation, tmp_path):
    pages = [_plain(page) for page in _pdf(client, auth, delegation, "fa", tmp_path)]
    assert len(pages) == 3
    assert "نمای کلی" in pages[0] and "همهٔ اعضا" in pages[0]
    for page in pages:  # pdftotext writes right-to-left lines in visual order: look for the words
        stamp = "".join(page.splitlines()[0].split())
        for word in ("نسخه", "۱برنامه", "منتشرشده", "۱۶آبان", "۱۴۰۵", "۱۸:۰۵", "بهوقتتهران"):
            assert word in stamp, (word, stamp)


def test_every_event_of_the_delegation_calendar_names_the_member(client, auth, delegation):
    auth.login("org@karvan.example")
    event, group = delegation["scenario"]["event"], delegation["delegation"]
    body = client.get(f"/timetables/{event.slug}/delegations/{group.id}.ics?lang=ru").get_data()
    summaries = [str(item.get("summary")) for item in Calendar.from_ical(body).walk("VEVENT")]
    ural, zlat = delegation["members"]
    assert len(summaries) == 3
    assert sum(s.startswith(f"{ural.first_name} {ural.last_name}") for s in summaries) == 1, summaries
    assert sum(s.startswith(f"{zlat.first_name} {zlat.last_name}") for s in summaries) == 2, summaries


def test_the_delegation_page_opens_with_the_same_overview(client, auth, delegation):
    auth.login("org@karvan.example")
    event, group = delegation["scenario"]["event"], delegation["delegation"]
    page = client.get(f"/timetables/{event.slug}/delegations/{group.id}?lang=ru").get_data(as_text=True)
    assert "Обзор: встречи по участникам и дням" in page
    ural, zlat = delegation["members"]
    assert f'data-member="p{ural.id}"' in page and f'href="#p{zlat.id}"' in page
    assert page.index('id="overview"') < page.index(f'id="p{ural.id}"')
