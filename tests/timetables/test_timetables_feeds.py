"""Secret-token calendar feeds: issue, re-issue, revoke; wrong or revoked tokens answer 404;
the single-meeting download; feeds follow republishing with the same UID."""
from __future__ import annotations

import pytest
import vobject
from icalendar import Calendar
from sqlalchemy import select

from planner.extensions import db
from planner.models import Delegation, Region
from planner.text.scripts import participant_name
from tests import factories


@pytest.fixture
def scenario(app):
    data = factories.make_meeting_scenario()
    data["person"] = data["firms"]["ural"].participants[0]
    data["user"] = factories.make_user(firm=data["firms"]["ural"], email=data["person"].email, locale="ru")
    region = db.session.scalar(select(Region).where(Region.key == "chelyabinsk"))
    data["delegation"] = Delegation(key="feed-test", region=region, name={"ru": "Делегация"},
                                    members=[data["person"]], head=data["person"])
    db.session.add(data["delegation"])
    head = factories.make_user("delegation_head", email="head@ural.example", locale="ru")
    head.delegation = data["delegation"]
    db.session.commit()
    return data


def test_wrong_token_is_404(client, scenario):
    assert client.get("/feeds/p/not-a-token.ics").status_code == 404
    assert client.get("/feeds/d/not-a-token.ics").status_code == 404
    assert client.get("/feeds/p/.ics").status_code == 404


def test_issue_reissue_and_revoke_participant_feed(client, auth, scenario):
    person = scenario["person"]
    auth.login(person.email)
    page = client.get(f"/timetables/{scenario['event'].slug}/participants/{person.id}?lang=ru").get_data(as_text=True)
    assert "Создать ссылку на календарь" in page
    client.post(f"/feeds/participants/{person.id}/token")
    db.session.refresh(person)
    first = person.feed_token
    assert first and len(first) >= 40
    auth.logout()  # a calendar app has no session: the token alone opens the feed
    response = client.get(f"/feeds/p/{first}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = Calendar.from_ical(response.get_data())
    assert cal["METHOD"] == "PUBLISH" and len(cal.walk("VEVENT")) == 1
    assert "B2B-встреча" in str(cal.walk("VEVENT")[0]["SUMMARY"]), "the feed speaks its owner's language"
    assert vobject.readOne(response.get_data(as_text=True)).vevent.uid.value == scenario["requests"]["toos-ural"].uid

    auth.login(person.email)
    client.post(f"/feeds/participants/{person.id}/token")
    db.session.refresh(person)
    assert person.feed_token != first
    assert client.get(f"/feeds/p/{first}.ics").status_code == 404, "a re-issued link replaces the old one"
    assert client.get(f"/feeds/p/{person.feed_token}.ics").status_code == 200
    second = person.feed_token
    client.post(f"/feeds/participants/{person.id}/revoke")
    db.session.refresh(person)
    assert person.feed_token is None
    assert client.get(f"/feeds/p/{second}.ics").status_code == 404


def test_others_cannot_issue_tokens(client, auth, scenario):
    other = factories.make_user(firm=scenario["firms"]["toos"], email="other@toos.example")
    db.session.commit()
    auth.login(other.email)
    assert client.post(f"/feeds/participants/{scenario['person'].id}/token").status_code == 403
    assert client.post(f"/feeds/delegations/{scenario['delegation'].id}/token").status_code == 403


def test_delegation_feed_for_the_head(client, auth, scenario):
    delegation = scenario["delegation"]
    auth.login("head@ural.example")
    client.post(f"/feeds/delegations/{delegation.id}/token")
    db.session.refresh(delegation)
    token = delegation.feed_token
    response = client.get(f"/feeds/d/{token}.ics?lang=en")
    cal = Calendar.from_ical(response.get_data())
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    # The head's calendar says whose meeting it is: the member's name, then the meeting.
    assert len(summaries) == 1 and summaries[0].endswith(": B2B meeting with Toos Steel Industries")
    assert summaries[0].split(":")[0] in {participant_name(p, "en") for p in delegation.members}
    client.post(f"/feeds/delegations/{delegation.id}/revoke")
    assert client.get(f"/feeds/d/{token}.ics").status_code == 404


def test_feed_follows_a_republish_with_same_uid_and_higher_sequence(client, scenario):
    person = scenario["person"]
    person.feed_token = "t" * 43
    db.session.commit()
    before = Calendar.from_ical(client.get(f"/feeds/p/{person.feed_token}.ics").get_data()).walk("VEVENT")[0]
    placements = [{"request": m.request, "slot": scenario["slots"][4] if m.request_id == scenario["requests"]["toos-ural"].id else m.slot,
                   "table": m.table, "interpreter": m.interpreter} for m in scenario["version"].meetings]
    factories.publish_meetings(scenario["event"], placements, previous=scenario["version"])
    db.session.commit()
    (after,) = Calendar.from_ical(client.get(f"/feeds/p/{person.feed_token}.ics").get_data()).walk("VEVENT")
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == scenario["slots"][4].start_dt


def test_single_meeting_download(client, auth, scenario):
    request = scenario["requests"]["toos-ural"]
    url = f"/feeds/{scenario['event'].slug}/meetings/{request.id}.ics"
    assert client.get(url).status_code == 302  # log in first
    auth.login(scenario["person"].email)
    response = client.get(url + "?lang=ru")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    (vevent,) = Calendar.from_ical(response.get_data()).walk("VEVENT")
    assert str(vevent["UID"]) == request.uid
    assert "Екатеринбург" in str(vevent["DESCRIPTION"]), "the visitor's home time is in the description"
    other = scenario["requests"]["sahand-zlat"]
    assert client.get(f"/feeds/{scenario['event'].slug}/meetings/{other.id}.ics").status_code == 404


def test_feeds_keep_the_other_firm_contacts_private(client, scenario):
    """Attendee mailboxes are the reader's own side only; the counterpart is named, not exposed."""
    person = scenario["person"]
    person.feed_token = "p" * 43
    db.session.commit()
    data = client.get(f"/feeds/p/{person.feed_token}.ics").get_data()
    (vevent,) = Calendar.from_ical(data).walk("VEVENT")
    assert "ATTENDEE" not in vevent, "a PUBLISH feed names no ATTENDEE (RFC 5546 §3.2.1)"
    assert str(vevent["ORGANIZER"]).startswith("mailto:")
    for other in scenario["firms"]["toos"].participants:
        assert other.email.encode() not in data
        assert other.display_name("ru").encode() in data.replace(b"\r\n ", b"")
