"""Outgoing e-mail: a transactional outbox, delivered over SMTP by background jobs.

`queue_message()` adds an OutgoingMessage (state "queued") AND composes its MIME bytes in the
caller's transaction: a publish and its messages commit together or not at all, and delivery
never has to read half the schedule (or write much) while other writers are busy. The delivery
job is enqueued only after the commit. An attempt claims the row ("sending", one short UPDATE),
sends the stored bytes, and records "sent" — or "retrying" with the error, then "failed" after
the last attempt (MAIL_RETRY_DELAYS_S: 10 s, 1 min, 5 min). On RQ, RQ's `Retry` re-runs the job
after those delays; the in-process runner sets a timer for each. A deliverer killed between the
claim and the record leaves "sending", which `flask send-mail` (or any later attempt) takes over
after MAIL_CLAIM_TIMEOUT_S. The Message-ID is fixed with the bytes, so a message retried after
such a crash is recognisable as the same one. Without MAIL_SERVER nothing is attempted: messages
wait as "queued" for `flask send-mail`.
"""
from __future__ import annotations

import logging
import smtplib
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, or_, select, update

from planner.extensions import db
from planner.jobs import enqueue, enqueue_after_commit, task
from planner.models import OutgoingMessage
from planner.models.base import utcnow
from planner.models.enums import MailState
from planner.text.scripts import rtl_lines

log = logging.getLogger(__name__)
# CRLF line ends (smtplib sends bytes unchanged) and 7-bit-safe bodies for any relay.
SMTP_POLICY = policy.SMTP.clone(cte_type="7bit")
RETRY_DELAYS_S = (10, 60, 300)  # MAIL_RETRY_DELAYS_S: RQ's Retry and the thread runner's timers
_COMPOSERS: dict[str, Callable[[OutgoingMessage], EmailMessage]] = {}


class MailDeliveryError(RuntimeError):
    """An attempt failed; RQ retries the job."""


def external_url(endpoint: str, **values) -> str | None:
    """An absolute URL for an e-mail: from KARVAN_BASE_URL when configured, else from the
    request being served; None when neither exists (e.g. a CLI publish without a base URL)."""
    base = current_app.config.get("KARVAN_BASE_URL")
    if base:
        with current_app.test_request_context("/", base_url=base.rstrip("/") + "/"):
            return url_for(endpoint, _external=True, **values)
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    return None


def composer(kind: str):
    """Register the function that turns a queued message of `kind` into an EmailMessage."""

    def decorator(func: Callable[[OutgoingMessage], EmailMessage]):
        _COMPOSERS[kind] = func
        return func

    return decorator


def queue_message(*, kind: str, recipient: str, locale: str, payload: dict, event_id: int | None = None,
                  participant_id: int | None = None, version_id: int | None = None) -> OutgoingMessage:
    """Record a message and compose it now, in the caller's transaction (the transactional
    outbox): it exists exactly when the caller's change commits, with the bytes that will be
    sent. Delivery starts in the background after the commit."""
    message = OutgoingMessage(kind=kind, recipient=recipient, locale=locale, payload=payload, event_id=event_id,
                              participant_id=participant_id, version_id=version_id, state=MailState.QUEUED,
                              attempts=0)
    db.session.add(message)
    db.session.flush()
    message.mime = compose(message)
    _deliver_after_commit(message.id)
    return message


def _deliver_after_commit(message_id: int) -> None:
    """Deliver the message once the caller's change commits (never when it rolls back); if it
    cannot be enqueued then, the row stays "queued" and `flask send-mail` picks it up."""
    enqueue_after_commit("mail.deliver", retry=retry_delays(), message_id=message_id)


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


def set_bodies(email: EmailMessage, text: str, html: str, locale: str) -> None:
    """The readable parts: plain text and HTML, quoted-printable so any relay passes them. In
    Persian, plain-text lines that start with Latin letters get a right-to-left mark."""
    email.set_content(rtl_lines(text, locale), cte="quoted-printable")
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


def max_attempts() -> int:
    return len(retry_delays()) + 1


def retry_delays() -> tuple[float, ...]:
    return tuple(current_app.config.get("MAIL_RETRY_DELAYS_S", RETRY_DELAYS_S))


def _claim(message_id: int) -> bool:
    """Take the message for one attempt: one short UPDATE, committed at once, so two
    deliverers (a worker, a timer, `send-mail`) never send it both. A "sending" row whose
    attempt started more than MAIL_CLAIM_TIMEOUT_S ago was left by a deliverer that died
    before it could record the outcome; it is taken over."""
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config.get("MAIL_CLAIM_TIMEOUT_S", 600))
    claimed = db.session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.id == message_id,
               or_(OutgoingMessage.state.in_((MailState.QUEUED, MailState.RETRYING)),
                   (OutgoingMessage.state == MailState.SENDING) & (OutgoingMessage.last_attempt_at <= stale)))
        .values(state=MailState.SENDING, attempts=OutgoingMessage.attempts + 1, last_attempt_at=now)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return claimed.rowcount == 1


