"""E-mail delivery against a real SMTP server on loopback (aiosmtpd): what arrives parses,
carries the right METHOD and language; message states, retries, and nothing sent on rollback."""
from __future__ import annotations

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import select

from planner.extensions import db
from planner.jobs import queue_name
from planner.models import OutgoingMessage
from planner.notifications.invites import queue_publish_notices
from planner.notifications.notices import send_request_notice
from tests import factories


class Inbox:
    """An aiosmtpd handler keeping what arrives; it can refuse the first `refuse` deliveries."""

    def __init__(self, refuse: int = 0):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse = refuse

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_RETRY_DELAYS_S=(0, 0, 0))
    yield inbox
    controller.stop()


def _calendars(message):
    return [(part.get_param("method"), Calendar.from_ical(part.get_payload(decode=True)))
            for part in message.walk() if part.get_content_type() == "text/calendar"]


def test_publish_notices_arrive_parse_and_speak_the_reader_language(app, smtp):
    scenario = factories.make_meeting_scenario()
    queued = queue_publish_notices(scenario["event"].id, scenario["version"].id, None)
    assert smtp.messages == [], "nothing leaves before the publish is committed"
    db.session.commit()
    # five people: Toos's two and Ural's one have 2 meetings, Sahand's and Zlat's 1 and 2
    assert len(smtp.messages) == len(queued) == 5 + sum(len(m["request"].requester_firm.participants)
                                                        + len(m["request"].target_firm.participants)
                                                        for m in scenario["placements"])
    for recipients, message in smtp.messages:
        row = next(m for m in queued if m.recipient == recipients[0])
        assert message["Content-Language"] == row.locale
        calendars = _calendars(message)
        text = message.get_body(("plain",)).get_content()
        if "Auto-Submitted" in message and not calendars:  # the digest
            if row.locale == "ru":
                assert "Новые встречи" in text and "Ваши встречи" in str(message["Subject"])
            else:
                assert "ملاقات‌های تازه" in text and "تغییر کرد" in str(message["Subject"])
        else:
            ((method, cal),) = calendars
            assert method == cal["METHOD"] == "REQUEST" and len(cal.walk("VEVENT")) == 1
    assert sum(1 for _r, message in smtp.messages if not _calendars(message)) == 5, "one digest per person"
    db.session.expire_all()
    rows = db.session.scalars(select(OutgoingMessage)).all()
    assert {(r.state, r.attempts) for r in rows} == {("sent", 1)}
    assert all(r.sent_at is not None and r.mime for r in rows)


def test_cancel_arrives_with_method_cancel(app, smtp):
    scenario = factories.make_meeting_scenario()
    db.session.commit()
    request = scenario["requests"]["toos-zlat"]
    keep = [{"request": r, "slot": m.slot, "table": m.table, "interpreter": m.interpreter}
            for m in scenario["version"].meetings for r in [m.request] if r.id != request.id]
    second = factories.publish_meetings(scenario["event"], keep, previous=scenario["version"])
    queue_publish_notices(scenario["event"].id, second.id, scenario["version"].id)
    db.session.commit()
    invitations = [(r, m) for r, m in smtp.messages if _calendars(m)]
    assert len(invitations) == 3 and len(smtp.messages) == 6  # Toos (2 people) and the Chelyabinsk firm (1), + digests
    for _recipients, message in invitations:
        ((method, cal),) = _calendars(message)
        assert method == cal["METHOD"] == "CANCEL"
        (vevent,) = cal.walk("VEVENT")
        assert vevent["STATUS"] == "CANCELLED" and str(vevent["UID"]) == request.uid
        assert int(vevent["SEQUENCE"]) == request.ical_sequence >= 1


def test_a_refused_attempt_is_retried_and_recorded(app, smtp):
    smtp.refuse = 1
    scenario = factories.make_meeting_scenario()
    messages = send_request_notice(scenario["requests"]["toos-ural"].id, "accepted")
    db.session.commit()
    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert message["Content-Language"] == "ru" and "приняла" in str(message["Subject"])
    db.session.expire_all()
    row = db.session.get(OutgoingMessage, messages[0].id)
    assert (row.state, row.attempts) == ("sent", 2)


def test_unreachable_server_ends_failed_after_the_retries(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port(), MAIL_RETRY_DELAYS_S=(0, 0), MAIL_TIMEOUT_S=2)
    scenario = factories.make_meeting_scenario()
    (message, *_) = send_request_notice(scenario["requests"]["toos-ural"].id, "created")
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(OutgoingMessage, message.id)
    assert (row.state, row.attempts) == ("failed", 3)
    assert "ConnectionRefusedError" in row.last_error


def test_rollback_sends_nothing(app, smtp):
    scenario = factories.make_meeting_scenario()
    db.session.commit()
    queue_publish_notices(scenario["event"].id, scenario["version"].id, None)
    db.session.rollback()
    factories.make_firm()
    db.session.commit()
    assert smtp.messages == []
    assert db.session.scalar(select(OutgoingMessage).limit(1)) is None


