"""Locale selection, RTL, Jalali dates, and the completeness of the fa and ru catalogues."""
from __future__ import annotations

import configparser
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from planner.text.i18n import format_clock, format_day, jalali_date, parse_jalali_iso, persian_digits

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "planner" / "translations"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def _catalogue_sources() -> dict[str, list[tuple[str, str]]]:
    """{domain: [(method, glob)]} from each catalogue's babel.cfg."""
    result = {}
    for cfg in sorted(CATALOGUES.glob("*/babel.cfg")):
        parser = configparser.ConfigParser()
        parser.read(cfg)
        result[cfg.parent.name] = [tuple(section.split(":", 1)) for section in parser.sections()]
    return result


def _files(pattern: str) -> set[Path]:
    return {path for path in ROOT.glob(pattern.strip().replace("**.", "**/*.")) if path.is_file()}


def _translatable_sources() -> set[Path]:
    found = set()
    for path in list((ROOT / "planner").rglob("*.py")) + list((ROOT / "templates").rglob("*.html")):
        if re.search(r"\b(_|_l|gettext|lazy_gettext|ngettext)\(", path.read_text(encoding="utf-8")):
            found.add(path)
    return found


def test_every_translatable_file_belongs_to_exactly_one_catalogue():
    owners: dict[Path, list[str]] = {}
    for domain, entries in _catalogue_sources().items():
        for _method, pattern in entries:
            for path in _files(pattern):
                owners.setdefault(path, []).append(domain)
    orphans = sorted(str(p.relative_to(ROOT)) for p in _translatable_sources() if p not in owners)
    doubles = sorted(f"{p.relative_to(ROOT)}: {d}" for p, d in owners.items() if len(d) > 1)
    assert not orphans, f"files with messages but no catalogue (add them to a babel.cfg): {orphans}"
    assert not doubles, f"files owned by two catalogues: {doubles}"


def _messages_in_code() -> dict[str, str]:
    messages = {}
    for entries in _catalogue_sources().values():
        for method, pattern in entries:
            for path in _files(pattern):
                method_name = "python" if method == "python" else "jinja2"
                options = {"extensions": "jinja2.ext.i18n"} if method_name == "jinja2" else {}
                for _lineno, message, _comments, _context in extract_from_file(
                    method_name, str(path), keywords=KEYWORDS, options=options
                ):
                    key = message if isinstance(message, str) else message[0]
                    messages.setdefault(key, f"{path.relative_to(ROOT)}")
    return messages


def _translations(lang: str) -> dict[str, object]:
    merged = {}
    for po in CATALOGUES.glob(f"*/{lang}/LC_MESSAGES/messages.po"):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                key = message.id if isinstance(message.id, str) else message.id[0]
                value = message.string if isinstance(message.string, str) else message.string[0]
                if value:
                    merged[key] = value
    return merged


@pytest.mark.parametrize("lang", ["fa", "ru"])
def test_every_message_is_translated(lang):
    in_code = _messages_in_code()
    translated = _translations(lang)
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in in_code.items() if msgid not in translated)
    assert not missing, f"{len(missing)} message(s) without a {lang} translation:\n" + "\n".join(missing[:40])


