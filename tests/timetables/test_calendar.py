"""ICS output: parsed back with icalendar and with vobject (an independent parser); instants
equal the slot times; Asia/Tehran is +03:30 in July and January; updates keep the UID and
raise SEQUENCE; cancels say so; nobody has two events at once; export-ics on the demo event."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar

from planner.extensions import db
from planner.timetables.feeds import participant_feed
from planner.timetables.ics import IcsMeeting, IcsPerson, cancel_ics, meeting_ics, meetings_ics, request_ics
from solver.io import problem_from_dict, solution_from_dict
from solver.validate import check
from tests import factories

ORGANISER = IcsPerson("Khorasan Razavi Chamber of Commerce", "b2b@karvan.example", role="CHAIR")
UTC = UTC


def _meeting(start: datetime, *, uid="karvan-meeting-7@karvan", sequence=0, minutes=25, **fields) -> IcsMeeting:
    return IcsMeeting(uid=uid, sequence=sequence, start=start, end=start + timedelta(minutes=minutes),
                      summary=fields.pop("summary", "B2B meeting with Uraltrubstal"),
                      location=fields.pop("location", "Mashhad International Exhibition Center, Hall 5, Table T01"),
                      attendees=fields.pop("attendees", (IcsPerson("Ali Ahmadi", "ali@toos.example"),
                                                         IcsPerson("Anna Kuznetsova", "anna@ural.example"))),
                      **fields)


def both_parsers(data: bytes):
    """The VEVENTs as (icalendar component, vobject component) pairs, by UID."""
    ical = Calendar.from_ical(data)
    vcal = vobject.readOne(data.decode("utf-8"))
    vevents = {v.uid.value: v for v in vcal.contents.get("vevent", [])}
    pairs = [(event, vevents[str(event["UID"])]) for event in ical.walk("VEVENT")]
    assert len(pairs) == len(vevents)
    return ical, vcal, pairs


@pytest.mark.parametrize("month", [1, 7])
def test_tehran_is_0330_in_january_and_july(month):
    """09:00 in Tehran is 05:30 UTC in winter and in summer: no Iranian DST since 2022."""
    start = datetime(2026, month, 15, 9, 0, tzinfo=ZoneInfo("Asia/Tehran"))
    data = meetings_ics([_meeting(start)], calendar_name="Test")
    ical, vcal, [(event, vevent)] = both_parsers(data)
    assert b"DTSTART;TZID=Asia/Tehran:2026%02d15T090000" % month in data
    for value in (event.decoded("DTSTART"), vevent.dtstart.value):
        assert value.utcoffset() == timedelta(hours=3, minutes=30)
        assert value.astimezone(UTC) == datetime(2026, month, 15, 5, 30, tzinfo=UTC)
    (vtimezone,) = ical.walk("VTIMEZONE")
    assert not vtimezone.walk("DAYLIGHT"), "the generated VTIMEZONE must not carry Iranian summer time"
    assert {c.decoded("TZOFFSETTO") for c in vtimezone.walk("STANDARD")} == {timedelta(hours=3, minutes=30)}


def test_request_has_organiser_attendees_and_matching_method():
    data = request_ics(_meeting(datetime(2026, 11, 8, 5, 30, tzinfo=UTC), sequence=2, language="ru"),
                       calendar_name="Test", organiser=ORGANISER)
    ical, vcal, [(event, vevent)] = both_parsers(data)
    assert ical["METHOD"] == "REQUEST" and vcal.method.value == "REQUEST"
    assert str(event["ORGANIZER"]) == "mailto:b2b@karvan.example"
    assert sorted(str(a) for a in event["ATTENDEE"]) == ["mailto:ali@toos.example", "mailto:anna@ural.example"]
    assert event["ATTENDEE"][0].params["RSVP"] == "FALSE" and event["ATTENDEE"][0].params["PARTSTAT"] == "NEEDS-ACTION"
    assert int(event["SEQUENCE"]) == 2 and event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"].params["LANGUAGE"] == "ru"
    assert "Hall 5" in str(event["LOCATION"]) and vevent.location.value == str(event["LOCATION"])


def test_update_keeps_uid_and_raises_sequence_and_cancel_is_cancelled():
    first = _meeting(datetime(2026, 11, 8, 5, 30, tzinfo=UTC), sequence=0)
    moved = _meeting(datetime(2026, 11, 8, 6, 30, tzinfo=UTC), sequence=1)
    cancelled = _meeting(moved.start, sequence=2)
    events = []
    for data in (request_ics(first, calendar_name="T", organiser=ORGANISER),
                 request_ics(moved, calendar_name="T", organiser=ORGANISER),
                 cancel_ics(cancelled, calendar_name="T", organiser=ORGANISER)):
        ical, vcal, [(event, vevent)] = both_parsers(data)
        events.append((ical["METHOD"], str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"]), vevent.sequence.value))
    assert [e[1] for e in events] == [first.uid] * 3
    assert [e[2] for e in events] == [0, 1, 2] and [int(e[4]) for e in events] == [0, 1, 2]
    assert events[2][0] == "CANCEL" and events[2][3] == "CANCELLED"


def test_itip_methods_need_an_organiser_and_times_must_be_aware():
    with pytest.raises(ValueError):
        request_ics(_meeting(datetime(2026, 11, 8, 5, 30, tzinfo=UTC)), calendar_name="T", organiser=None)
    with pytest.raises(ValueError, match="one meeting"):
        meetings_ics([_meeting(datetime(2026, 11, 8, 5, 30, tzinfo=UTC), uid="a@x"),
                      _meeting(datetime(2026, 11, 8, 6, 30, tzinfo=UTC), uid="b@x")],
                     calendar_name="T", method="REQUEST", organiser=ORGANISER)
    with pytest.raises(ValueError):
        meetings_ics([_meeting(datetime(2026, 11, 8, 9, 0))], calendar_name="T")


def test_single_meeting_download_is_publish_without_attendees():
    data = meeting_ics(_meeting(datetime(2026, 11, 8, 5, 30, tzinfo=UTC)), calendar_name="T", organiser=ORGANISER)
    ical, _vcal, pairs = both_parsers(data)
    assert ical["METHOD"] == "PUBLISH" and len(pairs) == 1
    assert "ATTENDEE" not in pairs[0][0] and str(pairs[0][0]["ORGANIZER"]) == "mailto:b2b@karvan.example"


def test_cancel_for_people_leaving_a_meeting_names_them_without_status():
    leaving = _meeting(datetime(2026, 11, 8, 5, 30, tzinfo=UTC), sequence=3, attendees_removed=True,
                       attendees=(IcsPerson("Ali Ahmadi", "ali@toos.example"),))
    ical, _vcal, [(event, _vevent)] = both_parsers(cancel_ics(leaving, calendar_name="T", organiser=ORGANISER))
    assert ical["METHOD"] == "CANCEL" and "STATUS" not in event and int(event["SEQUENCE"]) == 3
    assert str(event["ATTENDEE"]) == "mailto:ali@toos.example"


def test_calendar_name_is_escaped():
    data = meetings_ics([_meeting(datetime(2026, 11, 8, 5, 30, tzinfo=UTC))], calendar_name="Toos, Ural; T\\1\nx")
    assert b"X-WR-CALNAME:Toos\\, Ural\\; T\\\\1\\nx\r\n" in data


def test_output_is_reproducible_and_ordered():
    now = datetime(2026, 11, 1, tzinfo=UTC)
    a = _meeting(datetime(2026, 11, 8, 6, 30, tzinfo=UTC), uid="karvan-meeting-2@karvan")
    b = _meeting(datetime(2026, 11, 8, 5, 30, tzinfo=UTC), uid="karvan-meeting-1@karvan")
    assert meetings_ics([a, b], calendar_name="T", now=now) == meetings_ics([b, a], calendar_name="T", now=now)


# --- feeds built from the database -----------------------------------------------------------

def assert_feed_matches(data: bytes, entries_by_uid: dict[str, tuple[datetime, datetime]]):
    """Every meeting present at its instant under both parsers, and no two overlapping."""
    _ical, _vcal, pairs = both_parsers(data)
    seen = {}
    for event, vevent in pairs:
        uid = str(event["UID"])
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert (vevent.dtstart.value, vevent.dtend.value) == (start, end)
        assert start.utcoffset() == timedelta(hours=3, minutes=30)
        seen[uid] = (start.astimezone(UTC), end.astimezone(UTC))
    assert seen == entries_by_uid
    ordered = sorted(seen.values())
    assert all(b[0] >= a[1] for a, b in zip(ordered, ordered[1:])), "two events of one person overlap"


def test_participant_feed_holds_their_meetings_at_the_slot_times(app):
    scenario = factories.make_meeting_scenario()
    person = scenario["firms"]["toos"].participants[0]
    expected = {m.uid: (m.slot.start_dt, m.slot.end_dt) for m in scenario["version"].meetings
                if person in m.participants}
    assert len(expected) == 2
    data = participant_feed(person, "fa")
    assert_feed_matches(data, expected)
    ical = Calendar.from_ical(data)
    summaries = [str(e["SUMMARY"]) for e in ical.walk("VEVENT")]
    assert all("Uraltrubstal" in s or "Test Firm" in s for s in summaries), summaries


def test_export_ics_cli_writes_one_feed_per_participant(app, runner, tmp_path):
    tmp_path = tmp_path / "ics"
    scenario = factories.make_meeting_scenario()
    db.session.commit()
    result = runner.invoke(args=["export-ics", scenario["event"].slug, str(tmp_path)])
    assert result.exit_code == 0, result.output
    people = {p.id for m in scenario["version"].meetings for p in m.participants}
    assert {path.name for path in tmp_path.iterdir()} == {f"p{pid}.ics" for pid in people}
    for path in tmp_path.iterdir():
        vcal = vobject.readOne(path.read_text(encoding="utf-8"))
        assert vcal.contents.get("vevent")
    missing = runner.invoke(args=["export-ics", "no-such-event", str(tmp_path)])
    assert missing.exit_code == 2


def test_export_ics_on_the_demo_event(demo_app, runner, tmp_path):
    """Acceptance: every demo participant's feed parses in vobject, holds every meeting of
    that person at the right instant, and never overlaps."""
    tmp_path = tmp_path / "ics"
    from sqlalchemy import select

    from planner.models import Event, Participant

    event = db.session.scalar(select(Event).where(Event.slug == "demo"))
    version = factories.publish_demo_schedule(event)
    db.session.commit()
    result = runner.invoke(args=["export-ics", "demo", str(tmp_path)])
    assert result.exit_code == 0, result.output
    expected: dict[int, dict] = {}
    for meeting in version.meetings:
        for person in meeting.participants or []:
            expected.setdefault(person.id, {})[meeting.uid] = (meeting.slot.start_dt, meeting.slot.end_dt)
    files = sorted(tmp_path.iterdir())
    assert len(files) == len(expected) > 20
    for path in files:
        person = db.session.get(Participant, int(path.stem[1:]))
        assert person is not None
        assert_feed_matches(path.read_bytes(), expected[person.id])

    # every feed is named with a participant id of export-schedule's instance.json
    result = runner.invoke(args=["export-schedule", "demo", str(tmp_path.parent / "schedule")])
    assert result.exit_code == 0, result.output
    instance = json.loads((tmp_path.parent / "schedule" / "instance.json").read_text(encoding="utf-8"))
    solution = json.loads((tmp_path.parent / "schedule" / "solution.json").read_text(encoding="utf-8"))
    stems = {path.stem for path in files}
    assert stems == {f"p{person_id}" for person_id in expected}
    assert stems <= {p["id"] for p in instance["participants"]}
    on_meetings = {p for m in instance["meetings"] for p in m["participants"]}
    assert stems - on_meetings, "people who come on some days only are in the instance too"
    assert check(problem_from_dict(instance), solution_from_dict(solution)).ok, "the export still passes the check"
