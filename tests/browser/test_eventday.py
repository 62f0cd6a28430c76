"""Browser: the check-in desk on a phone (390 px) in Persian, the statistics page in Russian, and
its charts reading right to left in Persian under production's Content-Security-Policy."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from planner.eventday.passes import checkin_code
from planner.extensions import db
from planner.models import DayPresence, Event, Participant
from planner.models.enums import AttendanceStatus
from tests.browser import click_nav, csp_refusals, enforce_csp

pytestmark = pytest.mark.browser


def _login(page, url: str, email: str, lang: str) -> None:
    page.goto(f"{url}/auth/login?lang={lang}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "karvan-demo-2026")
    page.click("form [type=submit]")
    page.wait_for_load_state()


def test_check_in_desk_on_a_phone_in_persian(live_server, browser):
    event = db.session.scalar(select(Event).where(Event.slug == "demo"))
    person = db.session.scalar(select(Participant).where(Participant.email == "a.kuznetsov@uralpipe.example"))
    code = checkin_code(event, person)
    db.session.commit()
    context = browser.new_context(locale="fa-IR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        _login(page, live_server.url, "organiser@karvan.example", "fa")
        click_nav(page, "a[data-nav=desk]")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.locator("#scan-start").is_visible()
        page.click(".day-pick a[href*='day=2026-11-09']")  # the second day
        page.wait_for_load_state()
        page.fill("input[name=code]", code)  # as a USB scanner types it
        page.press("input[name=code]", "Enter")
        page.wait_for_load_state()
        assert "Aleksei Kuznetsov" in page.locator("h1").inner_text()
        assert page.locator("[data-status=present]").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.goto(live_server.url + "/day/demo/desk?day=2026-11-09&q=کوزنتسوف")
        page.fill("input[name=q]", "kuznetsov")
        page.press("input[name=q]", "Enter")
        page.wait_for_load_state()
        assert page.locator("[data-list=found] li").count() >= 1
    finally:
        context.close()
    db.session.expire_all()
    rows = db.session.scalars(select(DayPresence).where(DayPresence.participant_id == person.id)).all()
    assert [(r.day.isoformat(), r.status) for r in rows] == [("2026-11-09", AttendanceStatus.PRESENT)]


def test_statistics_page_in_russian(live_server, page):
    _login(page, live_server.url, "organiser@karvan.example", "ru")
    click_nav(page, "a[data-nav=statistics]")
    page.wait_for_load_state()
    page.click("table.stat-table a")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("figure.chart svg").count() >= 8
    titles = page.locator(".chart-title").all_inner_texts()
    assert "Встречи по дням" in titles and "Загрузка переводчиков" in titles
    box = page.locator("figure[data-chart=meetings_day] svg").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100


# Where the parts of one chart are on the screen (boxes measured by the browser, no screenshot).
CHART_BOXES = """figure => {
  const box = el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, text: el.textContent}; };
  const all = selector => Array.from(figure.querySelectorAll(selector)).map(box);
  return {days: all('.axis.x text'), values: all('.axis.y text'), plot: box(figure.querySelector('.plot > .background')),
          legend: all('.legends .legend rect'), names: all('.legends .legend text'),
          fill: getComputedStyle(figure.querySelector('.series.color-1 rect, .series.color-1 path') || figure).fill};
}"""


def test_statistics_charts_read_right_to_left_in_persian(live_server, page):
    enforce_csp(live_server.app)
    refused = csp_refusals(page)
    _login(page, live_server.url, "organiser@karvan.example", "fa")
    page.goto(f"{live_server.url}/statistics/demo")
    assert page.locator("html").get_attribute("dir") == "rtl"
    chart = page.evaluate(CHART_BOXES, page.locator("figure[data-chart=meetings_day]").element_handle())
    days = chart["days"]
    assert [d["text"] for d in days] == ["۱۷ آبان", "۱۸ آبان", "۱۹ آبان", "۲۰ آبان"]  # 8–11 Nov, Jalali
    assert days[0]["left"] > days[-1]["right"]  # time runs from right to left
    assert chart["values"] and all(re.fullmatch(r"[۰-۹]+", v["text"]) for v in chart["values"])
    assert all(v["left"] >= chart["plot"]["right"] - 1 for v in chart["values"])  # the value axis on the right
    legend = chart["legend"]
    assert legend[0]["left"] > legend[1]["left"]  # the legend starts at the right
    assert all(name["right"] <= box["left"] + 1 for name, box in zip(chart["names"], legend, strict=True))
    assert chart["fill"] == "rgb(217, 119, 6)"  # PALETTE[1], from the linked stylesheet (no inline style)
    assert not refused, refused
