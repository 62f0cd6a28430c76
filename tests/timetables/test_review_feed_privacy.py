"""Review: the single-meeting .ics a delegation head downloads names the other firm's people
but does not hand out their e-mail addresses (contacts stay private to their firm)."""
from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import select

from planner.extensions import db
from planner.models import Delegation, Region
from tests import factories


def _attendee_mails(data: bytes) -> set[str]:
    calendar = Calendar.from_ical(data)
    mails = set()
    for component in calendar.walk("VEVENT"):
        attendees = component.get("attendee") or []
        if not isinstance(attendees, list):
            attendees = [attendees]
        mails |= {str(a).removeprefix("mailto:").lower() for a in attendees}
    return mails


def test_delegation_head_download_keeps_the_other_firms_contacts_private(app, client, auth):
    data = factories.make_meeting_scenario()
    ural, toos = data["firms"]["ural"], data["firms"]["toos"]
    region = db.session.scalar(select(Region).where(Region.key == "chelyabinsk"))
    delegation = Delegation(key="privacy", region=region, name={"ru": "Делегация"}, members=list(ural.participants),
                            head=ural.participants[0])
    db.session.add(delegation)
    head = factories.make_user("delegation_head", email="head@ural.example", locale="ru")
    head.delegation = delegation
    db.session.commit()
    request = data["requests"]["toos-ural"]

    auth.login("head@ural.example")
    response = client.get(f"/feeds/{data['event'].slug}/meetings/{request.id}.ics")
    assert response.status_code == 200
    assert _attendee_mails(response.data) == set(), "a PUBLISH download names no ATTENDEE (RFC 5546 §3.2.1)"
    assert not any(p.email.lower().encode() in response.data.lower() for p in toos.participants)


def test_organiser_download_names_both_firms_but_lists_no_attendee(app, client, auth):
    data = factories.make_meeting_scenario()
    factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    request = data["requests"]["toos-ural"]
    auth.login("org@karvan.example")
    response = client.get(f"/feeds/{data['event'].slug}/meetings/{request.id}.ics")
    assert response.status_code == 200
    assert _attendee_mails(response.data) == set()
    text = response.data.replace(b"\r\n ", b"").decode()
    assert all(firm.display_name("fa") in text or firm.name_latin in text for firm in (data["firms"]["toos"], data["firms"]["ural"]))