def _record(message_id: int, **values) -> None:
    db.session.execute(update(OutgoingMessage).where(OutgoingMessage.id == message_id)
                       .values(**values).execution_options(synchronize_session=False))
    db.session.commit()


def attempt_delivery(message_id: int) -> bool | None:
    """One attempt at one message: claim it, send its stored bytes, record the outcome.

    Returns True when sent, False when the attempt failed (the row says "retrying" or, after
    the last attempt, "failed"), None when there was nothing to do (sent already, or another
    deliverer holds it). Each step is its own short transaction; a failure rolls back first,
    so recording it never meets a broken session.
    """
    if not _claim(message_id):
        return None
    try:
        message = db.session.get(OutgoingMessage, message_id, populate_existing=True)
        raw = message.mime
        if raw is None:  # queued before composing moved into the outbox transaction
            raw = compose(message)
            message.mime = raw
            db.session.commit()
        recipient = message.recipient
        smtp_send(raw, recipient)
    except Exception as error:  # noqa: BLE001  (any failure is recorded and retried)
        db.session.rollback()
        attempts = db.session.get(OutgoingMessage, message_id, populate_existing=True).attempts
        log.warning("delivery of message %s failed (attempt %s): %s", message_id, attempts, error)
        _record(message_id, last_error=f"{type(error).__name__}: {error}"[:2000],
                state=MailState.FAILED if attempts >= max_attempts() else MailState.RETRYING)
        return False
    _record(message_id, state=MailState.SENT, sent_at=utcnow(), last_error=None)
    return True


@task("mail.deliver")
def deliver_message(message_id: int) -> None:
    """Background job: deliver one message, retrying with back-off.

    Without MAIL_SERVER the message stays "queued" (nothing is attempted) until
    `flask send-mail` runs with mail configured. On RQ a failed attempt raises, and RQ's
    `Retry` runs the job again after the next delay (enqueued with `retry=` these delays); the thread
    runner schedules the next attempt after the delay without holding a worker; "sync" waits
    in place.
    """
    app = current_app._get_current_object()
    if not app.config.get("MAIL_SERVER"):
        log.info("MAIL_SERVER is not set; message %s stays queued", message_id)
        return
    mode = app.config.get("KARVAN_JOBS")
    while attempt_delivery(message_id) is False:
        message = db.session.get(OutgoingMessage, message_id, populate_existing=True)
        if message.state == MailState.FAILED:
            return
        if mode == "rq":
            raise MailDeliveryError(message.last_error)
        delay = retry_delays()[min(message.attempts, len(retry_delays())) - 1]
        if mode != "sync":
            _retry_later(app, message_id, delay)
            return
        time.sleep(delay)


def _retry_later(app, message_id: int, delay: float) -> None:
    def run() -> None:
        with app.app_context():
            try:
                enqueue("mail.deliver", message_id=message_id)
            except RuntimeError:
                # The process is shutting down (its thread pool no longer takes work): the
                # message stays in the outbox, where `flask --app wsgi send-mail` finds it.
                log.info("message %s left queued: the process is stopping", message_id)

    timer = threading.Timer(delay, run)
    timer.daemon = True
    timer.start()


def pending_ids(limit: int = 500) -> list[int]:
    """Messages still to deliver (queued, waiting for a retry, or left "sending" by a
    deliverer that died), oldest first."""
    return list(db.session.scalars(
        select(OutgoingMessage.id).where(OutgoingMessage.state.in_((MailState.QUEUED, MailState.RETRYING, MailState.SENDING)))
        .order_by(OutgoingMessage.id).limit(limit)
    ))


def resend_failed(version_id: int) -> int:
    """Put the failed messages of a publish back in the queue (attempts start again);
    delivery starts when the caller commits. Returns how many."""
    ids = list(db.session.scalars(select(OutgoingMessage.id).where(
        OutgoingMessage.version_id == version_id, OutgoingMessage.state == MailState.FAILED)))
    if ids:
        db.session.execute(update(OutgoingMessage).where(OutgoingMessage.id.in_(ids))
                           .values(state=MailState.QUEUED, attempts=0, last_error=None)
                           .execution_options(synchronize_session=False))
        for message_id in ids:
            _deliver_after_commit(message_id)
    return len(ids)


def delivery_counts(version_ids: list[int]) -> dict[int, dict[str, int]]:
    """{version id: {"queued": n, "sent": n, "failed": n}} — "queued" counts every message not
    yet sent nor given up (queued, sending, retrying)."""
    result: dict[int, dict[str, int]] = {vid: {"queued": 0, "sent": 0, "failed": 0} for vid in version_ids}
    if not version_ids:
        return result
    rows = db.session.execute(select(OutgoingMessage.version_id, OutgoingMessage.state, func.count())
                              .where(OutgoingMessage.version_id.in_(version_ids))
                              .group_by(OutgoingMessage.version_id, OutgoingMessage.state))
    for version_id, state, count in rows:
        key = state if state in (MailState.SENT, MailState.FAILED) else "queued"
        result[version_id][key] += count
    return result
