"""python -m solver generate | solve | check, exit codes and malformed input."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "solver", *args], cwd=ROOT, capture_output=True,
                          text=True, input=stdin, timeout=120)


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "s.json"
    done = run("generate", "--size", "S", "--seed", "7")
    assert done.returncode == 0, done.stderr
    path.write_text(done.stdout, encoding="utf-8")
    return path


@pytest.mark.parametrize("method", ["cp-sat", "greedy"])
def test_generate_solve_check_round_trip(instance, tmp_path, method):
    done = run("solve", str(instance), "--time-limit", "5", "--workers", "2", "--seed", "1", "--method", method)
    assert done.returncode == 0, done.stderr
    sol = json.loads(done.stdout)
    assert sol["format"] == "b2b-solution/1" and sol["status"] in ("OPTIMAL", "FEASIBLE")
    assert sol["stats"]["method"] == method
    path = tmp_path / "sol.json"
    path.write_text(done.stdout, encoding="utf-8")
    checked = run("check", str(instance), str(path))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"scheduled: {sol['stats']['scheduled']}" in checked.stdout
    assert checked.stdout.strip().endswith("ok")


def test_check_exits_1_on_violation(instance, tmp_path):
    data = json.loads(instance.read_text(encoding="utf-8"))
    m = data["meetings"][0]
    bad = {"format": "b2b-solution/1", "status": "FEASIBLE", "assignments": [
        {"meeting": m["id"], "slot": data["slots"][0]["id"], "table": data["tables"][0]["id"], "interpreter": None},
        {"meeting": data["meetings"][1]["id"], "slot": data["slots"][0]["id"], "table": data["tables"][0]["id"],
         "interpreter": None}]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    done = run("check", str(instance), str(path))
    assert done.returncode == 1
    assert "VIOLATION table_double_booked" in done.stdout


def test_bad_instance_exits_2(tmp_path, instance):
    data = json.loads(instance.read_text(encoding="utf-8"))
    data["meetings"][3]["participants"][1] = "p99"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = run("solve", str(path))
    assert done.returncode == 2
    assert "meetings[3].participants[1]: unknown participant 'p99'" in done.stderr
    assert done.stdout == ""
    assert run("solve", str(tmp_path / "missing.json")).returncode == 2
    assert run("check", str(instance), str(path)).returncode == 2
    assert run("solve").returncode == 2
    assert run("generate", "--size", "S", "--days", "0").returncode == 2


def test_infeasible_instance_exits_0_with_reason(tmp_path):
    inst = {"format": "b2b-instance/1",
            "sessions": [{"id": "d1", "slots": ["d1-01"]}],
            "slots": [{"id": "d1-01", "start": "2026-11-08T09:00:00+03:30", "end": "2026-11-08T09:30:00+03:30"}],
            "tables": [{"id": "T1"}],
            "participants": [{"id": x, "languages": ["fa"]} for x in "abc"],
            "meetings": [{"id": "ab", "participants": ["a", "b"], "required": True},
                         {"id": "ac", "participants": ["a", "c"], "required": True}]}
    path = tmp_path / "inf.json"
    path.write_text(json.dumps(inst), encoding="utf-8")
    done = run("solve", str(path), "--time-limit", "2")
    assert done.returncode == 0
    sol = json.loads(done.stdout)
    assert sol["status"] == "INFEASIBLE" and sol["assignments"] == []
    codes = {c["code"] for c in sol["stats"]["reason"]["checks"]}
    assert "participant_overloaded" in codes
    assert "a" in sol["stats"]["reason"]["participants"]


def test_participant_without_language_is_named(tmp_path):
    inst = {"format": "b2b-instance/1", "sessions": [{"id": "d1", "slots": ["d1-01"]}],
            "slots": [{"id": "d1-01", "start": "2026-11-08T09:00:00Z", "end": "2026-11-08T09:30:00Z"}],
            "tables": [{"id": "T1"}], "participants": [{"id": "a", "languages": ["fa"]}, {"id": "b"}],
            "meetings": [{"id": "ab", "participants": ["a", "b"], "required": True}]}
    path = tmp_path / "nolang.json"
    path.write_text(json.dumps(inst), encoding="utf-8")
    sol = json.loads(run("solve", str(path)).stdout)
    assert sol["status"] == "INFEASIBLE"
    assert sol["stats"]["reason"]["checks"][0]["detail"] == ["participant_without_language"]


def test_generate_explicit_counts_and_variant():
    done = run("generate", "--participants", "12", "--meetings", "20", "--days", "1", "--seed", "3",
               "--variant", "interpreter")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert len(data["participants"]) == 12 and len(data["meetings"]) == 20


def test_check_reports_a_guest_meeting_at_a_reserved_table(tmp_path):
    inst = {"format": "b2b-instance/1", "name": "stand test", "meta": {"source": "test"},
            "sessions": [{"id": "d1", "slots": ["d1-01"]}],
            "slots": [{"id": "d1-01", "start": "2026-11-08T09:00:00Z", "end": "2026-11-08T09:30:00Z"}],
            "tables": [{"id": "T1"}, {"id": "H1", "reserved_for": "h"}],
            "participants": [{"id": x, "languages": ["fa"]} for x in ("h", "a", "b")],
            "meetings": [{"id": "ab", "participants": ["a", "b"]}]}
    sol = {"format": "b2b-solution/1", "status": "FEASIBLE",
           "assignments": [{"meeting": "ab", "slot": "d1-01", "table": "H1", "interpreter": None}]}
    (tmp_path / "i.json").write_text(json.dumps(inst), encoding="utf-8")
    (tmp_path / "s.json").write_text(json.dumps(sol), encoding="utf-8")
    done = run("check", str(tmp_path / "i.json"), str(tmp_path / "s.json"))
    assert done.returncode == 1
    assert "VIOLATION table_reserved" in done.stdout and "'H1'" in done.stdout
    solved = run("solve", str(tmp_path / "i.json"), "--time-limit", "2")
    assert solved.returncode == 0, solved.stderr
    assert [a["table"] for a in json.loads(solved.stdout)["assignments"]] == ["T1"]
