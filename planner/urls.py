"""Addresses the app gives out: absolute links from configuration, and safe `next` redirects.

Every absolute URL in an e-mail, a calendar feed, a PDF or a page that is copied elsewhere is built
by `external_url` from `KARVAN_BASE_URL`, never from the request's Host header (which anyone can
set: a reset link must not point to a stranger's host). Every `next` target a request carries goes
through `safe_next`, so no redirect leaves the site or carries a header-breaking character.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app
from werkzeug.routing import IntegerConverter
from wtforms.validators import ValidationError

# The largest id any table holds (PostgreSQL INTEGER); SQLite overflows past 2**63 - 1.
MAX_DATABASE_INT = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """`<int:…>` that matches only what the database can hold, so `/firms/2147483648` is a 404
    like any id that does not exist, instead of an overflow in the query (a 500)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,  # noqa: A002
                 signed: bool = False):
        super().__init__(map, fixed_digits, min, MAX_DATABASE_INT if max is None else max, signed)


def database_int(value) -> int:
    """`value` as an integer the database can hold (|n| ≤ 2**31 - 1); ValueError otherwise.

    The one parser for ids and numbers from query strings and hidden fields: as werkzeug's
    `request.args.get(name, type=database_int)` an out-of-range value reads as absent (the
    default), as WTForms' `coerce` it is an invalid choice, never an overflow in a query.
    """
    number = int(str(value).strip())
    if not -MAX_DATABASE_INT <= number <= MAX_DATABASE_INT:
        raise ValueError(f"{value!r} is outside the database's integer range")
    return number


def parse_database_int(value) -> int | None:
    """`database_int(value)`, or None for anything that is not such an integer."""
    try:
        return database_int(value)
    except (TypeError, ValueError):
        return None


# WTForms' own message for a bad integer, translated by WTForms' fa and ru catalogues (not ours).
WTFORMS_NOT_AN_INTEGER = "Not a valid integer value."


class InDatabaseRange:
    """WTForms validator for IntegerFields without a NumberRange of their own (ids, lock counters):
    a value past the database's range is a field error in the reader's language, not a 500."""

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field) -> None:
        # WTForms' own message, which its fa and ru catalogues translate
        if field.data is not None and parse_database_int(field.data) is None:
            raise ValidationError(self.message or field.gettext(WTFORMS_NOT_AN_INTEGER))

# Characters a browser strips or reads as a separator before it decides the target's host.
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` under KARVAN_BASE_URL (e.g. "https://b2b.example/karvan").

    Works with or without a request (mail workers, CLI). Values are passed to the URL rule as in
    `url_for`; unknown ones become the query string.
    """
    base = urlsplit(current_app.config["KARVAN_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a path on this site, else `default`.

    Refused: absolute URLs, scheme-relative ones ("//host", "/\\host"), anything with whitespace,
    control characters or backslashes (browsers strip tabs and read "\\" as "/"; CR/LF would break
    the Location header).
    """
    if not target or not target.startswith("/") or target.startswith("//") or _UNSAFE.search(target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
