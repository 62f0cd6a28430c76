"""Accounts: registration, log-in with rate limiting, password reset tokens, sessions that end."""
from __future__ import annotations

import logging
import secrets
from functools import cache

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from planner.accounts import limits
from planner.accounts.limits import RateLimited, Slot
from planner.errors import ServiceError
from planner.extensions import db
from planner.models import User
from planner.models.base import utcnow
from planner.models.enums import MailKind, Role
from planner.notifications.outbox import composer, new_email, queue_message
from planner.text.i18n import local_digits, ngettext
from planner.text.scripts import rtl_lines
from planner.urls import external_url

log = logging.getLogger(__name__)
MIN_PASSWORD_LENGTH = 10
RESET_MAX_AGE_S = 2 * 3600
# An invitation waits for someone who may be travelling: two weeks to choose a password.
INVITATION_MAX_AGE_S = 14 * 24 * 3600


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
    try:
        db.session.flush()
    except IntegrityError:  # the same e-mail registered at the same moment; the caller rolls back
        raise ServiceError(_("An account with this e-mail already exists."), field="email") from None
    return user


@cache
def _dummy_hash() -> str:
    # Checked against when the e-mail is unknown, so both answers take one password hash's time.
    return generate_password_hash(secrets.token_hex(16))


def _too_many(retry_after: int) -> RateLimited:
    return RateLimited(_("Too many failed log-in attempts. Please wait a few minutes and try again."), retry_after)


def authenticate(email: str, password: str, client_address: str) -> User:
    """Return the user or raise ServiceError (RateLimited when a limit is spent).

    Counts against the account's and the client address's limits before the password is checked,
    and gives both back on success, so only failed attempts count. Known and unknown e-mails take
    the same time and get the same message.
    """
    slots = [Slot("LOGIN_LIMIT_PER_ACCOUNT", "login-account", normalise_email(email)),
             Slot("LOGIN_LIMIT_PER_ADDRESS", "login-address", client_address)]
    retry_after = limits.take(slots)
    if retry_after:
        raise _too_many(retry_after)
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        success = False
    else:
        success = user.check_password(password) and user.active
    if not success:
        raise ServiceError(_("The e-mail or password is wrong."))
    limits.give_back(slots)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_reset_token(user: User, invitation: bool = False) -> str:
    """A signed set-password token: valid two hours, or two weeks for an invitation."""
    # The hash fragment makes the token single-use: it dies once the password changes.
    data = {"id": user.id, "h": user.password_hash[-12:]}
    if invitation:
        data["i"] = 1
    return _serializer().dumps(data)


def user_for_reset_token(token: str) -> User | None:
    try:
        data, signed_at = _serializer().loads(token, max_age=INVITATION_MAX_AGE_S, return_timestamp=True)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    if not data.get("i") and (utcnow() - signed_at).total_seconds() > RESET_MAX_AGE_S:
        return None
    user = db.session.get(User, data.get("id"))
    if user is None or user.password_hash[-12:] != data.get("h"):
        return None
    return user


def request_password_reset(email: str, client_address: str, locale: str) -> None:
    """E-mail a reset link built from KARVAN_BASE_URL (also logged while no SMTP server is configured).

    Silent for unknown addresses, so nobody can probe which accounts exist; limited per address and
    per e-mail whether or not the account exists (RateLimited), so the limit reveals nothing either.
    """
    retry_after = limits.take([Slot("RESET_LIMIT_PER_ACCOUNT", "reset-account", normalise_email(email)),
                               Slot("RESET_LIMIT_PER_ADDRESS", "reset-address", client_address)])
    if retry_after:
        raise RateLimited(_("Too many attempts. Please wait and try again."), retry_after)
    user = find_user(email)
    if user is None:
        return
    url = external_url("auth.reset_password", token=make_reset_token(user))
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
    email.set_content(rtl_lines(body, message.locale) + "\n", cte="quoted-printable")
    return email


def invite_person(email: str, name: str, firm_id: int, locale: str) -> User | None:
    """Open a firm member's account for a person added by an organiser (an import) and e-mail
    them, in `locale`, a link to choose their password (valid two weeks). None when the e-mail
    already has an account (nothing is sent)."""
    if find_user(email) is not None:
        return None
    user = create_user(email, secrets.token_urlsafe(24), role=Role.FIRM_MEMBER, name=name, firm_id=firm_id,
                       locale=locale)
    url = external_url("auth.reset_password", token=make_reset_token(user, invitation=True))
    queue_message(kind=MailKind.ACCOUNT_INVITATION, recipient=user.email, locale=locale,
                  payload={"url": url, "name": name})
    return user


def compose_invitation(message):
    """The invitation e-mail, in the person's language."""

    with force_locale(message.locale):
        subject = _("Your Karvan account is ready")
        body = "\n\n".join([
            _("Hello %(name)s,", name=message.payload.get("name") or message.recipient),
            _("The organisers of the B2B meetings have registered you and your firm in Karvan, where you "
              "see your partners and your meeting timetable."),
            _("To choose your password and log in, open this link within two weeks:"),
            message.payload["url"],
        ])
    email = new_email(message, subject)
    email.set_content(rtl_lines(body, message.locale) + "\n", cte="quoted-printable")
    return email


def _register_composer() -> None:

    composer(MailKind.PASSWORD_RESET)(compose_password_reset)
    composer(MailKind.ACCOUNT_INVITATION)(compose_invitation)


_register_composer()


def reset_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(ngettext("The password must have at least %(num)s character.", "The password must have at least %(num)s characters.",
                                    MIN_PASSWORD_LENGTH, num=local_digits(MIN_PASSWORD_LENGTH)),
                           field="password")
    user.set_password(password)
    db.session.flush()
