"""Browser: a Persian organiser picks a Jalali date with the picker and types Persian digits;
the round is stored with the right Gregorian dates and numbers."""
from datetime import date

import pytest
from sqlalchemy import select

from planner.demo.seed import DEMO_ORGANISER_EMAIL, DEMO_PASSWORD
from planner.extensions import db
from planner.models import Event

pytestmark = pytest.mark.browser


def test_a_jalali_date_picked_in_a_persian_form_is_stored_as_the_gregorian_date(live_server, page):
    page.goto(live_server.url + "/auth/login?lang=fa")
    page.fill("input[name=email]", DEMO_ORGANISER_EMAIL)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form [type=submit]")
    page.wait_for_load_state()
    page.goto(live_server.url + "/organiser/events/new?lang=fa")
    page.fill("input[name=slug]", "azar-round")
    page.fill("input[name=name_fa]", "دور آذر")
    # Open the picker on the first day, go to Aban 1405 and pick its 21st (12 November 2026).
    start = page.locator("input[name=start_date]")
    start.click()
    picker = page.locator("jdp-container")
    picker.wait_for(state="visible")
    picker.locator(".jdp-year select").select_option("1405")
    picker.locator(".jdp-month select").select_option("8")
    picker.locator(".jdp-day:not(.not-in-month)", has_text="۲۱").first.click()
    assert start.input_value() == "۱۴۰۵/۰۸/۲۱"
    page.fill("input[name=end_date]", "۱۴۰۵/۰۸/۲۳")
    page.keyboard.press("Escape")
    page.fill("input[name=slot_minutes]", "۳۰")
    page.fill("input[name=min_meetings]", "۲")
    page.click("main form [type=submit]")
    page.wait_for_load_state()
    event = db.session.scalar(select(Event).where(Event.slug == "azar-round"))
    assert event is not None, page.locator("main").inner_text()[:800]
    assert (event.start_date, event.end_date) == (date(2026, 11, 12), date(2026, 11, 14))
    assert (event.slot_minutes, event.min_meetings) == (30, 2)
