"""b2b-instance/1 and b2b-solution/1: round trips and strict rejection of bad input."""
import copy
import json

import pytest

from solver import Status
from solver.generate import generate
from solver.io import InstanceError, load_problem, problem_from_dict, problem_to_dict, solution_from_dict, solution_to_dict
from solver.types import Assignment, Solution, Stats

GOOD = {
    "format": "b2b-instance/1",
    "sessions": [{"id": "d1-am", "slots": ["d1-01", "d1-02", "d1-03"]}],
    "slots": [{"id": "d1-01", "start": "2026-11-08T09:00:00+03:30", "end": "2026-11-08T09:30:00+03:30"},
              {"id": "d1-02", "start": "2026-11-08T09:30:00+03:30", "end": "2026-11-08T10:00:00+03:30"},
              {"id": "d1-03", "start": "2026-11-08T10:00:00+03:30", "end": "2026-11-08T10:30:00+03:30"}],
    "tables": [{"id": "T01"}],
    "participants": [{"id": "p1", "unavailable": ["d1-03"], "languages": ["fa"],
                      "min_meetings": 0, "max_meetings": None, "table": None},
                     {"id": "p2", "languages": ["fa", "ru"]}],
    "interpreters": [{"id": "i1", "languages": ["fa", "ru"], "unavailable": []}],
    "meetings": [{"id": "m1", "participants": ["p1", "p2"], "weight": 1, "required": True,
                  "sessions": None, "fixed": None}],
    "previous": [{"meeting": "m1", "slot": "d1-01", "table": "T01"}],
}


def test_design_example_parses_with_defaults():
    prob = problem_from_dict(GOOD)
    assert prob.participants[1].min_meetings == 0 and prob.participants[1].max_meetings is None
    assert prob.meetings[0].required is True
    assert prob.previous[0] == Assignment("m1", "d1-01", "T01", None)
    assert all(s.start.tzinfo is not None for s in prob.slots)


def test_round_trip_of_generated_instance():
    prob = generate("S", seed=4)
    again = problem_from_dict(json.loads(json.dumps(problem_to_dict(prob))))
    assert again == prob


def test_solution_round_trip():
    sol = Solution(Status.FEASIBLE, (Assignment("m1", "d1-01", "T01", "i1"),), (),
                   Stats(wall_s=0.5, scheduled=1, scheduled_weight=1, extra={"reason": {"code": "x"}}))
    data = json.loads(json.dumps(solution_to_dict(sol)))
    assert data["stats"]["reason"] == {"code": "x"}
    assert solution_from_dict(data) == sol


def broken(path, value):
    data = copy.deepcopy(GOOD)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    elif isinstance(target, list) and path[-1] == len(target):
        target.append(value)
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize("path, value, message", [
    (("meetings", 0, "participants", 1), "p99", "meetings[0].participants[1]: unknown participant 'p99'"),
    (("meetings", 0, "participants"), ["p1"], "meetings[0].participants: a meeting needs at least two"),
    (("meetings", 0, "participants"), ["p1", "p1"], "meetings[0].participants[1]: duplicate participant"),
    (("participants", 1, "id"), "p1", "participants[1].id: duplicate participant id 'p1'"),
    (("slots", 0, "start"), "09:00 tomorrow", "slots[0].start: malformed ISO 8601 time"),
    (("slots", 0, "start"), "2026-11-08T09:00:00", "slots[0].start: time '2026-11-08T09:00:00' has no UTC"),
    (("slots", 0, "end"), "2026-11-08T08:00:00+03:30", "slots[0].end: slot ends before it starts"),
    (("sessions", 1), {"id": "d1-pm", "slots": ["d1-02"]}, "sessions[1].slots[0]: slot 'd1-02' is already"),
    (("participants", 0, "unavailable", 0), "d9-99", "participants[0].unavailable[0]: unknown slot 'd9-99'"),
    (("participants", 0, "table"), "T99", "participants[0].table: unknown table 'T99'"),
    (("participants", 0, "min_meetings"), -1, "participants[0].min_meetings: must be at least 0"),
    (("meetings", 0, "weight"), "1", "meetings[0].weight: expected an integer"),
    (("meetings", 0, "required"), 1, "meetings[0].required: expected true or false"),
    (("meetings", 0, "sessions"), ["nope"], "meetings[0].sessions[0]: unknown session 'nope'"),
    (("meetings", 0, "fixed"), {"slot": "d1-09"}, "meetings[0].fixed.slot: unknown slot 'd1-09'"),
    (("meetings", 0, "requried"), True, "meetings[0].requried: unknown key"),
    (("previous", 0, "meeting"), "m7", "previous[0].meeting: unknown meeting 'm7'"),
    (("format",), "b2b-instance/2", "format: expected 'b2b-instance/1'"),
    (("tables",), KeyError, "tables: missing"),
    (("interpreters", 0, "languages"), "fa", "interpreters[0].languages: expected a list"),
])
def test_bad_input_names_the_path(path, value, message):
    with pytest.raises(InstanceError) as err:
        problem_from_dict(broken(path, value))
    assert str(err.value).startswith(message)


