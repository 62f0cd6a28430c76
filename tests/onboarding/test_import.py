"""Bulk import of firms, people, days, delegation membership and wishes (.xlsx and legacy-code-page
.csv), its preview, re-import, export round trip, and the acceptance run through the CLI."""
from __future__ import annotations

import json
import subprocess
import sys

from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Delegation, Event, Firm, MeetingRequest, OutgoingMessage, Participant, User
from planner.models.enums import MailKind, RequestStatus
from tests.onboarding.files import GUESTS, HOSTS, WISHES, csv_bytes, xlsx_bytes


def _counts():
    return (db.session.scalar(select(func.count()).select_from(Firm)),
            db.session.scalar(select(func.count()).select_from(Participant)),
            db.session.scalar(select(func.count()).select_from(MeetingRequest)))


def test_acceptance_clone_import_solve_check(demo_app, runner, tmp_path):
    assert runner.invoke(args=["clone-event", "demo", "winter-b2b", "--exhibition", "energy-1405"]).exit_code == 0
    # hosts in an .xlsx with a meetings sheet; guests in a Windows-1251 CSV with ';' and Russian headers
    (tmp_path / "hosts.xlsx").write_bytes(xlsx_bytes(HOSTS + GUESTS[:1], WISHES[:1]))
    (tmp_path / "guests.csv").write_bytes(csv_bytes(GUESTS[1:], encoding="cp1251", delimiter=";", locale="ru"))
    (tmp_path / "all.xlsx").write_bytes(xlsx_bytes(HOSTS + GUESTS, WISHES))
    for name in ("hosts.xlsx", "guests.csv", "all.xlsx"):
        result = runner.invoke(args=["import-firms", str(tmp_path / name), "--event", "winter-b2b",
                                     "--delegation", "chelyabinsk-2027"])
        assert result.exit_code == 0, result.output
    event = db.session.scalar(select(Event).where(Event.slug == "winter-b2b"))
    delegation = db.session.scalar(select(Delegation).where(Delegation.key == "chelyabinsk-2027"))
    assert delegation.region.key == "chelyabinsk" and delegation.attends(event.id)
    assert sorted(p.email for p in delegation.members) == ["petrov@uralvalve.ru", "smirnova@chelmetal.ru"]
    reza = db.session.scalar(select(Participant).where(Participant.email == "reza@toospump.ir"))
    assert reza.last_name == "کریمی" and reza.phone == "09151234567"  # Arabic kaf/yeh, Persian digits
    assert reza.attending_days(event.id) == ["2026-12-28", "2026-12-29"]  # Jalali 1405/10/07-08
    olga = db.session.scalar(select(Participant).where(Participant.email == "smirnova@chelmetal.ru"))
    assert olga.first_name == "Ольга" and olga.firm.city == "Челябинск"
    wishes = db.session.scalars(select(MeetingRequest).where(MeetingRequest.event_id == event.id)).all()
    assert len(wishes) == 3 and {w.status for w in wishes} == {RequestStatus.ACCEPTED}
    invitations = db.session.scalars(select(OutgoingMessage).where(OutgoingMessage.kind == MailKind.ACCOUNT_INVITATION)).all()
    assert {m.recipient: m.locale for m in invitations}["petrov@uralvalve.ru"] == "ru"
    assert {m.recipient: m.locale for m in invitations}["reza@toospump.ir"] == "fa" and len(invitations) == 5
    assert db.session.scalar(select(User).where(User.email == "ali@razavisteel.ir")).firm.key == "razavi-steel"

    result = runner.invoke(args=["solve", "winter-b2b", "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["publish", "winter-b2b"]).exit_code == 0
    result = runner.invoke(args=["export-schedule", "winter-b2b", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    solution = json.loads((tmp_path / "out" / "solution.json").read_text())
    # every imported wish is placed (the round has room for all three)
    assert {f"m{w.id}" for w in wishes} <= {a["meeting"] for a in solution["assignments"]}
    check = subprocess.run([sys.executable, "-m", "solver", "check", str(tmp_path / "out" / "instance.json"),
                            str(tmp_path / "out" / "solution.json")], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr


def test_reimport_changes_nothing_and_export_round_trips(demo_app, runner, tmp_path):
    assert runner.invoke(args=["clone-event", "demo", "winter-b2b", "--exhibition", "energy-1405"]).exit_code == 0
    (tmp_path / "all.xlsx").write_bytes(xlsx_bytes(HOSTS + GUESTS, WISHES))
    assert runner.invoke(args=["import-firms", str(tmp_path / "all.xlsx"), "--event", "winter-b2b"]).exit_code == 0
    before = _counts()
    again = runner.invoke(args=["import-firms", str(tmp_path / "all.xlsx"), "--event", "winter-b2b"])
    assert "firms: 0 new, 0 updated, 4 unchanged" in again.output and "people: 0 new, 0 updated, 5 unchanged" in again.output
    assert _counts() == before
    for name in ("export.xlsx", "export.csv"):
        assert runner.invoke(args=["export-firms", str(tmp_path / name), "--event", "winter-b2b"]).exit_code == 0
        result = runner.invoke(args=["import-firms", str(tmp_path / name), "--event", "winter-b2b", "--dry-run"])
        assert result.exit_code == 0, result.output
        assert " 0 new, 0 updated" in result.output.splitlines()[0] and "people: 0 new, 0 updated" in result.output


def test_bad_rows_are_listed_by_line_and_column_and_nothing_is_written(demo_app, runner, tmp_path):
    bad = [list(row) for row in HOSTS + GUESTS]
    bad[0][3] = "Atlantis"            # line 2: region
    bad[2][7] = "HS:0000 ISIC:29"   # line 4: offers (no such HS code)
    bad[3][13] = "not-an-email"       # line 5: email
    bad[4][17] = "2026-01-05"         # line 6: not a day of the round
    (tmp_path / "bad.xlsx").write_bytes(xlsx_bytes(bad, [["ural-valve", "nobody", "must"]]))
    assert runner.invoke(args=["clone-event", "demo", "winter-b2b", "--exhibition", "energy-1405"]).exit_code == 0
    before = _counts()
    result = runner.invoke(args=["import-firms", str(tmp_path / "bad.xlsx"), "--event", "winter-b2b"])
    assert result.exit_code == 1
    for where in ("line 2, column region", "line 4, column offers", "line 5, column email", "line 6, column attending_days"):
        assert where in result.output, result.output
    assert _counts() == before
