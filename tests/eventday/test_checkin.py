"""Check-in: the pass on the timetable decodes to a check-in at the desk; typed codes in any
digits, name search in any script, idempotent check-in, the helper role, the CLI."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from planner.eventday.attendance import check_in, fold, search_people
from planner.eventday.passes import checkin_code, find_by_code
from planner.extensions import db
from planner.models import DayPresence
from planner.models.enums import AttendanceStatus
from planner.text.i18n import persian_digits
from tests.eventday.helpers import decode_qr, scenario

DAY = date(2026, 11, 8)


def _attendance(person) -> list[DayPresence]:
    return list(db.session.scalars(select(DayPresence).where(DayPresence.participant_id == person.id)))


def test_qr_on_the_timetable_decodes_to_a_check_in_at_the_desk(client, auth):
    data = scenario()
    event, person = data["event"], data["firms"]["ural"].participants[0]
    auth.login("ural@firm.example")
    page = client.get(f"/timetables/{event.slug}/participants/{person.id}?lang=fa")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    code = decode_qr(html)
    assert code == checkin_code(event, person) and code.isdigit() and len(code) == 12
    assert persian_digits(code[:4]) in html  # the grouped code in the reader's digits
    assert person.email not in code and str(person.id) != code

    auth.logout()
    auth.login("helper@karvan.example")
    answer = client.post(f"/day/{event.slug}/desk/check-in?day={DAY.isoformat()}", data={"code": code})
    assert answer.status_code == 302 and f"/desk/people/{person.id}" in answer.headers["Location"]
    card = client.get(answer.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "checked in at" in card and data["firms"]["ural"].name_latin in card
    rows = _attendance(person)
    assert [(r.day, r.status) for r in rows] == [(DAY, AttendanceStatus.PRESENT)]


def test_pdf_timetable_carries_the_pass(client, auth):
    import subprocess

    data = scenario()
    event, person = data["event"], data["firms"]["toos"].participants[0]
    auth.login("toos@firm.example")
    pdf = client.get(f"/timetables/{event.slug}/participants/{person.id}.pdf?lang=en").data
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    code = checkin_code(event, person)
    assert "Check-in pass" in text and f"{code[:4]} {code[4:8]} {code[8:]}" in text


def test_typed_codes_in_persian_digits_and_double_submits_give_one_row(client, auth):
    data = scenario()
    event, person = data["event"], data["firms"]["zlat"].participants[0]
    code = checkin_code(event, person)
    assert find_by_code(event, persian_digits(f"{code[:4]}-{code[4:]}")).id == person.id
    assert find_by_code(event, "000000000000") is None or find_by_code(event, "000000000000").id != person.id
    auth.login("helper@karvan.example")
    for _ in range(2):
        client.post(f"/day/{event.slug}/desk/check-in?day={DAY.isoformat()}", data={"code": persian_digits(code)})
    assert len(_attendance(person)) == 1
    wrong = client.post(f"/day/{event.slug}/desk/check-in?day={DAY.isoformat()}&lang=en", data={"code": "12"},
                        follow_redirects=True)
    assert wrong.status_code == 200 and "No pass of this round has this code" in wrong.get_data(as_text=True)


def test_name_search_in_any_script(app):
    data = scenario()
    event = data["event"]
    toos = data["firms"]["toos"]
    toos.participants[0].first_name, toos.participants[0].last_name = "علی", "کریمی"
    toos.participants[0].first_name_latin, toos.participants[0].last_name_latin = "Ali", "Karimi"
    db.session.flush()
    assert fold("كريمي") == fold("کریمی")
    for query in ("كريمي", "karimi", "KARIMI ali", "Toos Steel"):
        assert toos.participants[0] in search_people(event, query), query
    assert search_people(event, "Уралтрубсталь")[0].firm_id == data["firms"]["ural"].id
    assert search_people(event, "nobody-like-this") == []


def test_desk_is_for_organisers_and_helpers_only(client, auth):
    data = scenario()
    event = data["event"]
    auth.login("toos@firm.example")
    assert client.get(f"/day/{event.slug}/desk").status_code == 403
    auth.logout()
    auth.login("helper@karvan.example")
    desk = client.get(f"/day/{event.slug}/desk?day={DAY.isoformat()}&lang=ru")
    assert desk.status_code == 200 and "Стойка регистрации" in desk.get_data(as_text=True)
    assert client.get(f"/statistics/{event.slug}").status_code == 403
    assert client.get(f"/day/{event.slug}/backfill").status_code == 403
    person = data["firms"]["ural"].participants[0]
    assert client.post(f"/day/{event.slug}/people/{person.id}/absent?day={DAY.isoformat()}").status_code == 403


def test_late_people_are_flagged_and_firms_report_their_own_absence(client, auth):
    from planner.eventday.attendance import desk_day

    data = scenario()
    event, slots = data["event"], data["slots"]
    early = desk_day(event, DAY, now=slots[0].start_dt.replace(hour=0))
    assert not early.flagged
    late = desk_day(event, DAY, now=slots[0].start_dt)
    assert {p.participant.id for p in late.flagged} >= {data["firms"]["ural"].participants[0].id}
    check_in(event, data["firms"]["ural"].participants[0], DAY)
    assert data["firms"]["ural"].participants[0].id not in {p.participant.id for p in desk_day(event, DAY, now=slots[0].start_dt).flagged}
    person = data["firms"]["zlat"].participants[0]
    auth.login("zlat@firm.example")
    client.post(f"/day/{event.slug}/people/{person.id}/absent?day={DAY.isoformat()}")
    assert [r.status for r in _attendance(person)] == [AttendanceStatus.ABSENT]


def test_cli_check_in(runner):
    data = scenario()
    person = data["firms"]["sahand"].participants[0]
    result = runner.invoke(args=["check-in", data["event"].slug, str(person.id), "--day", DAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(DayPresence).where(
        DayPresence.participant_id == person.id, DayPresence.status == AttendanceStatus.PRESENT)) == 1
    bad = runner.invoke(args=["check-in", data["event"].slug, str(person.id), "--day", "2026-12-01"])
    assert bad.exit_code == 1 and "not one of the round's days" in bad.output
