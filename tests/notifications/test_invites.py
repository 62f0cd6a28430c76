"""Publish notices: who gets a message after a publish, with which REQUEST/CANCEL parts,
SEQUENCE and language; request notices for matching."""
from __future__ import annotations

import email
from email import policy

import pytest
import vobject
from icalendar import Calendar
from sqlalchemy import select

from planner.extensions import db
from planner.models import OutgoingMessage, Participant
from planner.notifications.invites import diff_versions, queue_publish_notices, send_request_notice
from planner.notifications.outbox import compose
from planner.timetables.entries import version_meetings
from tests import factories


@pytest.fixture
def scenario(app):
    return factories.make_meeting_scenario()


def _placements(scenario, **moves):
    """The first version's placements, with some requests moved: name=(slot index, table index) or None."""
    items = []
    base = {"toos-ural": (0, 0), "sahand-zlat": (0, 1), "toos-zlat": (2, 0)}
    for name, request in scenario["requests"].items():
        where = moves.get(name, base[name])
        if where is None:
            continue
        items.append({"request": request, "slot": scenario["slots"][where[0]], "table": scenario["tables"][where[1]],
                      "interpreter": scenario["interpreter"] if name == "toos-ural" else None})
    return items


def _calendar_parts(raw: bytes):
    message = email.message_from_bytes(raw, policy=policy.default)
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    return message, parts


def test_first_publish_notifies_everyone_with_a_meeting(scenario):
    messages = queue_publish_notices(scenario["event"].id, scenario["version"].id, None)
    people = {p.id for firm in scenario["firms"].values() for p in firm.participants}
    assert {m.participant_id for m in messages} == people
    assert all(m.state == "queued" and m.kind == "schedule_update" for m in messages)
    locales = {db.session.get(Participant, m.participant_id).firm.region.country: m.locale for m in messages}
    assert locales == {"IR": "fa", "RU": "ru"}


def test_moving_one_meeting_notifies_exactly_its_people_with_same_uid_and_higher_sequence(scenario):
    first = scenario["version"]
    second = factories.publish_meetings(scenario["event"], _placements(scenario, **{"sahand-zlat": (1, 1)}), previous=first)
    db.session.flush()
    messages = queue_publish_notices(scenario["event"].id, second.id, first.id)
    request = scenario["requests"]["sahand-zlat"]
    expected = {p.id for p in request.requester_firm.participants + request.target_firm.participants}
    assert {m.participant_id for m in messages} == expected
    for message in messages:
        assert message.payload["changed"] == [request.id] and not message.payload["added"] and not message.payload["cancel"]
        raw = compose(message)
        parsed, parts = _calendar_parts(raw)
        methods = {part.get_param("method") for part in parts}
        assert methods == {"REQUEST"}
        body = parts[0].get_payload(decode=True)
        cal = Calendar.from_ical(body)
        assert cal["METHOD"] == "REQUEST"
        (vevent,) = cal.walk("VEVENT")
        assert str(vevent["UID"]) == request.uid
        assert int(vevent["SEQUENCE"]) == 1
        assert vevent.decoded("DTSTART") == scenario["slots"][1].start_dt
        assert vobject.readOne(body.decode()).vevent.uid.value == request.uid


def test_removing_a_meeting_sends_cancel_with_raised_sequence(scenario):
    first = scenario["version"]
    second = factories.publish_meetings(scenario["event"], _placements(scenario, **{"toos-zlat": None}), previous=first)
    messages = queue_publish_notices(scenario["event"].id, second.id, first.id)
    request = scenario["requests"]["toos-zlat"]
    assert {m.participant_id for m in messages} == {p.id for p in request.requester_firm.participants + request.target_firm.participants}
    message = next(m for m in messages if m.participant.firm.region.country == "RU")
    assert message.payload["cancel"] == [{"request_id": request.id, "sequence": request.ical_sequence}]
    parsed, parts = _calendar_parts(compose(message))
    assert [part.get_param("method") for part in parts] == ["CANCEL", "CANCEL"]  # inline + attachment
    cal = Calendar.from_ical(parts[0].get_payload(decode=True))
    (vevent,) = cal.walk("VEVENT")
    assert cal["METHOD"] == "CANCEL" and vevent["STATUS"] == "CANCELLED"
    assert str(vevent["UID"]) == request.uid and int(vevent["SEQUENCE"]) == 1 > 0
    assert parsed["Content-Language"] == "ru"
    assert "Отменённые встречи" in parsed.get_body(("plain",)).get_content()


def test_unchanged_republish_sends_nothing(scenario):
    first = scenario["version"]
    second = factories.publish_meetings(scenario["event"], _placements(scenario), previous=first)
    assert queue_publish_notices(scenario["event"].id, second.id, first.id) == []
    assert diff_versions(version_meetings(second), version_meetings(first)) == {}


def test_message_has_pdf_and_matching_methods(scenario):
    first = scenario["version"]
    second = factories.publish_meetings(scenario["event"], _placements(scenario, **{"toos-zlat": None, "toos-ural": (3, 0)}),
                                        previous=first)
    messages = queue_publish_notices(scenario["event"].id, second.id, first.id)
    toos = scenario["firms"]["toos"].participants[0]
    message = next(m for m in messages if m.participant_id == toos.id)
    parsed, parts = _calendar_parts(compose(message))
    for part in parts:
        assert part.get_param("method") == Calendar.from_ical(part.get_payload(decode=True))["METHOD"]
    assert {part.get_param("method") for part in parts} == {"REQUEST", "CANCEL"}
    pdfs = [part for part in parsed.walk() if part.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_payload(decode=True).startswith(b"%PDF")
    assert parsed["Content-Language"] == "fa"


def test_request_notice_goes_to_the_other_firm_in_its_language(scenario):
    request = scenario["requests"]["toos-ural"]  # Uraltrubstal asked Toos
    messages = send_request_notice(request.id, "created")
    assert {m.participant_id for m in messages} == {p.id for p in request.target_firm.participants}
    parsed = email.message_from_bytes(compose(messages[0]), policy=policy.default)
    assert "Uraltrubstal" in str(parsed["Subject"]) or "Уралтрубсталь" in str(parsed["Subject"])
    assert parsed["Content-Language"] == "fa"
    accepted = send_request_notice(request.id, "accepted")
    assert {m.participant_id for m in accepted} == {p.id for p in request.requester_firm.participants}
    assert all(m.locale == "ru" for m in accepted)
    with pytest.raises(ValueError):
        send_request_notice(request.id, "lost")
    assert db.session.scalar(select(OutgoingMessage).limit(1)) is not None
