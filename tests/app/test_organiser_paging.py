"""The organiser's lists that grow with a round show one page at a time (planner.paging.PER_PAGE
rows): the registered firms of a round, the demand per firm, a visit's members, and the board's
unscheduled requests and firms without a meeting. Page 2 shows the rows after page 1, each list
pages on its own, and a page number out of range shows the last page."""
from __future__ import annotations

import re
from datetime import time

import pytest
from sqlalchemy import select

from planner.events.services import register_firms
from planner.extensions import db
from planner.models import Delegation, Region
from planner.paging import PER_PAGE
from tests.factories import event_slots, make_event, make_firm, make_meeting_request, make_user, publish_meetings

EXTRA = 3  # rows on the second page


@pytest.fixture
def organiser(client):
    user = make_user("organiser", email="org@paging.example")
    db.session.commit()
    client.post("/auth/login", data={"email": user.email, "password": "correct horse battery"})
    return user


def _firms(count: int, region_key: str = "khorasan-razavi", start: int = 0):
    # Latin names sort in creation order: "Paging 000" … (the lists order by them)
    return [make_firm(region_key, name_latin=f"Paging {n:03d}") for n in range(start, start + count)]


def _names(html: str) -> list[str]:
    return re.findall(r"Paging \d{3}", html)


def test_registered_firms_of_a_round_page_and_saving_bounds_stays_on_the_page(client, organiser):
    event = make_event(sessions=((0, time(9), time(12)),))
    register_firms(event, _firms(PER_PAGE + EXTRA))
    db.session.commit()
    url = f"/organiser/events/{event.id}?lang=en"
    first = client.get(url).get_data(as_text=True)
    section = first.split('id="firms"')[1].split("</section>")[0]
    assert _names(section) == [f"Paging {n:03d}" for n in range(PER_PAGE)]
    assert f"{PER_PAGE + EXTRA} firms" in section and 'rel="next"' in section
    second = client.get(url + "&firms_page=2").get_data(as_text=True).split('id="firms"')[1].split("</section>")[0]
    assert _names(second) == [f"Paging {n:03d}" for n in range(PER_PAGE, PER_PAGE + EXTRA)]
    assert "<details open>" in second and 'rel="prev"' in second
    assert _names(client.get(url + "&firms_page=99").get_data(as_text=True).split('id="firms"')[1]) == _names(second)
    # the bounds form of a row on page 2 brings the organiser back to page 2
    action = re.search(r'action="([^"]+/registrations/\d+)"', second).group(1)
    assert 'name="firms_page" value="2"' in second
    saved = client.post(action, data={"min_meetings": "۲", "max_meetings": "5", "firms_page": "2"})
    assert saved.status_code == 302 and "firms_page=2" in saved.headers["Location"]


def test_demand_per_firm_pages(client, organiser):
    event = make_event(sessions=((0, time(9), time(12)),))
    firms = _firms(PER_PAGE + EXTRA)
    register_firms(event, firms)
    db.session.commit()
    url = f"/requests/demand?event={event.slug}&lang=en"
    first = client.get(url).get_data(as_text=True)
    assert len(_names(first)) == PER_PAGE and f"{PER_PAGE + EXTRA} firms" in first
    second = client.get(url + "&page=2").get_data(as_text=True)
    assert len(_names(second)) == EXTRA and not set(_names(second)) & set(_names(first))
    assert set(_names(first)) | set(_names(second)) == {firm.name_latin for firm in firms}


def test_members_of_a_visit_page(client, organiser):
    event = make_event(sessions=((0, time(9), time(12)),))
    people = [firm.participants[0] for firm in _firms(PER_PAGE + EXTRA, "chelyabinsk")]
    region = db.session.scalar(select(Region).where(Region.key == "chelyabinsk"))
    delegation = Delegation(key="paging", region=region, name={"en": "Paging visit"}, members=people, events=[event])
    db.session.add(delegation)
    db.session.commit()
    url = f"/delegations/{delegation.id}?lang=en"
    first = client.get(url).get_data(as_text=True)
    assert len(_names(first)) == PER_PAGE and 'rel="next"' in first
    second = client.get(url + "&page=2").get_data(as_text=True)
    assert _names(second) == [f"Paging {n:03d}" for n in range(PER_PAGE, PER_PAGE + EXTRA)]


def test_board_pages_the_unscheduled_requests_and_the_firms_without_a_meeting_apart(client, organiser):
    event = make_event(sessions=((0, time(9), time(12)),))
    hosts, guests = _firms(PER_PAGE + EXTRA), _firms(PER_PAGE + EXTRA, "chelyabinsk", start=500)
    register_firms(event, hosts + guests)
    placed = make_meeting_request(event, hosts[0], guests[0])
    version = publish_meetings(event, [{"request": placed, "slot": event_slots(event)[0], "table": event.tables[0]}])
    left = [make_meeting_request(event, host, guest) for host, guest in zip(hosts[1:], guests[1:], strict=True)]
    version.unscheduled = [{"request_id": r.id, "reason": "no_common_slot", "people": []} for r in left]
    version.stats = {**(version.stats or {}), "zero_firms": [{"firm_id": f.id, "reason": "requests_unscheduled"}
                                                              for f in hosts[1:] + guests[1:]]}
    db.session.commit()
    url = f"/organiser/versions/{version.id}?lang=en"

    def sections(page_url):
        html = client.get(page_url).get_data(as_text=True)
        unscheduled = html.split('id="unscheduled"')[1].split("</section>")[0]
        zero = html.split('id="zero"')[1].split("</section>")[0]
        return html, unscheduled, zero

    html, unscheduled, zero = sections(url)
    assert unscheduled.count("<tr data-request=") == PER_PAGE and zero.count("<li><bdi>") == PER_PAGE
    assert f'data-figure="unscheduled">{len(left)}<' in html and f'data-figure="zero">{2 * len(left)}<' in html
    _html, unscheduled_2, zero_same = sections(url + "&unscheduled_page=2")
    assert unscheduled_2.count("<tr data-request=") == len(left) - PER_PAGE
    assert not set(re.findall(r'data-request="(\d+)"', unscheduled_2)) & set(re.findall(r'data-request="(\d+)"', unscheduled))
    rows = re.compile(r"<li><bdi>.*?</li>")
    assert rows.findall(zero_same) == rows.findall(zero), "each list pages on its own"
    # the next page's link keeps the other list's page
    link = re.search(r'href="([^"]*zero_page=2[^"]*)"', zero_same.replace("&amp;", "&")).group(1)
    assert "unscheduled_page=2" in link and link.endswith("#zero")
    _html, _unscheduled, zero_2 = sections(url + "&zero_page=2")
    _html, _unscheduled, zero_3 = sections(url + "&zero_page=3")
    assert zero_2.count("<li><bdi>") == PER_PAGE and zero_3.count("<li><bdi>") == 2 * len(left) - 2 * PER_PAGE
    assert not set(rows.findall(zero_2)) & set(rows.findall(zero))
