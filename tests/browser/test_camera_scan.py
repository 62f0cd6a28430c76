"""Browser: the check-in desk's camera scanner (html5-qrcode, served by the app) reads a person's
real pass from a fake camera — chromium plays a video made from the QR code of their timetable —
on a phone 390 px wide in Persian, and the person is marked present in the database."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from planner.eventday.passes import checkin_pass
from planner.extensions import db
from planner.models import DayPresence, Event, Participant
from planner.models.enums import AttendanceStatus
from tests import factories
from tests.browser import csp_refusals, enforce_csp
from tests.browser.fake_camera import image_from_data_uri, phone_frames, write_y4m

pytestmark = pytest.mark.browser
DAY = date(2026, 11, 9)


@pytest.fixture
def camera_browser(browser, tmp_path):
    """Launch a chromium whose camera plays the video the test writes to the returned path first."""
    video = tmp_path / "camera.y4m"
    launched = []

    def launch():
        assert video.exists(), "write the camera's video before launching"
        launched.append(browser.browser_type.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream",
                  "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}"]))
        return launched[-1]

    yield video, launch
    for opened in launched:
        opened.close()


def test_the_desk_camera_reads_a_pass_and_checks_the_person_in(live_server, camera_browser):
    # As in production: the scanner must work under the app's Content-Security-Policy.
    enforce_csp(live_server.app)
    event = db.session.scalar(select(Event).where(Event.slug == "demo"))
    person = db.session.scalar(select(Participant).where(Participant.email == "m.afshar@toos-brake.example"))
    factories.make_user("helper", email="desk@karvan.example", password="desk-helper-2026")
    qr = image_from_data_uri(checkin_pass(event, person).qr_data_uri)  # the code the person's timetable shows
    db.session.commit()
    video, launch = camera_browser
    write_y4m(phone_frames(qr), video)

    chromium = launch()
    context = chromium.new_context(locale="fa-IR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.grant_permissions(["camera"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20000)
    errors = csp_refusals(page)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{live_server.url}/auth/login?lang=fa")
        page.fill("input[name=email]", "desk@karvan.example")
        page.fill("input[name=password]", "desk-helper-2026")
        page.click("form [type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/day/demo/desk?day={DAY.isoformat()}")
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.click("#scan-start")
        # The scanner decodes a frame, puts the code in the field and sends the form.
        page.wait_for_url(f"**/day/demo/desk/people/{person.id}?**")
        assert page.locator("[data-status=present]").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
    assert not errors, errors
    db.session.expire_all()
    rows = db.session.scalars(select(DayPresence).where(DayPresence.participant_id == person.id)).all()
    assert [(row.day, row.status) for row in rows] == [(DAY, AttendanceStatus.PRESENT)]

