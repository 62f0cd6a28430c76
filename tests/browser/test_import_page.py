"""Browser: a Persian organiser imports firms of both regions from an .xlsx with Persian headers —
upload, a preview in Persian with Persian digits, confirm, the result — on a desktop (1366 px),
and neither page scrolls sideways on a phone (390 px); then the round's public page, which firms
read on their phones, fits 390 px in every language."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from planner.demo.seed import DEMO_ORGANISER_EMAIL, DEMO_PASSWORD
from planner.events.rounds import clone_event
from planner.extensions import db
from planner.models import Event, Exhibition, Firm, MeetingRequest
from tests.onboarding.files import GUESTS, HOSTS, WISHES, xlsx_bytes

pytestmark = pytest.mark.browser
PERSIAN_NUMBER = re.compile(r"^[۰-۹]+$")


def _no_sideways_scroll(page) -> tuple[int, int] | None:
    """(scrollWidth, innerWidth) when the page is wider than the window, else None."""
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return (scroll, inner) if scroll > inner else None


def test_the_import_page_in_persian_from_upload_to_result(live_server, page, tmp_path):
    # the December round on the energy show's days, whose days the file's people attend
    source = db.session.scalar(select(Event).where(Event.slug == "demo"))
    clone_event(source, "winter-b2b", db.session.scalar(select(Exhibition).where(Exhibition.key == "energy-1405")))
    db.session.commit()
    upload = tmp_path / "شرکت‌ها.xlsx"
    upload.write_bytes(xlsx_bytes(HOSTS + GUESTS, WISHES, locale="fa"))
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(live_server.url + "/auth/login?lang=fa")
    page.fill("input[name=email]", DEMO_ORGANISER_EMAIL)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form [type=submit]")
    page.wait_for_load_state()

    page.goto(live_server.url + "/onboarding/import?lang=fa")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text().strip() == "ورود شرکت‌ها و افراد"
    assert _no_sideways_scroll(page) is None
    page.set_viewport_size({"width": 390, "height": 844})
    assert _no_sideways_scroll(page) is None, "the upload page fits a phone"
    page.set_viewport_size({"width": 1366, "height": 768})

    page.set_input_files("input[name=file]", str(upload))
    page.select_option("select[name=event]", "winter-b2b")
    page.fill("input[name=delegation]", "chelyabinsk-2027")
    page.click("main form[enctype] [type=submit]")
    page.wait_for_load_state()

    # The preview: Persian text, counts in Persian digits, nothing written yet.
    assert page.locator("h1").inner_text().strip() == "بررسی پیش از ورود"
    main = page.locator("main").inner_text()
    assert "پمپ‌سازی توس" in main and "فولاد رضوی" in main and "Уральская арматура" in main
    assert "تازه" in main and "هیئت chelyabinsk-2027" in main.replace("\u2068", "").replace("\u2069", "")
    counts = page.locator("table.import-counts td").all_inner_texts()
    assert counts and all(PERSIAN_NUMBER.match(text.strip()) for text in counts), counts
    assert "۴" in counts, "four new firms"
    lines = page.locator("table.import-preview td:first-child").all_inner_texts()
    assert lines and all(PERSIAN_NUMBER.match(text.strip()) for text in lines), lines
    assert db.session.scalar(select(Firm).where(Firm.key == "toos-pump")) is None, "nothing is written before the confirm"
    assert _no_sideways_scroll(page) is None
    page.set_viewport_size({"width": 390, "height": 844})
    assert _no_sideways_scroll(page) is None, "the preview fits a phone"
    page.set_viewport_size({"width": 1366, "height": 768})

    page.click("form[action$='/onboarding/import/confirm'] [type=submit]")
    page.wait_for_load_state()
    flash = page.locator(".flash-success").inner_text()
    assert "وارد شد" in flash and "۴ شرکت تازه" in flash and "۵ فرد تازه" in flash, flash
    assert re.search(r"[۰-۹]+ فرد تازه", flash) and not re.search(r"[0-9]", flash), flash
    db.session.expire_all()
    firm = db.session.scalar(select(Firm).where(Firm.key == "toos-pump"))
    assert firm is not None and [p.email for p in firm.participants] == ["reza@toospump.ir", "maryam@toospump.ir"]
    winter = db.session.scalar(select(Event).where(Event.slug == "winter-b2b"))
    wishes = db.session.scalars(select(MeetingRequest).where(MeetingRequest.event_id == winter.id,
                                                             MeetingRequest.requester_firm_id.in_(
                                                                 select(Firm.id).where(Firm.key == "ural-valve")))).all()
    assert len(wishes) == 2 and {w.status for w in wishes} == {"accepted"}

    # The round's organiser pages on a desktop, its public page on a visitor's phone.
    for path in (f"/organiser/events/{winter.id}/round", f"/organiser/events/{winter.id}/registrations",
                 f"/organiser/events/{winter.id}/clone", f"/organiser/events/{winter.id}/delete"):
        assert page.goto(f"{live_server.url}{path}?lang=fa").status == 200
        assert _no_sideways_scroll(page) is None, path
    visitor = page.context.browser.new_context(locale="fa-IR", viewport={"width": 390, "height": 844})
    phone = visitor.new_page()
    for slug in ("demo", "winter-b2b"):
        for locale in ("fa", "ru", "en"):
            assert phone.goto(f"{live_server.url}/rounds/{slug}?lang={locale}").status == 200
            assert _no_sideways_scroll(phone) is None, (slug, locale)
    phone.goto(f"{live_server.url}/rounds/winter-b2b?lang=fa")
    assert "پمپ‌سازی توس" in phone.locator("#firms").inner_text()
    assert "شرکت خود را ثبت کنید" in phone.locator("#join").inner_text()
    visitor.close()
