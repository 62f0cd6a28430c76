"""How timetables, PDFs, calendars and e-mails write people, lists, digits, zones and the venue
for each reader: a native name only in the reader's own script (else the Latin form), Latin
names whole and in reading order in Persian PDFs, the Persian comma, one digit system per
text, natural zone phrases in Russian and Persian, and the venue in the reader's language."""
from __future__ import annotations

import email
import re
import shutil
import subprocess
from datetime import date
from email import policy
from html import unescape

import pytest
from icalendar import Calendar

from planner.extensions import db
from planner.models import Exhibition, Interpreter, Participant
from planner.notifications.invites import queue_publish_notices
from planner.notifications.outbox import compose
from planner.text.scripts import person_name
from planner.timetables.feeds import participant_feed
from tests import factories

LATIN_DIGIT = re.compile(r"[0-9]")


def _rename(person: Participant, native: tuple[str, str], latin: tuple[str, str] | None) -> Participant:
    person.first_name, person.last_name = native
    person.first_name_latin, person.last_name_latin = latin or (None, None)
    return person


@pytest.fixture
def scenario(app):
    """The meeting scenario with real names: Uraltrubstal sends Татьяна Орлова and Максим Зайцев,
    Toos sends علی احمدی and Ирина Котова (a Russian employee of the Iranian firm); the fa/ru
    interpreter is Елена Садыкова, a second one مریم رضایی interprets toos–zlat."""
    data = factories.make_meeting_scenario()
    firms = data["firms"]
    _rename(firms["ural"].participants[0], ("Татьяна", "Орлова"), ("Tatiana", "Orlova"))
    maksim = _rename(Participant(email="maksim@ural.example", languages=["ru"]), ("Максим", "Зайцев"), ("Maksim", "Zaitsev"))
    firms["ural"].participants.append(maksim)
    _rename(firms["toos"].participants[0], ("علی", "احمدی"), ("Ali", "Ahmadi"))
    _rename(firms["toos"].participants[1], ("Ирина", "Котова"), ("Irina", "Kotova"))
    data["interpreter"].name, data["interpreter"].name_latin = "Елена Садыкова", "Elena Sadykova"
    persian = Interpreter(name="مریم رضایی", name_latin="Maryam Rezaei", languages=["fa", "ru", "en"])
    data["event"].interpreters.append(persian)
    for meeting in data["version"].meetings:
        if meeting.request.requester_firm_id == firms["ural"].id:
            meeting.participants.append(maksim)
        if meeting.request_id == data["requests"]["toos-zlat"].id:
            meeting.interpreter = persian
    factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    return data


def _page(client, scenario, firm: str, lang: str, suffix: str = "") -> str:
    url = f"/timetables/{scenario['event'].slug}/firms/{scenario['firms'][firm].id}{suffix}?lang={lang}"
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True) if not suffix else response.get_data()


def _pdf(data: bytes, tmp_path, *args: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing (Debian poppler-utils; `make test` installs it)")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, check=True, text=True).stdout


def _words(data: bytes, tmp_path) -> list[tuple[str, float, float]]:
    """(word, x, y) of every word on the PDF's first page, from pdftotext -bbox."""
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>',
                       _pdf(data, tmp_path, "-bbox", "-l", "1"))
    return [(unescape(word), float(x), float(y)) for x, y, word in found]


# --- names ----------------------------------------------------------------------------------

@pytest.mark.parametrize("native, latin, locale, shown", [
    ("مریم رضایی", "Maryam Rezaei", "fa", "مریم رضایی"),
    ("Елена Садыкова", "Elena Sadykova", "fa", "Elena Sadykova"),
    ("Елена Садыкова", "Elena Sadykova", "ru", "Елена Садыкова"),
    ("مریم رضایی", "Maryam Rezaei", "ru", "Maryam Rezaei"),
    ("Елена Садыкова", "Elena Sadykova", "en", "Elena Sadykova"),
    ("مریم رضایی", "Maryam Rezaei", "en", "Maryam Rezaei"),
    ("Елена Садыкова", None, "fa", "Елена Садыкова"),  # no Latin form given: the only name there is
    ("John Smith", None, "fa", "John Smith"),
])
def test_person_name_is_native_only_in_the_readers_script(native, latin, locale, shown):
    assert person_name(native, latin, locale) == shown


