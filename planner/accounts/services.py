"""Accounts: registration, log-in with rate limiting, password reset tokens."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import LoginAttempt, User
from planner.models.base import utcnow
from planner.models.enums import MailKind, Role
from planner.notifications.outbox import composer, new_email, queue_message
from planner.text.i18n import local_digits, ngettext

log = logging.getLogger(__name__)
MIN_PASSWORD_LENGTH = 10
RESET_MAX_AGE_S = 2 * 3600


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, password: str, role: str = Role.FIRM_MEMBER, name: str | None = None,
                firm_id: int | None = None, delegation_id: int | None = None, locale: str | None = None) -> User:
    """Add an account; a taken e-mail or a short password is a ServiceError naming the field."""
    email = normalise_email(email)
    if find_user(email) is not None:
        raise ServiceError(_("An account with this e-mail already exists."), field="email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(ngettext("The password must have at least %(num)s character.", "The password must have at least %(num)s characters.",
                                    MIN_PASSWORD_LENGTH, num=local_digits(MIN_PASSWORD_LENGTH)),
                           field="password")
    user = User(email=email, role=role, name=name, firm_id=firm_id, delegation_id=delegation_id, locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def _recent_failures(key: str, window: timedelta) -> int:
    since = utcnow() - window
    return db.session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.key == key, LoginAttempt.at >= since, LoginAttempt.success.is_(False)
        )
    ) or 0


def login_blocked(email: str, remote_addr: str | None) -> bool:
    """Too many failed attempts for this address or this e-mail within the window."""
    limit = current_app.config["LOGIN_RATE_LIMIT"]
    window = timedelta(seconds=current_app.config["LOGIN_RATE_WINDOW_S"])
    keys = [f"email:{normalise_email(email)}"] + ([f"ip:{remote_addr}"] if remote_addr else [])
    return any(_recent_failures(key, window) >= limit for key in keys)


def authenticate(email: str, password: str, remote_addr: str | None) -> User:
    """Return the user or raise ServiceError; every attempt is recorded for rate limiting."""
    if login_blocked(email, remote_addr):
        raise ServiceError(_("Too many failed log-in attempts. Please wait a few minutes and try again."))
    user = find_user(email)
    success = bool(user and user.active and user.check_password(password))
    keys = [f"email:{normalise_email(email)}"] + ([f"ip:{remote_addr}"] if remote_addr else [])
    for key in keys:
        db.session.add(LoginAttempt(key=key, success=success))
    if not success:
        db.session.flush()
        raise ServiceError(_("The e-mail or password is wrong."))
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_reset_token(user: User) -> str:
    # The hash fragment makes the token single-use: it dies once the password changes.
    return _serializer().dumps({"id": user.id, "h": user.password_hash[-12:]})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=RESET_MAX_AGE_S)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("id"))
    if user is None or user.password_hash[-12:] != data.get("h"):
        return None
    return user


def request_password_reset(email: str, reset_url_for, locale: str) -> None:
    """E-mail a reset link (also logged while no SMTP server is configured).

    Silent for unknown addresses, so nobody can probe which accounts exist.
    """

    user = find_user(email)
    if user is None:
        return
    url = reset_url_for(make_reset_token(user))
    queue_message(kind=MailKind.PASSWORD_RESET, recipient=user.email, locale=user.locale or locale, payload={"url": url})
    if not current_app.config.get("MAIL_SERVER"):
        log.info("Password reset link for %s (no MAIL_SERVER, so logged): %s", user.email, url)


def compose_password_reset(message):
    """The reset e-mail, in the account's language."""

    with force_locale(message.locale):
        subject = _("Reset your Karvan password")
        body = "\n\n".join([
            _("Someone (we hope you) asked to reset the password of your Karvan account."),
            _("To choose a new password, open this link within two hours:"),
            message.payload["url"],
            _("If you did not ask for this, ignore this message; your password stays as it is."),
        ])
    email = new_email(message, subject)
    email.set_content(body + "\n", cte="quoted-printable")
    return email


def _register_composer() -> None:

    composer(MailKind.PASSWORD_RESET)(compose_password_reset)


_register_composer()


def reset_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(ngettext("The password must have at least %(num)s character.", "The password must have at least %(num)s characters.",
                                    MIN_PASSWORD_LENGTH, num=local_digits(MIN_PASSWORD_LENGTH)),
                           field="password")
    user.set_password(password)
    db.session.flush()