def test_slot_in_no_session_is_rejected():
    data = copy.deepcopy(GOOD)
    data["sessions"][0]["slots"] = ["d1-01", "d1-02"]
    with pytest.raises(InstanceError, match=r"^slots\[2\]: slot 'd1-03' is in no session"):
        problem_from_dict(data)


def test_load_problem_reports_invalid_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InstanceError, match="invalid JSON at line 1"):
        load_problem(path)


def test_solution_with_unknown_status_is_rejected():
    with pytest.raises(InstanceError, match="^status: unknown status 'DONE'"):
        solution_from_dict({"format": "b2b-solution/1", "status": "DONE", "assignments": []})


def test_solution_ids_checked_against_problem():
    prob = problem_from_dict(GOOD)
    data = {"format": "b2b-solution/1", "status": "FEASIBLE",
            "assignments": [{"meeting": "m1", "slot": "d1-01", "table": "T09", "interpreter": None}]}
    with pytest.raises(InstanceError, match=r"^assignments\[0\]\.table: unknown table 'T09'"):
        solution_from_dict(data, prob)


def test_name_and_meta_are_accepted_and_ignored():
    data = dict(copy.deepcopy(GOOD), name="Mashhad–Chelyabinsk round 2", meta={"exporter": "karvan", "v": 3})
    assert problem_from_dict(data) == problem_from_dict(GOOD)


@pytest.mark.parametrize("key, value, message", [
    ("name", 7, "name: expected a non-empty string"),
    ("meta", "x", "meta: expected an object"),
    ("nmae", "typo", "nmae: unknown key"),
])
def test_top_level_typos_and_bad_labels_are_refused(key, value, message):
    with pytest.raises(InstanceError) as err:
        problem_from_dict(dict(copy.deepcopy(GOOD), **{key: value}))
    assert str(err.value).startswith(message)


def test_reserved_for_round_trip_and_checks():
    data = copy.deepcopy(GOOD)
    data["tables"] = [{"id": "T01"}, {"id": "H1", "reserved_for": "p2"}]
    prob = problem_from_dict(data)
    assert prob.tables[1].reserved_for == "p2" and prob.tables[0].reserved_for is None
    out = problem_to_dict(prob)
    assert out["tables"] == [{"id": "T01"}, {"id": "H1", "reserved_for": "p2"}]  # absent key: today's meaning
    assert problem_from_dict(out) == prob
    data["tables"][1]["reserved_for"] = "p9"
    with pytest.raises(InstanceError, match=r"^tables\[1\]\.reserved_for: unknown participant 'p9'"):
        problem_from_dict(data)
    data["tables"][1] = {"id": "H1", "reserved": "p2"}
    with pytest.raises(InstanceError, match=r"^tables\[1\]\.reserved: unknown key"):
        problem_from_dict(data)
