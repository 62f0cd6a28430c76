"""`flask solve|publish|export-schedule EVENT`: the export passes `python -m solver check`."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from planner.extensions import db
from planner.models import ScheduleVersion
from planner.scheduling.versions import published_version
from tests.scheduling_factories import make_round

ROOT = Path(__file__).resolve().parents[2]


def test_solve_publish_export_and_check(app, runner, tmp_path):
    r = make_round()
    event = r["event"]
    participant_ids = {p.id for firm in r["firms"].values() for p in firm.participants}
    db.session.commit()

    result = runner.invoke(args=["solve", event.slug, "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    assert "4 meetings scheduled" in result.output
    assert db.session.scalar(db.select(ScheduleVersion.status)) == "draft"

    result = runner.invoke(args=["publish", str(event.id)])
    assert result.exit_code == 0, result.output
    assert "4 added" in result.output
    db.session.expire_all()
    assert published_version(event) is not None

    result = runner.invoke(args=["export-schedule", event.slug, str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    instance = json.loads((tmp_path / "out" / "instance.json").read_text())
    solution = json.loads((tmp_path / "out" / "solution.json").read_text())
    assert instance["format"] == "b2b-instance/1" and solution["format"] == "b2b-solution/1"
    assert {p["id"] for p in instance["participants"]} == {f"p{i}" for i in participant_ids}
    assert len(solution["assignments"]) == 4
    check = subprocess.run([sys.executable, "-m", "solver", "check", str(tmp_path / "out" / "instance.json"),
                            str(tmp_path / "out" / "solution.json")], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "VIOLATION" not in check.stdout


def test_cli_errors(app, runner, tmp_path):
    r = make_round()
    db.session.commit()
    assert runner.invoke(args=["solve", "no-such-event"]).exit_code == 2
    result = runner.invoke(args=["publish", r["event"].slug])
    assert result.exit_code == 1 and "no draft" in result.output
    result = runner.invoke(args=["export-schedule", r["event"].slug, str(tmp_path)])
    assert result.exit_code == 1 and "no published schedule" in result.output
