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
