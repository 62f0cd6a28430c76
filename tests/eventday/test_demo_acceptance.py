"""The acceptance scenario on the published demo round: no-show, backfill, publish, then the
schedule passes `python -m solver check`, P has no meeting on 9 Nov, every meeting before the
instant is kept exactly, and a freed partner gets a new meeting; then the chamber's report."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import select

from planner.extensions import db
from planner.models import Event
from planner.scheduling.versions import published_version
from planner.text.i18n import _

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 9)


def test_no_show_backfill_publish_on_the_demo_then_the_report(demo_app, runner, tmp_path):
    event = db.session.scalar(select(Event).where(Event.slug == "demo"))
    zone = ZoneInfo(event.timezone)
    before = published_version(event)
    on_day = [m for m in before.meetings if m.slot.start_dt.astimezone(zone).date() == DAY]
    # P: a person who is their firm's only one (so their partners are freed) with meetings that day.
    counts = Counter(p.id for m in on_day for p in m.participants)
    person = next(p for m in on_day for p in m.participants if len(p.firm.participants) == 1 and counts[p.id])
    start = datetime(2026, 11, 9, 9, 0, tzinfo=zone)
    kept = {m.request_id: (m.slot_id, m.table_id, m.interpreter_id) for m in before.meetings if m.slot.start_dt < start}
    partners = {f.id for m in on_day if person in m.participants for f in (m.request.requester_firm, m.request.target_firm)} - {person.firm_id}

    for args in (["no-show", "demo", str(person.id), "--day", DAY.isoformat()],
                 ["backfill", "demo", "--from", "2026-11-09T09:00+03:30", "--time-limit", "5"], ["publish", "demo"],
                 ["export-schedule", "demo", str(tmp_path / "out")]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, (args, result.output)
    check = subprocess.run([sys.executable, "-m", "solver", "check", str(tmp_path / "out" / "instance.json"),
                            str(tmp_path / "out" / "solution.json")], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout

    db.session.expire_all()
    after = published_version(event)
    assert after.number > before.number
    assert not [m for m in after.meetings if m.slot.start_dt.astimezone(zone).date() == DAY
                and person.id in {p.id for p in m.participants}]
    placed = {m.request_id: (m.slot_id, m.table_id, m.interpreter_id) for m in after.meetings}
    assert all(placed.get(rid) == where for rid, where in kept.items())
    new = [m for m in after.meetings if m.request_id not in {b.request_id for b in before.meetings}]
    assert any({m.request.requester_firm_id, m.request.target_firm_id} & partners for m in new)

    for name in ("report.xlsx", "report.pdf"):
        result = runner.invoke(args=["export-report", "demo", str(tmp_path / name), "--lang", "fa"])
        assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "report.xlsx")
    assert book.sheetnames == ["خلاصه", "شرکت‌ها", "درخواست‌ها", "ملاقات‌ها", "نتیجه‌ها", "نظرسنجی"]
    meetings = book.worksheets[3]
    assert meetings.max_row - 1 == len(after.meetings)
    assert isinstance(meetings["A2"].value, int) and isinstance(meetings["B2"].value, datetime)
    assert isinstance(book.worksheets[0]["B3"].value, (datetime, date))
    text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    flat = _plain(text)
    for title in ("Interpreter load", "Meetings per day", "Follow-ups agreed"):  # the Persian chart titles
        with force_locale("fa"):
            assert _plain(str(_(title))).replace("لا", "ال") in flat, title


def _plain(text: str) -> str:
    """Text as pdftotext gives Persian back: no ZWNJ, no bidi embedding marks; it also writes the
    lam-alef ligature as alef-lam, which the caller applies to the expected text."""
    return "".join(char for char in text if char != "\u200c" and not "\u202a" <= char <= "\u202e")
