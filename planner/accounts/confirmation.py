"""Registration that proves the address and reveals nothing about it.

`register_account` answers the same way whether or not the address is taken: a new address
gets an unconfirmed account and a confirmation link (built from KARVAN_BASE_URL); a taken one
gets a note to its owner instead. Until the link is opened the account can log in but not act
for a firm (`User.can_manage_firm`). Both are limited per client address (REGISTER_LIMIT_PER_ADDRESS).
"""
from __future__ import annotations

import logging

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from planner.accounts import limits
from planner.accounts.limits import RateLimited, Slot
from planner.accounts.services import MIN_PASSWORD_LENGTH, create_user, find_user, normalise_email
from planner.errors import ServiceError
from planner.extensions import db
from planner.models import User
from planner.models.base import utcnow
from planner.models.enums import MailKind
from planner.notifications.outbox import composer, new_email, queue_message
from planner.text.i18n import local_digits, ngettext
from planner.text.scripts import rtl_lines
from planner.urls import external_url

log = logging.getLogger(__name__)
CONFIRM_MAX_AGE_S = 3 * 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="confirm-email")


def _take_register_limit(client_address: str) -> None:
    retry_after = limits.take([Slot("REGISTER_LIMIT_PER_ADDRESS", "register-address", client_address)])
    if retry_after:
        raise RateLimited(_("Too many attempts. Please wait and try again."), retry_after)


def register_account(email: str, password: str, *, name: str | None, locale: str, client_address: str) -> None:
    """Register `email`, or tell its owner someone tried; flushes. The caller shows one answer.

    Errors: RateLimited (per client address), ServiceError naming the field for a short password
    (checked before the address is looked at, so it reveals nothing either).
    """
    _take_register_limit(client_address)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(ngettext("The password must have at least %(num)s character.", "The password must have at least %(num)s characters.", MIN_PASSWORD_LENGTH, num=local_digits(MIN_PASSWORD_LENGTH)),
                           field="password")
    owner = find_user(email)
    if owner is None:
        try:
            user = create_user(email, password, name=name, locale=locale)
        except ServiceError:  # registered at this very moment by another request: that one is the account
            db.session.rollback()
            return
        user.email_confirmed_at = None
        db.session.flush()
        send_confirmation(user)
        return
    queue_message(kind=MailKind.ACCOUNT_EXISTS, recipient=owner.email, locale=owner.locale or locale,
                  payload={"login": external_url("auth.login"), "reset": external_url("auth.reset_request")})


def send_confirmation(user: User) -> None:
    """Queue the confirmation link for `user` (logged too while no SMTP server is configured)."""
    url = external_url("auth.confirm_email", token=_serializer().dumps({"id": user.id, "e": user.email}))
    queue_message(kind=MailKind.CONFIRM_EMAIL, recipient=user.email, locale=user.locale or "fa", payload={"url": url})
    if not current_app.config.get("MAIL_SERVER"):
        log.info("Confirmation link for %s (no MAIL_SERVER, so logged): %s", user.email, url)


def resend_confirmation(user: User, client_address: str) -> None:
    """Another link for a logged-in, unconfirmed account; limited like registration."""
    if user.email_confirmed:
        return
    _take_register_limit(client_address)
    send_confirmation(user)


def confirm_email(token: str) -> User | None:
    """The account the link confirms (now confirmed; flushes), or None for a bad or expired link."""
    try:
        data = _serializer().loads(token, max_age=CONFIRM_MAX_AGE_S)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) and isinstance(data.get("id"), int) else None
    if user is None or normalise_email(user.email) != data.get("e"):
        return None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        db.session.flush()
    return user


def _compose(message, lines: list[str], subject: str):
    email = new_email(message, subject)
    email.set_content(rtl_lines("\n\n".join(lines), message.locale) + "\n", cte="quoted-printable")
    return email


def compose_confirm_email(message):
    """The confirmation e-mail, in the account's language."""
    with force_locale(message.locale):
        return _compose(message, [
            _("Welcome to Karvan. To confirm that this address is yours, open this link within three days:"),
            message.payload["url"],
            _("If you did not create an account, ignore this message; nothing will be done with your address."),
        ], _("Confirm your e-mail address for Karvan"))


def compose_account_exists(message):
    """To the owner of an address someone tried to register again."""
    with force_locale(message.locale):
        return _compose(message, [
            _("Someone (perhaps you) tried to create a Karvan account with this address, which already has one."),
            _("To log in, open %(url)s", url=message.payload["login"]),
            _("If you have forgotten your password, you can choose a new one at %(url)s", url=message.payload["reset"]),
            _("If it was not you, ignore this message; your account stays as it is."),
        ], _("Your Karvan account"))


def _register_composers() -> None:
    composer(MailKind.CONFIRM_EMAIL)(compose_confirm_email)
    composer(MailKind.ACCOUNT_EXISTS)(compose_account_exists)


_register_composers()
