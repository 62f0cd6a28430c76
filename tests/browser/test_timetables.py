"""Browser: the demo delegation's head logs in, opens the delegation timetable in Russian and
downloads its PDF and its calendar file."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vobject
from sqlalchemy import select

from planner.extensions import db
from planner.models import Delegation, Event
from tests import factories
from tests.browser import click_nav

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent.parent


def test_delegation_head_opens_timetable_in_russian_and_downloads_pdf_and_ics(live_server, page, tmp_path):
    record = json.loads((ROOT / "data" / "demo" / "delegation.json").read_text(encoding="utf-8"))
    event = db.session.scalar(select(Event).where(Event.slug == "demo"))
    version = factories.publish_demo_schedule(event)
    delegation = db.session.scalar(select(Delegation).where(Delegation.key == record["key"]))
    db.session.commit()
    member_ids = {m.id for m in delegation.members}
    expected = {m.uid for m in version.meetings if member_ids & {p.id for p in m.participants}}
    assert expected, "the demo schedule gives the delegation meetings"

    page.goto(live_server.url + "/auth/login?lang=ru")
    page.fill("input[name=email]", record["head_email"])
    page.fill("input[name=password]", "karvan-demo-2026")
    page.click("main form [type=submit]")
    page.wait_for_load_state()
    click_nav(page, "a[data-nav=delegation-timetable]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Деловая делегация Челябинской области" in page.locator("h1").inner_text()
    body = page.locator("main").inner_text()
    assert "Екатеринбург" in body and "Тегеран" in body
    # The screen shows the members a page at a time (the PDF has them all): walking the pages
    # with the pager's "next" link shows every meeting of the delegation.
    shown = set(page.locator("tr[data-uid]").evaluate_all("rows => rows.map(row => row.dataset.uid)"))
    pages = 1
    while page.locator("nav.pager a[rel=next]").count():
        page.click("nav.pager a[rel=next]")
        page.wait_for_load_state()
        shown |= set(page.locator("tr[data-uid]").evaluate_all("rows => rows.map(row => row.dataset.uid)"))
        pages += 1
    assert expected <= shown and pages > 1
    page.goto(f"{live_server.url}/timetables/demo/delegations/{delegation.id}?lang=ru")

    with page.expect_download(timeout=90000) as pdf_info:  # a 50-page PDF on a busy machine
        page.click("a[data-action=pdf]", timeout=90000)
    pdf_path = tmp_path / "timetable.pdf"
    pdf_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
        assert "Стол" in text and "Екатеринбург" in text

    with page.expect_download() as ics_info:
        page.click("a[data-action=ics]")
    ics_path = tmp_path / "timetable.ics"
    ics_info.value.save_as(ics_path)
    calendar = vobject.readOne(ics_path.read_text(encoding="utf-8"))
    assert {event.uid.value for event in calendar.contents["vevent"]} == expected
    # Each event names the member it belongs to before the meeting.
    assert all(": B2B-встреча" in event.summary.value for event in calendar.contents["vevent"])
