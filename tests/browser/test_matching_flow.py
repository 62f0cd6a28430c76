"""Browser: a Persian-speaking firm registers with the code picker, sees its recommended
partners with reasons in Persian and requests a meeting; the Russian partner logs in, sees
the request in Russian and accepts it."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from planner.demo.seed import DEMO_PASSWORD
from planner.extensions import db
from planner.models import Event, Firm, MeetingRequest, OutgoingMessage, Region, User
from tests.browser import click_nav

pytestmark = pytest.mark.browser
PERSIAN = re.compile(r"[\u0600-\u06FF]")


def pick_code(page, field: str, typed: str, code: str) -> None:
    """Type into a code field and choose `code` from the suggestions."""
    box = page.locator(f"input[name='{field}']")
    box.click()
    box.press_sequentially(typed, delay=40)
    option = page.locator(f"input[name='{field}'] + ul.code-suggestions li[data-code='{code}']")
    option.wait_for(state="visible")
    option.dispatch_event("mousedown")
    assert box.input_value() == code


def test_persian_firm_registers_requests_and_russian_firm_accepts(live_server, browser, page):
    region_fa = db.session.scalar(select(Region).where(Region.key == "khorasan-razavi")).name_fa
    # Firms can no longer request once an event is over; on a clock past the demo event's
    # days (8–11 Nov 2026) the flow runs with the event a month ahead.
    event = db.session.scalar(select(Event).where(Event.slug == "demo"))
    shift = max(timedelta(0), date.today() + timedelta(days=30) - event.start_date)
    event.start_date, event.end_date = event.start_date + shift, event.end_date + shift
    db.session.commit()

    # 1. A Persian-speaking firm creates an account, opens the link from its e-mail and is sent to the firm form.
    page.goto(live_server.url + "/auth/register")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("input[name=name]", "مریم رضایی")
    page.fill("input[name=email]", "maryam@pazh-casting.example")
    page.fill("input[name=password]", "pazh casting 2026")
    page.fill("input[name=confirm]", "pazh casting 2026")
    page.click("main form [type=submit]")
    page.wait_for_selector("#check-email")
    db.session.expire_all()
    link = db.session.scalar(select(OutgoingMessage.payload).where(OutgoingMessage.recipient == "maryam@pazh-casting.example",
                                                                   OutgoingMessage.kind == "confirm_email"))["url"]
    page.goto(link.replace("http://localhost", live_server.url))
    page.wait_for_url(re.compile(r"/firms/register"))
    assert page.locator("input[name='participants-0-email']").input_value() == "maryam@pazh-casting.example"

    # 2. It describes itself; codes are found by Persian words or by number.
    page.fill("input[name=name_native]", "ریخته‌گری پاژ")
    page.fill("input[name=name_latin]", "Pazh Casting")
    page.select_option("select[name=region]", label=region_fa)
    page.fill("input[name=city]", "مشهد")
    pick_code(page, "capabilities-0-code", "ترمز", "870830")
    assert PERSIAN.search(page.locator("input[name='capabilities-0-code'] ~ .code-title").inner_text())
    page.fill("input[name='capabilities-0-note']", "لنت ترمز کامیون")
    page.select_option("select[name='needs-0-kind']", "product")
    pick_code(page, "needs-0-code", "8482", "848210")
    page.fill("input[name='participants-0-last_name']", "رضایی")
    page.click("form.profile-form [type=submit]")
    page.wait_for_load_state()

    # 3. Recommendations with reasons in Persian; the best partner is across the border.
    assert re.search(r"/firms/\d+/matches", page.url), page.locator(".field-error, .flash").all_inner_texts()
    first = page.locator("li.match").first
    reasons = first.locator("li.reason").all_inner_texts()
    assert reasons and all(PERSIAN.search(text) for text in reasons), reasons
    assert any("870830" in text or "848210" in text for text in reasons)
    partner_id = int(first.get_attribute("data-firm-id"))
    partner = db.session.get(Firm, partner_id)
    assert partner.region.key == "chelyabinsk"
    first.locator("a.button", has_text="درخواست ملاقات").click()

    # 4. The request, with a priority and a message.
    page.wait_for_url(re.compile(r"/requests/new"))
    page.check("input[name=priority][value=must]")
    page.fill("textarea[name=message]", "ما لنت ترمز کامیون تولید می‌کنیم و بلبرینگ نیاز داریم.")
    page.click("main form [type=submit]")
    page.wait_for_url(re.compile(r"/requests/(\?.*)?$"))
    card = page.locator("article.request-card", has_text=partner.name_latin)
    assert card.get_attribute("data-status") == "pending"
    assert "در انتظار پاسخ" in card.inner_text()

    # 5. The Russian firm logs in, reads the request in Russian and accepts it.
    member = db.session.scalar(select(User).where(User.firm_id == partner_id))
    context = browser.new_context(locale="ru-RU")
    russian = context.new_page()
    russian.set_default_timeout(15000)
    try:
        russian.goto(live_server.url + "/auth/login")
        russian.fill("input[name=email]", member.email)
        russian.fill("input[name=password]", DEMO_PASSWORD)
        russian.click("main form [type=submit]")
        russian.wait_for_load_state()
        click_nav(russian, "nav >> text=Входящие")
        assert russian.locator("html").get_attribute("lang") == "ru"
        incoming = russian.locator("article.request-card", has_text="Pazh Casting")
        text = incoming.inner_text()
        assert "ожидает ответа" in text and "обязательн" in text
        incoming.locator("button", has_text="Принять").click()
        russian.wait_for_load_state()
        assert "Запрос принят." in russian.locator(".flash").first.inner_text()
        incoming = russian.locator("article.request-card", has_text="Pazh Casting")
        assert incoming.get_attribute("data-status") == "accepted"
        assert "принят" in incoming.inner_text()
    finally:
        context.close()

    db.session.expire_all()
    row = db.session.scalar(select(MeetingRequest).join(Firm, Firm.id == MeetingRequest.requester_firm_id)
                            .where(Firm.name_latin == "Pazh Casting"))
    assert (row.target_firm_id, row.status, row.priority) == (partner_id, "accepted", "must")
