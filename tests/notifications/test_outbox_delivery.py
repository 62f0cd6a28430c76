"""The outbox loses nothing: delivery killed mid-way resumes without sending anything twice,
and the default (thread) runner on SQLite leaves no message unsent after a publish."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from planner.extensions import db
from planner.jobs import queue_name
from planner.models import OutgoingMessage
from planner.models.enums import MailState
from planner.scheduling.publishing import publish_version
from tests import factories
from tests.notifications.test_mail import Inbox, _draft, _free_port

ROOT = Path(__file__).resolve().parents[2]


class KillingInbox(Inbox):
    """Refuses (451) and kills the sending process when the `kill_at`-th message arrives."""

    def __init__(self, kill_at: int):
        super().__init__()
        self.kill_at, self.seen, self.pid = kill_at, 0, None

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen == self.kill_at and self.pid:
            os.kill(self.pid, signal.SIGKILL)
            return "451 4.3.0 closing"
        return await super().handle_DATA(server, session, envelope)


def _send_mail(database_url: str, port: int, inbox: KillingInbox) -> int:
    env = {**os.environ, "DATABASE_URL": database_url, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port),
           "SECRET_KEY": "test", "KARVAN_JOBS": "sync", "MAIL_CLAIM_TIMEOUT_S": "0", "REDIS_URL": ""}
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "send-mail"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    inbox.pid = process.pid
    process.communicate(timeout=120)
    return process.returncode


def test_delivery_killed_mid_way_loses_nothing_and_sends_nothing_twice(app, database_url):
    scenario = factories.make_meeting_scenario(publish=False)
    publish_version(_draft(scenario["event"], 1, scenario["placements"]), expected_revision=0)
    db.session.commit()  # no MAIL_SERVER here: everything waits in the outbox
    total = db.session.scalar(select(func.count(OutgoingMessage.id)))
    assert total > 6
    inbox, port = KillingInbox(kill_at=4), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert _send_mail(database_url, port, inbox) == -signal.SIGKILL, "the deliverer died mid-way"
        assert len(inbox.messages) == 3
        db.session.expire_all()
        states = dict(db.session.execute(select(OutgoingMessage.state, func.count()).group_by(OutgoingMessage.state)).all())
        assert states.get(MailState.SENT) == 3 and states.get(MailState.SENDING) == 1
        assert _send_mail(database_url, port, inbox) == 0
    finally:
        controller.stop()
    ids = [str(message["Message-ID"]) for _rcpt, message in inbox.messages]
    assert len(ids) == len(set(ids)) == total, "every message exactly once"
    db.session.expire_all()
    assert {row.state for row in db.session.scalars(select(OutgoingMessage))} == {MailState.SENT}


@pytest.mark.parametrize("run", range(5))
def test_thread_runner_on_sqlite_leaves_nothing_unsent_after_publish(app, run):
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(KARVAN_JOBS="thread", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_RETRY_DELAYS_S=(0.2, 0.5, 1))
    try:
        scenario = factories.make_meeting_scenario(publish=False)
        publish_version(_draft(scenario["event"], 1, scenario["placements"]), expected_revision=0)
        db.session.commit()
        total = db.session.scalar(select(func.count(OutgoingMessage.id)))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            db.session.rollback()
            left = db.session.scalar(select(func.count(OutgoingMessage.id)).where(OutgoingMessage.state != MailState.SENT))
            if left == 0:
                break
            time.sleep(0.2)
        assert left == 0, f"{left} of {total} messages not sent"
        assert len(inbox.messages) == total
        assert len({str(m["Message-ID"]) for _r, m in inbox.messages}) == total
    finally:
        controller.stop()


@pytest.mark.redis
def test_through_rq_every_message_arrives_once_and_replays_to_the_timetable(app, database_url, redis_url, monkeypatch):
    from redis import Redis
    from rq import Queue, SimpleWorker

    from tests.notifications.replay import Replay, published_by_email

    inbox, port = Inbox(refuse=1), _free_port()  # the first attempt fails: RQ's Retry sends it later
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = {"DATABASE_URL": database_url, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port), "SECRET_KEY": "test",
                "REDIS_URL": redis_url, "KARVAN_JOBS": "rq"}
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    app.config.update(KARVAN_JOBS="rq", REDIS_URL=redis_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                      MAIL_RETRY_DELAYS_S=(0, 0, 0))
    try:
        scenario = factories.make_meeting_scenario(publish=False)
        publish_version(_draft(scenario["event"], 1, scenario["placements"]), expected_revision=0)
        db.session.commit()
        connection = Redis.from_url(redis_url)
        worker = SimpleWorker([Queue(queue_name(), connection=connection)], connection=connection)
        for _round in range(5):  # retries are scheduled; a burst worker picks them up on the next round
            worker.work(burst=True, with_scheduler=True)
            db.session.rollback()
            if not db.session.scalar(select(func.count(OutgoingMessage.id)).where(OutgoingMessage.state != MailState.SENT)):
                break
            time.sleep(1)
    finally:
        controller.stop()
    db.session.expire_all()
    rows = db.session.scalars(select(OutgoingMessage)).all()
    assert {row.state for row in rows} == {MailState.SENT}
    assert sorted(row.attempts for row in rows)[-1] == 2, "one message needed RQ's retry"
    assert len(inbox.messages) == len(rows) == len({str(m["Message-ID"]) for _r, m in inbox.messages})
    replay = Replay()
    for recipients, message in inbox.messages:
        replay.apply(recipients[0], message)
    for person, meetings in published_by_email(scenario["event"]).items():
        assert replay.meetings(person) == meetings
