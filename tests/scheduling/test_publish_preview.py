"""Publishing shows who will be notified before anything is queued; the preview's counts are
the e-mails then queued. One definition of "moved": time or table; a new interpreter alone is
shown apart."""
from __future__ import annotations

from email import message_from_bytes, policy

from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Interpreter, OutgoingMessage
from planner.models.enums import MailKind
from planner.notifications.outbox import compose
from planner.scheduling.board import move_meeting
from planner.scheduling.drafts import solve_event
from planner.scheduling.publishing import copy_version, diff_versions, publish_preview, publish_version
from planner.text.scripts import interpreter_name
from tests import factories
from tests.scheduling_factories import free_cell, make_round

LIMIT = 3.0


def _queued() -> int:
    """Every message a publish queues: one iTIP message per meeting change and a digest per person."""
    return db.session.scalar(select(func.count(OutgoingMessage.id)).where(
        OutgoingMessage.kind.in_((MailKind.SCHEDULE_UPDATE, MailKind.INVITATION))))


def test_the_preview_counts_are_the_emails_then_queued(any_app):
    r = make_round()
    first, _ = solve_event(r["event"], time_limit_s=LIMIT)
    preview = publish_preview(first)
    assert _queued() == 0, "a preview queues nothing"
    people = {p.id for m in first.meetings for p in m.participants}
    assert preview.people_new == len(people) and preview.people_changed == preview.people_cancelled == 0
    publish_version(first, expected_revision=0)
    meetings_of = {person: sum(1 for m in first.meetings if person in {p.id for p in m.participants}) for person in people}
    assert _queued() == preview.emails == sum(count + 1 for count in meetings_of.values())
    assert sum(preview.languages.values()) == preview.emails and set(preview.languages) <= {"fa", "ru", "en"}

    # A second version: one meeting moved, one cancelled (its request withdrawn).
    second = copy_version(first)
    moved = second.meetings[0]
    slot, table = free_cell(r, second, moved.participants)
    move_meeting(moved, slot, table)
    dropped = next(m for m in second.meetings if m is not moved)
    second.meetings.remove(dropped)
    db.session.flush()
    preview = publish_preview(second)
    before = _queued()
    publish_version(second, expected_revision=1)
    assert _queued() - before == preview.emails > 0
    assert preview.people_changed == len(moved.participants)
    assert preview.people_cancelled == len(dropped.participants)


def test_an_interpreter_change_is_not_a_move(any_app):
    r = make_round(interpreters=2)
    first, _ = solve_event(r["event"], time_limit_s=LIMIT)
    publish_version(first, expected_revision=0)
    second = copy_version(first)
    interpreted = [m for m in second.meetings if m.interpreter_id]
    assert interpreted, "the round needs an interpreter for fa–ru meetings"
    meeting = interpreted[0]
    busy = {m.interpreter_id for m in second.meetings if m.slot_id == meeting.slot_id}
    meeting.interpreter_id = next(i.id for i in r["interpreters"] if i.id not in busy | {meeting.interpreter_id})
    db.session.flush()
    diff = diff_versions(first, second)
    assert diff.counts()["moved"] == 0 and diff.counts()["interpreter"] == 1
    preview = publish_preview(second)
    # each of its people: the changed REQUEST and their digest
    assert preview.people_changed == len(meeting.participants) and preview.emails == 2 * len(meeting.participants)

    # The messages name the new interpreter and say that only the interpreter changed.
    new = db.session.get(Interpreter, meeting.interpreter_id)
    old = db.session.get(Interpreter, next(m for m in first.meetings if m.request_id == meeting.request_id).interpreter_id)
    before = _queued()
    publish_version(second, expected_revision=1)
    assert _queued() - before == preview.emails
    messages = db.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id).offset(before)).all()
    assert {m.participant_id for m in messages} == {p.id for p in meeting.participants}
    for message in messages:
        email = message_from_bytes(compose(message), policy=policy.default)
        text = next(part for part in email.walk() if part.get_content_type() == "text/plain").get_content()
        html = next(part for part in email.walk() if part.get_content_type() == "text/html").get_content()
        new_name, old_name = interpreter_name(new, message.locale), interpreter_name(old, message.locale)
        assert new_name in text and new_name in html and old_name not in text
        if message.kind == MailKind.SCHEDULE_UPDATE:
            with force_locale(message.locale):
                said = gettext("Same time and table; the interpreter has changed.")
            assert said in text and said in html


def test_the_organiser_sees_the_preview_before_publishing(client, auth):
    r = make_round()
    draft, _ = solve_event(r["event"], time_limit_s=LIMIT)
    factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")
    page = client.get(f"/organiser/versions/{draft.id}/publish?lang=ru").get_data(as_text=True)
    assert "Опубликовать версию" in page and 'data-figure="emails"' in page and "publish-confirm" in page
    assert _queued() == 0