@pytest.mark.parametrize("lang", ["fa", "ru"])
def test_translations_are_not_english_copies(lang):
    translated = _translations(lang)
    script = re.compile(r"[\u0600-\u06FF]") if lang == "fa" else re.compile(r"[\u0400-\u04FF]")
    copies = [msgid for msgid, text in translated.items() if re.search(r"[A-Za-z]{4,}", msgid) and not script.search(str(text))]
    assert len(copies) <= max(3, len(translated) // 50), f"{lang} entries that look untranslated: {copies[:20]}"


@pytest.mark.parametrize("header, lang, direction, sample", [
    ("fa", "fa", "rtl", "نمایشگاه"),
    ("ru-RU,ru;q=0.9", "ru", "ltr", "Выставки"),
    ("en-GB", "en", "ltr", "Exhibitions"),
    ("de-DE", "fa", "rtl", "نمایشگاه"),
])
def test_locale_from_accept_language(client, header, lang, direction, sample):
    html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert sample in html


def test_query_parameter_wins_and_is_remembered(client):
    html = client.get("/?lang=ru", headers={"Accept-Language": "fa"}).get_data(as_text=True)
    assert 'lang="ru"' in html
    html = client.get("/exhibitions/", headers={"Accept-Language": "fa"}).get_data(as_text=True)
    assert 'lang="ru"' in html, "the choice made with ?lang= is kept for the visit"
    assert 'lang="en"' in client.get("/?lang=en").get_data(as_text=True)


def test_every_page_has_a_language_switcher(client):
    html = client.get("/exhibitions/", headers={"Accept-Language": "fa"}).get_data(as_text=True)
    for code in ("fa", "ru", "en"):
        assert f'data-lang="{code}"' in html


def test_jalali_formatting():
    assert jalali_date(date(2026, 11, 8)) == "۱۷ آبان ۱۴۰۵"
    assert parse_jalali_iso("1405-08-17") == date(2026, 11, 8)
    assert parse_jalali_iso("1405-01-01") == date(2026, 3, 21)
    with pytest.raises(ValueError):
        parse_jalali_iso("1405-07-31")  # Mehr has 30 days
    assert persian_digits("09:30") == "۰۹:۳۰"


def test_format_day_shows_both_calendars_in_persian(app):
    with app.test_request_context("/?lang=fa"):
        text = format_day(date(2026, 11, 8), "fa")
        assert "۱۷ آبان ۱۴۰۵" in text and "۲۰۲۶" in text and "نوامبر" in text
        assert "8" not in text, "Persian pages use Persian digits"
        assert format_day(date(2026, 11, 8), "ru") == "воскресенье 8 ноября 2026"


def test_clock_is_tehran_time_without_dst(app):
    with app.test_request_context("/?lang=en"):
        summer = datetime(2026, 7, 1, 5, 30, tzinfo=UTC)
        winter = datetime(2026, 1, 10, 5, 30, tzinfo=UTC)
        assert format_clock(summer, locale="en") == "09:00"
        assert format_clock(winter, locale="en") == "09:00"
        assert format_clock(summer, "Asia/Yekaterinburg", locale="en") == "10:30"
        assert format_clock(summer, locale="fa") == "۰۹:۰۰"


def test_logged_in_choice_is_saved_on_the_account(client, auth, app, make_user):
    from planner.extensions import db
    from planner.models import User

    user = make_user(email="firm@karvan.example", locale="fa")
    db.session.commit()
    auth.login("firm@karvan.example")
    client.get("/?lang=en")
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "fa", "a ?lang= link changes the visit, not the account"
    response = client.post("/auth/language", data={"lang": "ru", "next": "/exhibitions/?sector=C"})
    assert response.status_code == 302 and response.headers["Location"] == "/exhibitions/?sector=C"
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "ru"
    auth.logout()
    # A new visit on another device starts in the saved language after logging in.
    other = app.test_client()
    other.post("/auth/login", data={"email": "firm@karvan.example", "password": "correct horse battery"})
    assert 'lang="ru"' in other.get("/", headers={"Accept-Language": "fa"}).get_data(as_text=True)


@pytest.mark.parametrize("lang", ["fa", "ru"])
def test_a_message_shared_by_catalogues_reads_the_same_everywhere(lang):
    """Catalogues are merged, so two translations of one message would show one at random."""
    seen: dict[str, dict[str, object]] = {}
    for po in CATALOGUES.glob(f"*/{lang}/LC_MESSAGES/messages.po"):
        with po.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    value = message.string if isinstance(message.string, str) else tuple(message.string)
                    seen.setdefault(key, {})[po.parent.parent.parent.name] = value
    clashes = {key: values for key, values in seen.items() if len(set(values.values())) > 1}
    assert not clashes, clashes
