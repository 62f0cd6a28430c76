"""Reminders to a round's firms: the organiser sees who gets what, confirms, and each person gets
one e-mail in their language over real SMTP (aiosmtpd on loopback); a repeated confirm, also one
that races the first, sends nothing twice."""
from __future__ import annotations

import email
import re
import socket
from datetime import date
from email import policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from planner.extensions import db
from planner.models import EventRegistration, OutgoingMessage, ReminderBatch
from planner.onboarding import reminders
from tests import factories


class Inbox:
    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_RETRY_DELAYS_S=(0, 0, 0))
    yield inbox
    controller.stop()


@pytest.fixture
def round_with_laggards(app):
    """A round where a Mashhad firm (two people, Persian) has an empty profile, sent nothing and
    has a request waiting for its answer; a Chelyabinsk firm (Russian) sent nothing; another
    sent a request; a firm waiting for approval is not reminded of anything."""
    event = factories.make_event(slug="winter", start=date(2027, 1, 10), end=date(2027, 1, 11))
    host = factories.make_firm("khorasan-razavi", participants=2)
    quiet = factories.make_firm("chelyabinsk", offers=["8413"])
    eager = factories.make_firm("chelyabinsk", needs=["8413"])
    waiting = factories.make_firm("khorasan-razavi")
    for firm in (host, quiet, eager):
        event.registrations.append(EventRegistration(firm=firm))
    event.registrations.append(EventRegistration(firm=waiting, status="pending"))
    factories.make_request(event, eager, host, status="pending")
    organiser = factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    return {"event": event, "host": host, "quiet": quiet, "eager": eager, "waiting": waiting, "organiser": organiser}


