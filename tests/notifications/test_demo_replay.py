"""Acceptance on the demo round: every e-mail goes through a real SMTP server on loopback
(aiosmtpd) with the default (thread) runner on SQLite. After the first publish (the demo's own
solve), a move, a cancel, a withdrawal after publish and a person who no longer comes on a day,
nothing stays queued, and replaying each person's messages in order (one inline calendar part
per message, one UID each) gives exactly that person's published timetable — for every person
of the demo. The demo's published schedule is reused: nothing is solved again."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from planner.demo.logins import DEMO_ORGANISER_EMAIL
from planner.demo.seed import seed_demo
from planner.events.attendance import set_attending_days
from planner.extensions import db
from planner.jobs import queue_name
from planner.models import Event, Meeting, OutgoingMessage, Participant, ScheduleVersion, User
from planner.models.enums import MailState, RequestStatus
from planner.requests.services import respond_to_request
from planner.scheduling.board import MoveRefused, move_meeting, unschedule_meeting
from planner.scheduling.publishing import copy_version, publish_version
from planner.signals import facts_changed
from planner.timetables.entries import meeting_people, published_version
from tests.notifications.replay import Replay, calendar_parts, published_by_email
from tests.notifications.test_mail import Inbox, _free_port

ROOT = Path(__file__).resolve().parents[2]


def _wait_until_sent(inbox: Inbox, seconds: float = 600) -> int:
    """Wait for the background deliverers (driving the RQ worker when RQ runs them); returns how
    many messages exist in all."""
    deadline = time.monotonic() + seconds
    while True:
        _DRAIN[0]()
        db.session.rollback()
        left = db.session.scalar(select(func.count(OutgoingMessage.id)).where(OutgoingMessage.state != MailState.SENT))
        if left == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    total = db.session.scalar(select(func.count(OutgoingMessage.id)))
    states = dict(db.session.execute(select(OutgoingMessage.state, func.count()).group_by(OutgoingMessage.state)).all())
    assert left == 0, f"messages not sent: {states}"
    assert len(inbox.messages) == total, "every message arrived once"
    assert len({str(m["Message-ID"]) for _r, m in inbox.messages}) == total
    return total


def _check_replay(inbox: Inbox, event: Event, people: list[Participant]) -> dict[str, dict]:
    replay = Replay()
    for recipients, message in inbox.messages:  # in the order they arrived
        assert len(recipients) == 1
        replay.apply(recipients[0], message)
    published = published_by_email(event)
    for person in people:
        assert replay.meetings(person.email) == published.get(person.email.lower(), {}), person.email
    assert {r for r, held in replay.calendars.items() if held} <= {p.email.lower() for p in people}
    return published


def _draft_of_published(event: Event) -> ScheduleVersion:
    return copy_version(published_version(event))


def _move_within_its_day(draft: ScheduleVersion, zone: ZoneInfo) -> Meeting:
    """Move a meeting without an interpreter to another slot of its day at the same table,
    where that table and everyone on the meeting are free (the board's rules decide)."""
    busy_people = {(m.slot_id, p.id) for m in draft.live_meetings for p in meeting_people(m)}
    busy_tables = {(m.slot_id, m.table_id) for m in draft.live_meetings}
    for meeting in sorted(draft.live_meetings, key=lambda m: m.id):
        if meeting.interpreter_id is not None or meeting.locked:
            continue
        day = meeting.slot.start_dt.astimezone(zone).date()
        for session in meeting.slot.session.event.sessions:
            for slot in session.slots:
                if slot.id == meeting.slot_id or slot.start_dt.astimezone(zone).date() != day:
                    continue
                if (slot.id, meeting.table_id) in busy_tables:
                    continue
                if any((slot.id, p.id) in busy_people for p in meeting_people(meeting)):
                    continue
                try:
                    return move_meeting(meeting, slot, meeting.table)
                except MoveRefused:
                    continue
    raise AssertionError("no meeting of the demo could move within its day")


# How the messages queued so far get delivered: nothing to do for the thread runner; a burst of
# the RQ worker (with its scheduler, for retries) for RQ. Set by the test for its runner.
_DRAIN: list[Callable[[], None]] = [lambda: None]


@pytest.fixture(params=["thread", pytest.param("rq", marks=pytest.mark.redis)])
def runner_name(request, app, database_url, monkeypatch):
    """The default runner of one machine (in-process threads), and RQ on Redis: its jobs build
    their own app from the environment, as `flask worker` does in production."""
    if request.param == "rq":
        from redis import Redis
        from rq import Queue, SimpleWorker

        redis_url = request.getfixturevalue("redis_url")
        for key, value in {"DATABASE_URL": database_url, "SECRET_KEY": "test", "REDIS_URL": redis_url,
                           "KARVAN_JOBS": "rq"}.items():
            monkeypatch.setenv(key, value)
        app.config.update(KARVAN_JOBS="rq", REDIS_URL=redis_url)
        connection = Redis.from_url(redis_url)
        worker = SimpleWorker([Queue(queue_name(), connection=connection)], connection=connection)
        _DRAIN[0] = lambda: worker.work(burst=True, with_scheduler=True)
    yield request.param
    _DRAIN[0] = lambda: None


def test_every_demo_person_replays_their_mail_into_their_published_timetable(app, runner_name, monkeypatch):
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(KARVAN_JOBS=runner_name, MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_RETRY_DELAYS_S=(0.2, 0.5, 1))
    for key, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port)}.items():
        monkeypatch.setenv(key, value)  # what an RQ job's own app reads
    try:
        seed_demo(ROOT / "data")  # solves and publishes the demo round once
        db.session.commit()
        event = db.session.scalar(select(Event).where(Event.slug == "demo"))
        people = list(db.session.scalars(select(Participant).where(Participant.email.is_not(None))))
        zone = ZoneInfo(event.timezone)
        first_publish = _wait_until_sent(inbox)
        first = _check_replay(inbox, event, people)
        assert len(first) > 40 and sum(len(m) for m in first.values()) > 300
        invitations = sum(1 for _r, m in inbox.messages if calendar_parts(m))
        assert invitations == sum(len(m) for m in first.values()), "one invitation per meeting and person"

        # a move: another slot of the same day (the time changes, the UID stays)
        draft = _draft_of_published(event)
        moved = _move_within_its_day(draft, zone)
        before = next(m for m in published_version(event).meetings if m.request_id == moved.request_id)
        assert moved.slot.start_dt != before.slot.start_dt
        publish_version(draft, expected_revision=event.schedule_revision)
        db.session.commit()
        _wait_until_sent(inbox)
        after_move = _check_replay(inbox, event, people)
        mover = meeting_people(moved)[0].email.lower()
        assert after_move[mover][moved.uid] == (moved.slot.start_dt, moved.slot.end_dt)

        # a cancel: a meeting taken out of the next version
        draft = _draft_of_published(event)
        dropped = next(m for m in sorted(draft.live_meetings, key=lambda m: m.id) if m.request_id != moved.request_id)
        dropped_uid, dropped_people = dropped.uid, [p.email.lower() for p in meeting_people(dropped)]
        unschedule_meeting(dropped)
        publish_version(draft, expected_revision=event.schedule_revision)
        db.session.commit()
        _wait_until_sent(inbox)
        after_cancel = _check_replay(inbox, event, people)
        assert all(dropped_uid not in after_cancel.get(email, {}) for email in dropped_people)

        # a withdrawal after publishing: called off at once, without a new publish
        organiser = db.session.scalar(select(User).where(User.email == DEMO_ORGANISER_EMAIL))
        withdrawn = next(m for m in sorted(published_version(event).live_meetings, key=lambda m: -m.id)
                         if m.request_id not in (moved.request_id, dropped.request_id))
        withdrawn_uid, withdrawn_people = withdrawn.uid, [p.email.lower() for p in meeting_people(withdrawn)]
        respond_to_request(withdrawn.request, "withdraw", organiser)
        assert withdrawn.request.status == RequestStatus.WITHDRAWN
        db.session.commit()
        _wait_until_sent(inbox)
        after_withdrawal = _check_replay(inbox, event, people)
        assert all(withdrawn_uid not in after_withdrawal.get(email, {}) for email in withdrawn_people)

        # a person who no longer comes on a day leaves that day's meetings, which go on
        version = published_version(event)
        meeting, leaver = next((m, p) for m in sorted(version.live_meetings, key=lambda m: m.id)
                               for p in meeting_people(m)
                               if sum(1 for q in meeting_people(m) if q.firm_id == p.firm_id) > 1)
        day = meeting.slot.start_dt.astimezone(zone).date()
        set_attending_days(leaver, event, [other for other in event.days if other != day])
        facts_changed(event.id)  # what saving the firm's profile says
        db.session.commit()
        total = _wait_until_sent(inbox)
        last = _check_replay(inbox, event, people)
        assert meeting.cancelled_at is None and meeting.uid not in last.get(leaver.email.lower(), {})
        assert any(meeting.uid in last.get(p.email.lower(), {}) for p in meeting_people(meeting))
        assert total > first_publish
    finally:
        controller.stop()
