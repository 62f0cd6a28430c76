"""Publish notices: who gets which message after a publish (one invitation per meeting
change, one digest per person), with which METHOD, SEQUENCE and language; request notices."""
from __future__ import annotations

import email
from email import policy

import pytest
import vobject
from sqlalchemy import select

from planner.extensions import db
from planner.models import Meeting, OutgoingMessage, Participant
from planner.notifications.invites import queue_publish_notices
from planner.notifications.notices import send_request_notice
from planner.notifications.outbox import compose
from planner.timetables.changes import diff_counts, diff_versions
from tests import factories
from tests.notifications.replay import Replay, check_message


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


def _invitations(messages):
    return [m for m in messages if m.kind == "invitation"]


def _parsed(message):
    return email.message_from_bytes(message.mime, policy=policy.default)


def test_first_publish_sends_one_invitation_per_meeting_and_person_and_a_digest(scenario):
    messages = queue_publish_notices(scenario["event"].id, scenario["version"].id, None)
    people = {p.id for firm in scenario["firms"].values() for p in firm.participants}
    assert {m.participant_id for m in messages} == people
    assert all(m.state == "queued" and m.mime for m in messages), "composed in the publish's transaction"
    digests = [m for m in messages if m.kind == "schedule_update"]
    assert sorted(m.participant_id for m in digests) == sorted(people)
    toos = scenario["firms"]["toos"].participants[0]
    mine = [m for m in _invitations(messages) if m.participant_id == toos.id]
    assert sorted(m.payload["request_id"] for m in mine) == sorted(
        scenario["requests"][name].id for name in ("toos-ural", "toos-zlat"))
    for message in _invitations(messages):
        method, vevents = check_message(_parsed(message))
        assert method == "REQUEST" and len(vevents) == 1
        assert str(vevents[0]["UID"]) == db.session.get(Meeting, message.payload["meeting_id"]).uid
        attendee = vevents[0]["ATTENDEE"] if isinstance(vevents[0]["ATTENDEE"], list) else [vevents[0]["ATTENDEE"]]
        assert all(a.params["RSVP"] == "FALSE" for a in attendee)
    for digest in digests:
        assert check_message(_parsed(digest)) is None, "the digest carries no calendar part"
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
    for message in _invitations(messages):
        assert message.payload["request_id"] == request.id and message.payload["what"] == "changed"
        raw = compose(message)
        method, (vevent,) = check_message(email.message_from_bytes(raw, policy=policy.default))
        assert method == "REQUEST"
        assert str(vevent["UID"]) == request.uid and request.uid.endswith("@" + "karvan.test")
        assert int(vevent["SEQUENCE"]) == 1
        assert vevent.decoded("DTSTART") == scenario["slots"][1].start_dt
        body = email.message_from_bytes(raw, policy=policy.default)
        part = next(p for p in body.walk() if p.get_content_type() == "text/calendar")
        assert vobject.readOne(part.get_payload(decode=True).decode()).vevent.uid.value == request.uid
    assert len(_invitations(messages)) == len(expected)


def test_removing_a_meeting_sends_one_inline_cancel_with_raised_sequence(scenario):
    first = scenario["version"]
    second = factories.publish_meetings(scenario["event"], _placements(scenario, **{"toos-zlat": None}), previous=first)
    messages = queue_publish_notices(scenario["event"].id, second.id, first.id)
    request = scenario["requests"]["toos-zlat"]
    assert {m.participant_id for m in messages} == {p.id for p in request.requester_firm.participants + request.target_firm.participants}
    message = next(m for m in _invitations(messages) if m.participant.firm.region.country == "RU")
    assert message.payload["what"] == "cancelled" and message.payload["sequence"] == request.ical_sequence
    parsed = _parsed(message)
    method, (vevent,) = check_message(parsed)
    assert method == "CANCEL" and vevent["STATUS"] == "CANCELLED"
    assert str(vevent["UID"]) == request.uid and int(vevent["SEQUENCE"]) == 1 > 0
    assert parsed["Content-Language"] == "ru"
    assert "отменена" in parsed.get_body(("plain",)).get_content()
    digest = next(m for m in messages if m.kind == "schedule_update" and m.participant_id == message.participant_id)
    assert "Отменённые встречи" in _parsed(digest).get_body(("plain",)).get_content()


def test_a_person_taken_off_a_meeting_that_still_happens_gets_a_cancel_without_status(scenario):
    first = scenario["version"]
    toos = scenario["firms"]["toos"]
    leaving, staying = toos.participants
    request = scenario["requests"]["toos-ural"]
    placements = _placements(scenario)
    for item in placements:
        if item["request"] is request:
            item["people"] = [staying] + list(request.requester_firm.participants)
    second = factories.publish_meetings(scenario["event"], placements, previous=first)
    messages = queue_publish_notices(scenario["event"].id, second.id, first.id)
    to_leaving = [m for m in _invitations(messages) if m.participant_id == leaving.id]
    assert [m.payload["what"] for m in to_leaving] == ["left"]
    method, (vevent,) = check_message(_parsed(to_leaving[0]))
    assert method == "CANCEL" and "STATUS" not in vevent
    assert str(vevent["ATTENDEE"]) == f"mailto:{leaving.email}"
    assert int(vevent["SEQUENCE"]) == request.ical_sequence == 1
    # the others keep the meeting and get its update (new attendee list, higher SEQUENCE)
    others = {m.participant_id: m.payload["what"] for m in _invitations(messages) if m.participant_id != leaving.id}
    assert set(others.values()) == {"changed"} and staying.id in others