def test_persian_timetable_writes_non_persian_names_in_latin(client, auth, scenario):
    auth.login("org@karvan.example")
    html = _page(client, scenario, "toos", "fa")
    assert "Elena Sadykova" in html and "Елена" not in html, "a Cyrillic interpreter name in Latin"
    assert "مریم رضایی" in html, "a Persian interpreter name as written"
    assert "علی احمدی" in html and "Irina Kotova" in html and "Ирина" not in html, "by the name's script, not the firm's"
    assert "Tatiana Orlova" in html and "Maksim Zaitsev" in html and "Татьяна" not in html
    assert '<bdi class="name">Tatiana Orlova</bdi> و <bdi class="name">Maksim Zaitsev</bdi>' in html, "joined by Babel"


def test_russian_timetable_writes_cyrillic_names_natively(client, auth, scenario):
    auth.login("org@karvan.example")
    html = _page(client, scenario, "toos", "ru")
    assert "Елена Садыкова" in html and "Maryam Rezaei" in html and "مریم" not in html
    assert "Ali Ahmadi" in html and "Ирина Котова" in html and "Irina Kotova" not in html
    assert '<bdi class="name">Татьяна Орлова</bdi> и <bdi class="name">Максим Зайцев</bdi>' in html


def test_persian_pdf_keeps_latin_names_whole_and_in_reading_order(client, auth, scenario, tmp_path):
    """The firm sheet's narrow "from your firm" column lists Tatiana Orlova then Maksim Zaitsev:
    in a right-to-left PDF the first name is above, or on the same line to the right."""
    auth.login("org@karvan.example")
    data = _page(client, scenario, "ural", "fa", ".pdf")
    lines = _pdf(data, tmp_path, "-layout").splitlines()
    for first, last in (("Tatiana", "Orlova"), ("Maksim", "Zaitsev"), ("Elena", "Sadykova")):
        for line in lines:
            if first in line or last in line:
                assert f"{first} {last}" in line, f"{first} {last} is split: {line!r}"
    assert "Татьяна" not in "\n".join(lines) and "Елена" not in "\n".join(lines)
    words = _words(data, tmp_path)
    tatiana = [(x, y) for word, x, y in words if word.strip("،,") == "Tatiana"]
    maksim = [(x, y) for word, x, y in words if word.strip("،,") == "Maksim"]
    assert tatiana and len(tatiana) == len(maksim), "every meeting lists both people"
    for (tx, ty), (mx, my) in zip(sorted(tatiana, key=lambda p: p[1]), sorted(maksim, key=lambda p: p[1])):
        assert my > ty + 1 or (abs(my - ty) <= 1 and mx < tx), "Tatiana Orlova comes first, read right to left"


def test_russian_pdf_lists_names_left_to_right(client, auth, scenario, tmp_path):
    auth.login("org@karvan.example")
    text = _pdf(_page(client, scenario, "ural", "ru", ".pdf"), tmp_path, "-layout")
    assert "Татьяна Орлова" in text and "Максим Зайцев" in text and "Елена Садыкова" in text
    assert text.index("Татьяна Орлова") < text.index("Максим Зайцев"), "Tatiana Orlova comes first, read left to right"


# --- zones, lists and digits -----------------------------------------------------------------

def test_zone_phrases_read_naturally_in_russian_and_persian(client, auth, scenario):
    auth.login("org@karvan.example")
    ru = _page(client, scenario, "ural", "ru")
    assert "Время указано по Тегерану (UTC+03:30)." in ru
    assert "В скобках — время по Екатеринбургу." in ru and "В скобках: время" not in ru
    assert "(10:30–10:55 по Екатеринбургу)" in ru
    fa = _page(client, scenario, "ural", "fa")
    assert "زمان‌ها به وقت تهران است (UTC+۰۳:۳۰)." in fa
    assert "داخل پرانتز: به وقت یکاترینبورگ." in fa
    assert "(۱۰:۳۰ تا ۱۰:۵۵ به وقت یکاترینبورگ)" in fa
    en = _page(client, scenario, "ural", "en")
    assert "Times: Tehran time (UTC+03:30)." in en and "In brackets: Yekaterinburg time." in en


def test_persian_role_and_firm_use_the_persian_comma(client, auth, scenario):
    person = scenario["firms"]["toos"].participants[0]
    person.role = {"fa": "مدیرعامل", "ru": "генеральный директор", "en": "CEO"}
    db.session.commit()
    auth.login("org@karvan.example")
    html = client.get(f"/timetables/{scenario['event'].slug}/participants/{person.id}?lang=fa").get_data(as_text=True)
    assert "مدیرعامل،\u200f صنایع فولاد توس" in html and "مدیرعامل," not in html


