"""Browser: the firm and delegation journeys fit a phone (390 px) and a desktop (1366 px) in
fa, ru and en — no page scrolls sideways, the navigation fits one line or folds into a menu —
and the fonts and the favicon the pages name are served."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from planner.demo.seed import DEMO_ORGANISER_EMAIL, DEMO_PASSWORD
from planner.extensions import db
from planner.models import Delegation, Event, Exhibition, Firm, MeetingRequest, User
from planner.scheduling.versions import published_version

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent.parent
LONG_NAME = "Uralskiy" + "Metallurgicheskiy" * 6  # 110 letters and no place to break


def _widths(page, base: str, paths: list[str], locale: str) -> dict[str, tuple[int, int]]:
    """scrollWidth and innerWidth of each page (in `locale`) that scrolls sideways."""
    wide = {}
    for path in paths:
        sep = "&" if "?" in path else "?"
        response = page.goto(f"{base}{path}{sep}lang={locale}")
        assert response is not None and response.status == 200, (path, response and response.status)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            wide[f"{locale} {path}"] = (scroll, inner)
    return wide


def _login(page, base: str, email: str) -> None:
    page.goto(base + "/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form [type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def journeys(live_server):
    """Paths of the firm journey (a Persian firm whose partner has a 110-letter name) and the
    delegation journey, from the demo data set."""
    event = db.session.scalar(select(Event).where(Event.slug == "demo"))
    assert published_version(event) is not None
    request = db.session.scalar(select(MeetingRequest).where(MeetingRequest.event_id == event.id)
                                .order_by(MeetingRequest.id))
    firm_user = db.session.scalar(select(User).where(User.firm_id == request.target_firm_id))
    partner = db.session.get(Firm, request.requester_firm_id)
    partner.name_latin = LONG_NAME
    partner.description = {"en": LONG_NAME, "ru": LONG_NAME, "fa": LONG_NAME}
    record = json.loads((ROOT / "data" / "demo" / "delegation.json").read_text(encoding="utf-8"))
    delegation = db.session.scalar(select(Delegation).where(Delegation.key == record["key"]))
    exhibition = db.session.scalar(select(Exhibition).order_by(Exhibition.start_date))
    firm_id = firm_user.firm_id
    member = delegation.members[0]
    db.session.commit()
    firm_paths = ["/", "/exhibitions/", f"/exhibitions/{exhibition.key}", "/exhibitions/month", "/firms/",
                  f"/firms/{partner.id}", f"/firms/{firm_id}", f"/firms/{firm_id}/edit", f"/firms/{firm_id}/matches",
                  "/firms/marketplace", "/requests/", f"/requests/new?target={partner.id}", "/timetables/mine",
                  f"/timetables/demo/firms/{firm_id}"]
    delegation_paths = ["/timetables/delegation", f"/timetables/demo/delegations/{delegation.id}",
                        f"/timetables/demo/participants/{member.id}", f"/timetables/demo/firms/{member.firm_id}"]
    return {"firm": (firm_user.email, firm_paths), "delegation": (record["head_email"], delegation_paths),
            "organiser": (DEMO_ORGANISER_EMAIL, [f"/organiser/events/{event.id}", f"/organiser/events/{event.id}/settings",
                                                 f"/organiser/events/{event.id}/schedule", "/requests/demand"])}


# The pages the issue names are measured on a desktop as well; every page on a phone.
DESKTOP = ("/timetables/", "/firms/", "/requests/", "/exhibitions/", "/organiser/")


def test_no_page_of_the_journeys_scrolls_sideways_and_the_menu_folds(live_server, browser, journeys):
    wide, headers = {}, {}
    for who, (email, paths) in journeys.items():
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.set_default_timeout(15000)
        _login(page, live_server.url, email)
        for width, height in ((390, 844), (1366, 768)):
            page.set_viewport_size({"width": width, "height": height})
            chosen = [p for p in paths if width < 1000 or p.startswith(DESKTOP)]
            if who == "organiser" and width < 768:
                chosen = chosen[:1]  # organiser pages are for a tablet or a desktop; setup must still fit
            for locale in ("fa", "ru", "en"):
                wide.update({f"{width} {k}": v for k, v in _widths(page, live_server.url, chosen, locale).items()})
                headers[f"{who} {width} {locale}"] = page.evaluate("document.querySelector('.site-header').offsetHeight")
        if who == "firm":
            # On a phone the links fold behind the menu button, which opens them.
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(live_server.url + "/?lang=ru")
            links = page.locator(".nav-links")
            assert not links.is_visible()
            page.click(".nav-toggle")
            assert links.is_visible() and "Выставки" in links.inner_text()
        context.close()
    assert not wide, f"pages wider than the window: {wide}"
    # The header is one line (with a menu button on a phone), not a third of the screen.
    assert not {k: h for k, h in headers.items() if h > 72}


def test_fonts_and_favicon_are_served(client):
    with client.get("/static/css/karvan.css") as response:
        css = response.get_data(as_text=True)
    assert "Vazirmatn" in css and "@font-face" in css
    with client.get("/static/vendor/vazirmatn/Vazirmatn[wght].woff2") as font:
        assert font.status_code == 200 and font.data[:4] == b"wOF2"
    with client.get("/static/vendor/vazirmatn/OFL.txt") as licence:
        assert b"SIL OPEN FONT LICENSE" in licence.data.upper()
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype.startswith("image/")
