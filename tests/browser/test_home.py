"""Browser: the home page in Persian (RTL, Jalali dates), then switched to Russian."""
import re

import pytest

from tests.browser import click_nav

pytestmark = pytest.mark.browser


def test_home_in_persian_then_russian(live_server, page):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    # The mining show of the demo: 17–20 Aban 1405, shown with Persian digits.
    body = page.locator("body").inner_text()
    assert re.search(r"[۰-۹]+ (آبان|آذر|دی|بهمن) ۱۴۰۵", body), body[:500]
    page.click("[data-lang=ru]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Выставки" in page.locator("nav").inner_text()
    # The choice sticks while browsing.
    click_nav(page, "nav >> text=Выставки")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text().strip() != ""