def test_send_mail_command_delivers_what_is_still_queued(app, smtp, runner):
    scenario = factories.make_meeting_scenario()
    db.session.commit()
    # added directly without its bytes (as rows queued before composing moved into the outbox)
    row = OutgoingMessage(kind="request_notice", recipient="x@ural.example", locale="en", event_id=scenario["event"].id,
                          participant_id=scenario["firms"]["ural"].participants[0].id,
                          payload={"request_id": scenario["requests"]["toos-ural"].id, "event": "declined"})
    db.session.add(row)
    db.session.commit()  # added directly, so no job was enqueued for it
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0 and "Sent 1" in result.output
    assert smtp.messages[0][0] == ["x@ural.example"]
    assert "declined" in str(smtp.messages[0][1]["Subject"])


# --- through the scheduling feature's publish ------------------------------------------------

def _draft(event, number, placements):
    from planner.models import Meeting, ScheduleVersion

    version = ScheduleVersion(event=event, number=number, status="draft")
    db.session.add(version)
    for item in placements:
        request = item["request"]
        version.meetings.append(Meeting(request=request, slot=item["slot"], table=item["table"],
                                        interpreter=item.get("interpreter"),
                                        participants=request.requester_firm.participants + request.target_firm.participants))
    db.session.flush()
    return version


def test_republish_through_publish_version_sends_update_then_cancel(app, smtp):
    """Acceptance: moving one meeting and republishing sends exactly the affected people an
    update with the same UID and a higher SEQUENCE; cancelling sends a CANCEL."""
    from planner.scheduling.publishing import publish_version

    scenario = factories.make_meeting_scenario(publish=False)
    event, placements = scenario["event"], scenario["placements"]
    publish_version(_draft(event, 1, placements), expected_revision=event.schedule_revision)
    db.session.commit()
    assert sum(1 for _r, m in smtp.messages if not _calendars(m)) == 5  # a digest for each of five people
    smtp.messages.clear()

    def republish(number, placements, changed):
        """Publish version `number`; only the people of `changed` hear of it. Returns the calendar
        entries sent, one per message that carries one."""
        publish_version(_draft(event, number, placements), expected_revision=event.schedule_revision)
        db.session.commit()
        affected = {p.email for p in changed.requester_firm.participants + changed.target_firm.participants}
        assert {recipients[0] for recipients, _m in smtp.messages} == affected
        entries = []
        for _recipients, message in [(r, m) for r, m in smtp.messages if _calendars(m)]:
            ((method, cal),) = _calendars(message)
            (vevent,) = cal.walk("VEVENT")
            entries.append((method, cal, vevent))
        smtp.messages.clear()
        return entries

    moved_request = scenario["requests"]["sahand-zlat"]
    moved = [dict(item, slot=scenario["slots"][1]) if item["request"] is moved_request else item for item in placements]
    for method, _cal, vevent in republish(2, moved, moved_request):
        assert method == "REQUEST" and str(vevent["UID"]) == moved_request.uid and int(vevent["SEQUENCE"]) == 1
        assert vevent.decoded("DTSTART") == scenario["slots"][1].start_dt

    dropped = scenario["requests"]["toos-zlat"]
    for method, cal, vevent in republish(3, [item for item in moved if item["request"] is not dropped], dropped):
        assert method == cal["METHOD"] == "CANCEL" and vevent["STATUS"] == "CANCELLED"
        assert str(vevent["UID"]) == dropped.uid and int(vevent["SEQUENCE"]) == 1


def test_message_record_on_both_databases(any_app):
    scenario = factories.make_meeting_scenario()
    (message, *_rest) = send_request_notice(scenario["requests"]["toos-ural"].id, "created")
    assert message.mime.startswith(b"Subject:") or b"\r\nSubject:" in message.mime, "composed when queued"
    message.mime = b"\xd9\x85 raw bytes \r\n"
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(OutgoingMessage, message.id)
    assert (row.state, row.attempts, row.locale) == ("queued", 0, "fa")  # no MAIL_SERVER in tests: it waits
    assert row.payload == {"request_id": scenario["requests"]["toos-ural"].id, "event": "created"}
    assert row.mime == b"\xd9\x85 raw bytes \r\n"


@pytest.mark.redis
def test_with_rq_delivery_jobs_are_enqueued_after_commit_with_retries(app, redis_url):
    from redis import Redis
    from rq import Queue

    app.config.update(KARVAN_JOBS="rq", REDIS_URL=redis_url, MAIL_SERVER="127.0.0.1")
    scenario = factories.make_meeting_scenario()
    queue = Queue(queue_name(), connection=Redis.from_url(redis_url))
    messages = queue_publish_notices(scenario["event"].id, scenario["version"].id, None)
    assert queue.count == 0
    db.session.commit()
    jobs = queue.get_jobs()
    assert len(jobs) == len(messages) > 5
    assert {job.args[1]["message_id"] for job in jobs} == {m.id for m in messages}
    assert all(job.args[0] == "mail.deliver" and job.retries_left == 3 for job in jobs)