def _token(html: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"|name="token" value="([^"]+)"', html).group(1)


ALL = ["empty_profile", "no_request_sent", "awaiting_answer"]


def test_the_preview_lists_who_gets_what_and_nothing_is_sent_before_the_confirm(round_with_laggards, client, auth, smtp):
    world = round_with_laggards
    auth.login(world["organiser"].email)
    form = client.get("/organiser/reminders/?event=winter&lang=fa").get_data(as_text=True)
    assert '<option selected value="winter">' in form or 'value="winter" selected' in form
    empty = client.post("/organiser/reminders/?lang=fa", data={"event": "winter"})
    assert empty.status_code == 422 and "دست‌کم یک دلیل برگزینید." in empty.get_data(as_text=True)

    preview = client.post("/organiser/reminders/?lang=fa", data={"event": "winter", "reasons": ALL}).get_data(as_text=True)
    rows = re.findall(r'data-person="(\d+)" data-reason="(\w+)"', preview)
    host_people = [p.id for p in world["host"].participants]
    expected = {(str(p), reason) for p in host_people for reason in ALL} | {
        (str(world["quiet"].participants[0].id), "no_request_sent")}
    assert set(rows) == expected and len(rows) == len(expected)
    assert "۳ نفر هر کدام یک ایمیل دریافت می‌کنند." in preview
    assert "فارسی" in preview and "روسی" in preview, "each person's language"
    assert "مشخصات خالی" in preview and "درخواست‌هایی در انتظار پاسخشان" in preview
    assert smtp.messages == [] and db.session.scalar(select(func.count()).select_from(OutgoingMessage)) == 0

    factories.make_event(slug="empty-round", start=date(2027, 2, 7), end=date(2027, 2, 7))
    db.session.commit()
    nobody = client.post("/organiser/reminders/?lang=en", data={"event": "empty-round", "reasons": ALL}).get_data(as_text=True)
    assert "there is nobody to remind" in nobody and "Send the reminders" not in nobody


def test_confirming_sends_one_mail_per_person_in_their_language_and_only_once(round_with_laggards, client, auth, smtp,
                                                                             monkeypatch):
    world = round_with_laggards
    auth.login(world["organiser"].email)
    preview = client.post("/organiser/reminders/?lang=en", data={"event": "winter", "reasons": ALL}).get_data(as_text=True)
    token = _token(preview)
    data = {"token": token, "event": "winter", "reasons": " ".join(ALL)}
    response = client.post("/organiser/reminders/send?lang=en", data=data, follow_redirects=True)
    assert "3 reminders are on their way" in response.get_data(as_text=True)
    assert len(smtp.messages) == 3
    by_recipient = {recipients[0]: message for recipients, message in smtp.messages}
    host = world["host"]
    for person in host.participants:
        message = by_recipient[person.email]
        text = message.get_body(("plain",)).get_content()
        # (spaces compared away: Python's header folding drops the one at a fold between encoded words)
        assert message["Content-Language"] == "fa" and "یادآوریازسویبرگزارکنندگان" in str(message["Subject"]).replace(" ", "")
        assert "در مشخصات شرکت شما نه عرضه‌ای آمده است" in text and f"/firms/{host.id}/edit" in text
        assert "۱ درخواست ملاقات در انتظار پاسخ شماست" in text and "/requests/?event=winter" in text
        assert f"/firms/{host.id}/matches?event=winter" in text
    russian = by_recipient[world["quiet"].participants[0].email]
    text = russian.get_body(("plain",)).get_content()
    assert russian["Content-Language"] == "ru" and "напоминаниеоторганизаторов" in str(russian["Subject"]).replace(" ", "")
    assert "ещё никому не предложила встречу" in text and "нет ни предложений" not in text
    assert world["eager"].participants[0].email not in by_recipient
    assert world["waiting"].participants[0].email not in by_recipient, "a firm waiting for approval is not reminded"

    again = client.post("/organiser/reminders/send?lang=en", data=data, follow_redirects=True)
    assert "already sent: 3 e-mails. Nothing was sent again." in again.get_data(as_text=True)
    assert len(smtp.messages) == 3 and db.session.scalar(select(func.count()).select_from(ReminderBatch)) == 1

    # Two confirms at the same moment: the second passes the look-up before the first commits and
    # meets the unique token at its flush; it is answered as the sequential one is.
    monkeypatch.setattr(reminders, "sent_batch", lambda token: None)
    raced = client.post("/organiser/reminders/send?lang=en", data=data, follow_redirects=True)
    assert raced.status_code == 200 and "Nothing was sent again." in raced.get_data(as_text=True)
    assert len(smtp.messages) == 3
    assert db.session.scalar(select(func.count()).select_from(OutgoingMessage)) == 3

    fresh = _token(client.post("/organiser/reminders/?lang=en", data={"event": "winter", "reasons": ["no_request_sent"]})
                   .get_data(as_text=True))
    assert fresh != token, "a new preview may be sent again, on purpose"


def test_the_same_reminders_service_refuses_a_second_send_of_one_preview(any_app):
    event = factories.make_event(slug="r", start=date(2027, 1, 10), end=date(2027, 1, 10))
    firm = factories.make_firm("chelyabinsk")
    event.registrations.append(EventRegistration(firm=firm))
    db.session.commit()
    batch = reminders.send_reminders(event, ["empty_profile"], "t" * 32, None)
    db.session.commit()
    assert batch.messages == 1
    with pytest.raises(reminders.AlreadySent) as repeated:
        reminders.send_reminders(event, ["empty_profile"], "t" * 32, None)
    assert repeated.value.batch.id == batch.id
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutgoingMessage)) == 1


def test_where_organisers_approve_requests_nobody_is_told_to_answer(any_app):
    event = factories.make_event(slug="r", start=date(2027, 1, 10), end=date(2027, 1, 10))
    host, guest = factories.make_firm("khorasan-razavi", offers=["8413"]), factories.make_firm("chelyabinsk", needs=["8413"])
    for firm in (host, guest):
        event.registrations.append(EventRegistration(firm=firm))
    factories.make_request(event, guest, host, status="pending")
    assert [line.firm.id for line in reminders.reminder_lines(event, ["awaiting_answer"], "en")] == [host.id]
    event.request_mode = "organiser-approval"
    assert reminders.reminder_lines(event, ["awaiting_answer"], "en") == []
