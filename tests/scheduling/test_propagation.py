"""Changes after publication: a withdrawn request, a person leaving, an interpreter becoming
unavailable call off the published meetings at once — timetables, feeds, CANCELs and the
organiser's "needs attention" list."""
from __future__ import annotations

import email
from email import policy

from icalendar import Calendar
from sqlalchemy import select

from planner.events.resources import set_interpreter_unavailable
from planner.extensions import db
from planner.models import EventSession, Meeting, OutgoingMessage
from planner.requests.services import respond_to_request
from planner.scheduling.board import board_grid
from planner.timetables.entries import published_version, version_meetings
from planner.timetables.feeds import participant_feed
from tests import factories
from tests.notifications.replay import check_message


def _invitations(after_id: int = 0):
    return list(db.session.scalars(select(OutgoingMessage).where(OutgoingMessage.kind == "invitation",
                                                                 OutgoingMessage.id > after_id)
                                   .order_by(OutgoingMessage.id)))


def _last_id() -> int:
    return db.session.scalar(select(OutgoingMessage.id).order_by(OutgoingMessage.id.desc()).limit(1)) or 0


def test_withdrawal_after_publish_calls_the_meeting_off_everywhere(app, client, auth):
    scenario = factories.make_meeting_scenario()
    organiser = factories.make_user("organiser", email="org@karvan.example")
    request = scenario["requests"]["toos-zlat"]
    meeting = next(m for m in scenario["version"].meetings if m.request_id == request.id)
    sequence_before, uid = meeting.sequence, request.uid
    db.session.commit()
    before = _last_id()
    toos_member = factories.make_user(firm=scenario["firms"]["toos"])
    respond_to_request(request, "withdraw", toos_member)
    db.session.commit()

    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert meeting.cancelled_at is not None and meeting.cancel_reason == "withdrawn"
    version = published_version(scenario["event"])
    assert request.id not in {m.request_id for m in version_meetings(version)}
    for firm in (scenario["firms"]["toos"], scenario["firms"]["zlat"]):
        for person in firm.participants:
            feed = Calendar.from_ical(participant_feed(person, "en"))
            assert uid not in {str(v["UID"]) for v in feed.walk("VEVENT")}
    cancels = _invitations(before)
    people = {p.email for firm in (scenario["firms"]["toos"], scenario["firms"]["zlat"]) for p in firm.participants}
    assert {m.recipient for m in cancels} == people
    for message in cancels:
        method, (vevent,) = check_message(email.message_from_bytes(message.mime, policy=policy.default))
        assert method == "CANCEL" and vevent["STATUS"] == "CANCELLED" and str(vevent["UID"]) == uid
        assert int(vevent["SEQUENCE"]) > sequence_before

    cells = [cell for grid in board_grid(version, all_tables=True) for _table, row in grid.rows for cell in row
             if (cell.slot.id, cell.table.id) == (meeting.slot_id, meeting.table_id)]
    assert len(cells) == 1 and cells[0].meeting is None, "the board shows the freed slot"
    auth.login("org@karvan.example")
    page = client.get(f"/organiser/versions/{version.id}").get_data(as_text=True)
    assert 'id="attention"' in page and f'data-request="{request.id}"' in page
    overview = client.get(f"/organiser/events/{scenario['event'].id}/schedule").get_data(as_text=True)
    assert 'id="attention"' in overview and "replan" in overview
    assert organiser.id


def test_interpreter_unavailable_calls_off_only_the_meetings_in_those_slots(app):
    scenario = factories.make_meeting_scenario()
    interpreted = scenario["requests"]["toos-ural"]
    session = db.session.scalar(select(EventSession).where(EventSession.event_id == scenario["event"].id))
    set_interpreter_unavailable(scenario["interpreter"], [session])
    db.session.commit()
    live = {m.request_id for m in version_meetings(published_version(scenario["event"]))}
    assert interpreted.id not in live and scenario["requests"]["sahand-zlat"].id in live
    assert {m.payload["request_id"] for m in _invitations()} == {interpreted.id}


def test_a_person_who_no_longer_comes_is_taken_off_named_in_a_cancel_and_the_others_get_the_update(app):
    scenario = factories.make_meeting_scenario()
    from planner.events.attendance import set_attending_days
    from planner.signals import facts_changed
    from planner.timetables.entries import meeting_people

    leaving, staying = scenario["firms"]["toos"].participants
    on_their_meetings = [m for m in published_version(scenario["event"]).live_meetings if leaving in m.participants]
    assert on_their_meetings
    set_attending_days(leaving, scenario["event"], ["2030-01-01"])
    facts_changed(scenario["event"].id)
    db.session.commit()
    to_leaver = [m for m in _invitations() if m.recipient == leaving.email]
    assert len(to_leaver) == len(on_their_meetings)
    for message in to_leaver:
        method, (vevent,) = check_message(email.message_from_bytes(message.mime, policy=policy.default))
        assert method == "CANCEL" and "STATUS" not in vevent, "the meeting goes on without them"
        assert str(vevent["ATTENDEE"]) == f"mailto:{leaving.email}", "the CANCEL names who leaves"
    # everyone who stays on those meetings gets their update (new attendee list, higher SEQUENCE); nobody else
    stayers = {(p.email, m.request.uid, m.request.ical_sequence) for m in on_their_meetings for p in meeting_people(m)}
    updates = set()
    for message in _invitations():
        if message.recipient == leaving.email:
            continue
        method, (vevent,) = check_message(email.message_from_bytes(message.mime, policy=policy.default))
        assert method == "REQUEST"
        updates.add((message.recipient, str(vevent["UID"]), int(vevent["SEQUENCE"])))
    assert updates == stayers and all(sequence >= 1 for _e, _u, sequence in stayers)
    live = version_meetings(published_version(scenario["event"]))
    toos_meetings = [m for m in live if scenario["firms"]["toos"].id in (m.request.requester_firm_id, m.request.target_firm_id)]
    assert toos_meetings and all(leaving not in m.participants and staying in m.participants for m in toos_meetings)
