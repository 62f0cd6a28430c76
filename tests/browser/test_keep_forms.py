"""Browser: switching the language mid-form keeps what was typed — the profile form of a
Mashhad firm and a new round's form, typed in Persian (Persian digits, a Jalali date), then
switched to Russian: the values are still there, in the new language's digits and calendar,
and the round saves as typed."""
from datetime import date

import pytest
from sqlalchemy import select

from planner.demo.seed import DEMO_ORGANISER_EMAIL, DEMO_PASSWORD
from planner.extensions import db
from planner.models import Event, User
from tests.browser import click_nav

pytestmark = pytest.mark.browser
FIRM_EMAIL = "m.afshar@toos-brake.example"


def _login(page, url: str, email: str) -> None:
    page.goto(url + "/auth/login?lang=fa")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form [type=submit]")
    page.wait_for_load_state()


def _switch_to_russian(page) -> None:
    click_nav(page, ".lang-switch button[data-lang=ru]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"


def test_a_language_switch_keeps_the_typed_profile_and_round(live_server, page):
    _login(page, live_server.url, FIRM_EMAIL)
    firm_id = db.session.scalar(select(User.firm_id).where(User.email == FIRM_EMAIL))
    page.goto(f"{live_server.url}/firms/{firm_id}/edit")
    assert page.locator("html").get_attribute("lang") == "fa"
    page.fill("input[name=founded]", "۲۰۰۵")
    page.fill("input[name=website]", "toos-brake.example")
    page.fill("textarea[name=description]", "لنت ترمز و کفشک؛ متنی که نباید گم شود")
    russian = page.locator("input[name=languages][value=ru]")
    was_checked = russian.is_checked()
    russian.set_checked(not was_checked)
    _switch_to_russian(page)
    assert page.url.endswith(f"/firms/{firm_id}/edit")
    assert page.input_value("input[name=founded]") == "2005"
    assert page.input_value("input[name=website]") == "toos-brake.example"
    assert page.input_value("textarea[name=description]") == "لنت ترمز و کفشک؛ متنی که نباید گم شود"
    assert russian.is_checked() is (not was_checked)

    page.context.clear_cookies()
    _login(page, live_server.url, DEMO_ORGANISER_EMAIL)
    page.goto(live_server.url + "/organiser/events/new")
    assert page.locator("html").get_attribute("lang") == "fa"
    page.fill("input[name=slug]", "keep-round")
    page.fill("input[name=name_fa]", "دور نگه‌داری")
    page.fill("input[name=start_date]", "۱۴۰۵/۰۹/۱۰")
    page.fill("input[name=end_date]", "۱۴۰۵/۰۹/۱۲")
    page.keyboard.press("Escape")
    page.fill("input[name=slot_minutes]", "۳۰")
    page.fill("input[name=min_meetings]", "۲")
    page.select_option("select[name=who_can_meet]", "any")
    _switch_to_russian(page)
    assert page.input_value("input[name=slug]") == "keep-round"
    assert page.input_value("input[name=name_fa]") == "دور نگه‌داری"
    assert page.input_value("input[name=start_date]") == "2026-12-01"  # Azar 10, 1405 in the Gregorian date input
    assert page.input_value("input[name=end_date]") == "2026-12-03"
    assert page.input_value("input[name=slot_minutes]") == "30"
    assert page.input_value("select[name=who_can_meet]") == "any"
    page.click("main form [type=submit]")
    page.wait_for_load_state()
    event = db.session.scalar(select(Event).where(Event.slug == "keep-round"))
    assert event is not None, page.locator("main").inner_text()[:800]
    assert (event.start_date, event.end_date, event.slot_minutes, event.min_meetings, event.who_can_meet) == (
        date(2026, 12, 1), date(2026, 12, 3), 30, 2, "any")