def test_replaying_every_message_gives_each_persons_published_meetings(scenario):
    from tests.notifications.replay import published_by_email

    event = scenario["event"]
    replay = Replay()
    queued = list(queue_publish_notices(event.id, scenario["version"].id, None))
    second = factories.publish_meetings(event, _placements(scenario, **{"sahand-zlat": (1, 1), "toos-zlat": None}),
                                        previous=scenario["version"])
    queued += queue_publish_notices(event.id, second.id, scenario["version"].id)
    for message in sorted(queued, key=lambda m: m.id):
        replay.apply_raw(message.recipient, message.mime)
    expected = published_by_email(event)
    everyone = {m.recipient.lower() for m in queued}
    for person in everyone:
        assert replay.meetings(person) == expected.get(person, {}), person


def test_unchanged_republish_sends_nothing(scenario):
    first = scenario["version"]
    second = factories.publish_meetings(scenario["event"], _placements(scenario), previous=first)
    assert queue_publish_notices(scenario["event"].id, second.id, first.id) == []
    diff = diff_versions(first, second)
    assert not diff.changed and diff.by_person() == {} and diff.unchanged == 3
    assert diff_counts(first, second) == diff.counts()


def test_one_diff_tells_moves_interpreter_changes_and_people_apart(scenario):
    first = scenario["version"]
    placements = _placements(scenario, **{"sahand-zlat": (1, 1)})
    for item in placements:
        if item["request"] is scenario["requests"]["toos-ural"]:
            item["interpreter"] = None
    second = factories.publish_meetings(scenario["event"], placements, previous=first)
    diff = diff_versions(first, second)
    assert diff.counts() == {"added": 0, "moved": 1, "interpreter": 1, "people": 0, "cancelled": 0, "unchanged": 1}
    assert diff_counts(first, second) == diff.counts(), "the board's counts read from columns agree"
    third_placements = [item for item in placements if item["request"] is not scenario["requests"]["toos-ural"]]
    third_placements[0]["people"] = third_placements[0]["request"].requester_firm.participants[:1] + \
        third_placements[0]["request"].target_firm.participants[:1]
    third = factories.publish_meetings(scenario["event"], third_placements, previous=second)
    assert diff_counts(second, third) == diff_versions(second, third).counts()
    assert diff_counts(None, third) == diff_versions(None, third).counts()
    assert diff.changed_requests() == {scenario["requests"]["sahand-zlat"].id, scenario["requests"]["toos-ural"].id}


def test_digest_links_the_personal_feed_from_the_base_url(scenario, app):
    app.config["KARVAN_BASE_URL"] = "https://b2b.example.org/karvan"
    messages = queue_publish_notices(scenario["event"].id, scenario["version"].id, None)
    ural = scenario["firms"]["ural"].participants[0]
    digest = next(m for m in messages if m.kind == "schedule_update" and m.participant_id == ural.id)
    text = _parsed(digest).get_body(("plain",)).get_content()
    assert ural.feed_token and f"https://b2b.example.org/karvan/feeds/p/{ural.feed_token}.ics" in text


def test_persian_text_lines_starting_with_latin_get_a_right_to_left_mark(scenario):
    messages = queue_publish_notices(scenario["event"].id, scenario["version"].id, None)
    sahand = scenario["firms"]["sahand"].participants[0]
    message = next(m for m in _invitations(messages) if m.participant_id == sahand.id)
    text = _parsed(message).get_body(("plain",)).get_content()
    latin_lines = [line for line in text.splitlines() if line.strip() and line.lstrip("\u200f -")[:1].isascii()
                   and line.lstrip("\u200f -")[:1].isalpha()]
    assert latin_lines and all(line.startswith("\u200f") for line in latin_lines)


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


def test_an_interpreter_change_alone_updates_only_the_people_of_that_meeting(scenario):
    """Publishing a version where only one meeting's interpreter differs: counted apart from
    moves, and only that meeting's people get its REQUEST (same time, higher SEQUENCE)."""
    from planner.models import Interpreter
    from planner.timetables.changes import diff_versions as diff_of
    from planner.timetables.entries import meeting_people

    first = scenario["version"]
    queue_publish_notices(scenario["event"].id, first.id, None)
    db.session.flush()
    last = db.session.scalar(select(OutgoingMessage.id).order_by(OutgoingMessage.id.desc()).limit(1))
    other = Interpreter(name="سارا کریمی", name_latin="Sara Karimi", email="sara@karvan.example", languages=["fa", "ru"])
    scenario["event"].interpreters.append(other)
    request = scenario["requests"]["toos-ural"]
    placements = [dict(item, interpreter=other) if item["request"] is request else item for item in _placements(scenario)]
    second = factories.publish_meetings(scenario["event"], placements, previous=first)
    counts = diff_of(first, second).counts()
    assert (counts["interpreter"], counts["moved"], counts["people"], counts["added"], counts["cancelled"]) == (1, 0, 0, 0, 0)
    queue_publish_notices(scenario["event"].id, second.id, first.id)
    db.session.flush()
    messages = list(db.session.scalars(select(OutgoingMessage).where(OutgoingMessage.id > last)))
    meeting = next(m for m in second.meetings if m.request_id == request.id)
    concerned = {p.email for p in meeting_people(meeting)}
    assert {m.recipient for m in messages} == concerned, "nobody else hears of it"
    assert sorted(m.recipient for m in _invitations(messages)) == sorted(concerned), "one update each"
    for message in _invitations(messages):
        method, (vevent,) = check_message(_parsed(message))
        assert method == "REQUEST" and str(vevent["UID"]) == request.uid and int(vevent["SEQUENCE"]) == 1
        assert vevent.decoded("DTSTART") == meeting.slot.start_dt, "the time did not change"
        description = str(vevent["DESCRIPTION"])
        assert ("کریمی" if message.locale == "fa" else "Karimi") in description
