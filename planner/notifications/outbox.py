"""Outgoing e-mail: a record per message, delivered over SMTP by a background job.

`queue_message()` adds an OutgoingMessage (state "queued") and flushes; the delivery job is
enqueued only when the caller's transaction commits, so a job never looks for a row that is
not there yet and a rolled-back request sends nothing. The job composes the MIME bytes once
(through the composer registered for the message's kind), keeps them, and sends them with
the MAIL_* settings. A failed attempt is recorded ("retrying", the error, the attempt count);
with RQ the job raises so RQ retries it (10 s, 1 min, 5 min), the in-process runners try
again after the same delays; after the last attempt the state is "failed". Without
MAIL_SERVER nothing is attempted: messages wait as "queued" for `flask send-mail`.
"""
from __future__ import annotations

import logging
import smtplib
import threading
import time
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy import select

from planner.extensions import db
from planner.jobs import enqueue, task
from planner.models import OutgoingMessage
from planner.models.base import utcnow
from planner.models.enums import MailState

log = logging.getLogger(__name__)
# CRLF line ends (smtplib sends bytes unchanged) and 7-bit-safe bodies for any relay.
SMTP_POLICY = policy.SMTP.clone(cte_type="7bit")
RETRY_DELAYS_S = (10, 60, 300)  # matches jobs.enqueue(retry=True) on RQ
_PENDING_KEY = "karvan_mail_pending"
_COMPOSERS: dict[str, Callable[[OutgoingMessage], EmailMessage]] = {}


class MailDeliveryError(RuntimeError):
    """An attempt failed; RQ retries the job."""


def composer(kind: str):
    """Register the function that turns a queued message of `kind` into an EmailMessage."""

    def decorator(func: Callable[[OutgoingMessage], EmailMessage]):
        _COMPOSERS[kind] = func
        return func

    return decorator


def queue_message(*, kind: str, recipient: str, locale: str, payload: dict, event_id: int | None = None,
                  participant_id: int | None = None) -> OutgoingMessage:
    """Record a message to send; it is delivered in the background after the caller commits."""
    message = OutgoingMessage(kind=kind, recipient=recipient, locale=locale, payload=payload, event_id=event_id,
                              participant_id=participant_id, state=MailState.QUEUED, attempts=0)
    db.session.add(message)
    db.session.flush()
    _deliver_after_commit(message.id)
    return message


def _deliver_after_commit(message_id: int) -> None:
    session = db.session()
    pending = session.info.setdefault(_PENDING_KEY, [])
    if not session.info.get(_PENDING_KEY + ".hooked"):
        session.info[_PENDING_KEY + ".hooked"] = True
        sa_event.listen(session, "after_commit", _enqueue_pending)
        sa_event.listen(session, "after_soft_rollback", _forget_pending)
    pending.append(message_id)


def _enqueue_pending(session) -> None:
    ids = session.info.pop(_PENDING_KEY, [])
    for message_id in ids:
        try:
            enqueue("mail.deliver", retry=True, message_id=message_id)
        except Exception:  # the row stays "queued"; `flask send-mail` picks it up
            log.exception("could not enqueue delivery of message %s", message_id)


def _forget_pending(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction rolled back
        session.info.pop(_PENDING_KEY, None)


def sender() -> str:
    return current_app.config["MAIL_DEFAULT_SENDER"]


def new_email(message: OutgoingMessage, subject: str) -> EmailMessage:
    """An EmailMessage with the headers every Karvan message carries."""
    email = EmailMessage(policy=SMTP_POLICY)
    email["Subject"] = " ".join(subject.split())  # names in subjects may carry line breaks
    email["From"] = sender()
    email["To"] = message.recipient
    email["Message-ID"] = make_msgid(idstring=f"karvan-{message.id}", domain=_domain(sender()))
    email["Auto-Submitted"] = "auto-generated"
    return email


def _domain(address: str) -> str:
    mailbox = parseaddr(address)[1]
    return mailbox.split("@", 1)[1] if "@" in mailbox else "karvan.invalid"


def set_bodies(email: EmailMessage, text: str, html: str) -> None:
    """The readable parts: plain text and HTML, quoted-printable so any relay passes them."""
    email.set_content(text, cte="quoted-printable")
    email.add_alternative(html, subtype="html", cte="quoted-printable")


def compose(message: OutgoingMessage) -> bytes:
    email = _COMPOSERS[message.kind](message)
    del email["Content-Language"]  # set after the content, which resets Content-* headers
    email["Content-Language"] = message.locale
    message.subject = str(email["Subject"])[:300]
    return email.as_bytes()


def smtp_send(raw: bytes, recipient: str) -> None:
    """Send the bytes over SMTP with the MAIL_* settings."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        raise MailDeliveryError("MAIL_SERVER is not configured")
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config.get("MAIL_TIMEOUT_S", 30)) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.sendmail(parseaddr(sender())[1], [recipient], raw)


def attempt_delivery(message: OutgoingMessage) -> bool:
    """One attempt: compose if needed, send, record the outcome (and commit it)."""
    message.attempts += 1
    message.last_attempt_at = utcnow()
    try:
        if message.mime is None:
            message.mime = compose(message)
        smtp_send(message.mime, message.recipient)
    except Exception as error:  # noqa: BLE001  (any failure is recorded and retried)
        log.warning("delivery of message %s failed (attempt %s): %s", message.id, message.attempts, error)
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.state = MailState.FAILED if message.attempts > len(retry_delays()) else MailState.RETRYING
        db.session.commit()
        return False
    message.state = MailState.SENT
    message.sent_at = utcnow()
    message.last_error = None
    db.session.commit()
    return True


def retry_delays() -> tuple[float, ...]:
    return tuple(current_app.config.get("MAIL_RETRY_DELAYS_S", RETRY_DELAYS_S))


@task("mail.deliver")
def deliver_message(message_id: int) -> None:
    """Background job: deliver one message, retrying as configured.

    Without MAIL_SERVER the message stays "queued" (nothing is attempted) until
    `flask send-mail` runs with mail configured. RQ retries a failed job itself; the thread
    runner re-enqueues after the delay without holding a worker; "sync" waits in place.
    """
    app = current_app._get_current_object()
    message = db.session.get(OutgoingMessage, message_id)
    if message is None or message.state in (MailState.SENT, MailState.FAILED):
        return
    if not app.config.get("MAIL_SERVER"):
        log.info("MAIL_SERVER is not set; message %s stays queued", message_id)
        return
    mode = app.config.get("KARVAN_JOBS")
    while not attempt_delivery(message):
        if message.state == MailState.FAILED:
            return
        delay = retry_delays()[message.attempts - 1]
        if mode == "rq":
            raise MailDeliveryError(message.last_error)
        if mode != "sync":
            _retry_later(app, message_id, delay)
            return
        time.sleep(delay)


def _retry_later(app, message_id: int, delay: float) -> None:
    def run() -> None:
        with app.app_context():
            enqueue("mail.deliver", message_id=message_id)

    timer = threading.Timer(delay, run)
    timer.daemon = True
    timer.start()


def pending_messages(limit: int = 500) -> list[OutgoingMessage]:
    """Messages still to deliver (queued or waiting for a retry), oldest first."""
    return list(db.session.scalars(
        select(OutgoingMessage).where(OutgoingMessage.state.in_((MailState.QUEUED, MailState.RETRYING))).order_by(OutgoingMessage.id).limit(limit)
    ))