def _descriptions(scenario, person: Participant, locale: str) -> list[str]:
    cal = Calendar.from_ical(participant_feed(person, locale, [scenario["event"]]))
    return [str(vevent["DESCRIPTION"]) for vevent in cal.walk("VEVENT")]


def test_persian_calendar_text_keeps_to_persian_digits(scenario):
    person = scenario["firms"]["ural"].participants[0]
    descriptions = _descriptions(scenario, person, "fa")
    assert descriptions
    for text in descriptions:
        assert not LATIN_DIGIT.search(text), text
        assert "به وقت تهران (UTC+۰۳:۳۰)" in text and "۱۷ آبان ۱۴۰۵" in text
        assert "، " in text and ", " not in text
    first = descriptions[0]
    assert "ساعت ۰۹:۰۰ به وقت تهران" in first and "به وقت محلی شما: ساعت ۱۰:۳۰ (یکاترینبورگ)" in first
    assert "Tatiana Orlova\u200f و Maksim Zaitsev" in first, "Latin names keep right-to-left order in plain text"
    assert "مترجم: Elena Sadykova" in first


def test_russian_calendar_text(scenario):
    person = scenario["firms"]["ural"].participants[0]
    first = _descriptions(scenario, person, "ru")[0]
    assert "в 09:00 по Тегерану (UTC+03:30)" in first
    assert "По вашему времени: 10:30 (Екатеринбург)" in first
    assert "Участники: Татьяна Орлова и Максим Зайцев" in first and "Ali Ahmadi" in first
    assert "Переводчик: Елена Садыкова" in first


# --- venue -----------------------------------------------------------------------------------

def test_venue_in_the_readers_language(client, auth, scenario):
    event = scenario["event"]
    event.exhibition = Exhibition(
        key="venue-test", title_fa="نمایشگاه آزمایشی", title_ru="Тестовая выставка", title_en="Test show",
        venue=event.venue, venue_fa="مرکز نمایشگاه‌های بین‌المللی مشهد", venue_ru="Международный выставочный центр Мешхеда",
        start_date=date(2026, 11, 8), end_date=date(2026, 11, 11))
    db.session.commit()
    person = scenario["firms"]["ural"].participants[0]
    locations = {locale: str(Calendar.from_ical(participant_feed(person, locale, [event])).walk("VEVENT")[0]["LOCATION"])
                 for locale in ("fa", "ru", "en")}
    assert locations == {"fa": "مرکز نمایشگاه‌های بین‌المللی مشهد،\u200f Hall 5،\u200f میز T01",
                         "ru": "Международный выставочный центр Мешхеда, Hall 5, Стол T01",
                         "en": "Mashhad International Exhibition Center, Hall 5, Table T01"}
    auth.login("org@karvan.example")
    tables = client.get(f"/timetables/{event.slug}/tables?lang=ru").get_data(as_text=True)
    assert "Международный выставочный центр Мешхеда" in tables and "Mashhad International" not in tables


# --- e-mail ---------------------------------------------------------------------------------

def _mail_text(scenario, firm: str) -> str:
    messages = queue_publish_notices(scenario["event"].id, scenario["version"].id, None)
    person = scenario["firms"][firm].participants[0]
    (message,) = [m for m in messages if m.participant_id == person.id and m.kind == "schedule_update"]
    parsed = email.message_from_bytes(compose(message), policy=policy.default)
    return parsed.get_body(preferencelist=("plain",)).get_content() + parsed.get_body(preferencelist=("html",)).get_content()


def test_schedule_update_mail_names_and_zones(scenario):
    ru = _mail_text(scenario, "ural")
    assert "Татьяна Орлова" in ru and "по Тегерану" in ru and "по Екатеринбургу" in ru and "Елена Садыкова" in ru
    fa = _mail_text(scenario, "toos")
    assert "علی احمدی" in fa and "به وقت تهران" in fa and "Elena Sadykova" in fa and "Елена" not in fa
    assert "UTC+۰۳:۳۰" in fa and "UTC+03:30" not in fa
    assert "(۸ نوامبر ۲۰۲۶)،\u200f ۰۹:۰۰ تا ۰۹:۲۵ به وقت تهران" in fa and "۲۰۲۶)," not in fa, "the Persian comma"

