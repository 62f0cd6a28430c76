"""Issue 15 rules: optional pinned meetings (rule 4) and reserved tables, in every solver path."""
from dataclasses import replace

import pytest

from solver import Config, Status, solve
from solver.greedy import solve_greedy
from solver.index import prepare
from solver.precheck import precheck
from solver.types import Assignment as A
from solver.validate import check

from .builders import meeting, person, problem

PATHS = [Config(time_limit_s=10, workers=2, decompose="never"),
         Config(time_limit_s=10, workers=2, decompose="always")]


def reserve(prob, **owners):
    """`prob` with tables reserved: reserve(prob, R="h") reserves table R for participant h."""
    return replace(prob, tables=tuple(replace(t, reserved_for=owners.get(t.id)) for t in prob.tables))


def optional_pinned():
    # a may attend 2 meetings; two are fixed but optional, two are required (in the other session)
    people = [person("a", hi=2)] + [person(x) for x in "bcde"]
    meetings = [meeting("ab", "a", "b", weight=5, fixed=("s1-1", None)),
                meeting("ac", "a", "c", weight=5, fixed=("s1-2", "T1")),
                meeting("ad", "a", "d", required=True, sessions=["s2"]),
                meeting("ae", "a", "e", required=True, sessions=["s2"])]
    return problem(sessions=(2, 2), tables=1, participants=people, meetings=meetings)


def test_precheck_counts_only_required_meetings():
    assert precheck(prepare(optional_pinned())) == []


@pytest.mark.parametrize("config", PATHS, ids=["whole", "decomposed"])
def test_optional_pinned_meetings_are_left_out_when_required_ones_need_the_room(config):
    prob = optional_pinned()
    sol = solve(prob, config)
    assert sol.status.has_schedule, sol.stats.extra
    assert check(prob, sol).ok
    placed = {a.meeting for a in sol.assignments}
    assert {"ad", "ae"} <= placed and not placed & {"ab", "ac"}
    if sol.status == Status.OPTIMAL:
        assert sol.value == 2


def test_optional_pinned_meeting_happens_at_its_pin_when_it_fits():
    prob = optional_pinned()
    prob = replace(prob, participants=(person("a", hi=3),) + prob.participants[1:])
    sol = solve(prob, PATHS[0])
    assert sol.status == Status.OPTIMAL and check(prob, sol).ok
    assert sum(a.meeting in ("ab", "ac") for a in sol.assignments) == 1
    for a in sol.assignments:
        if a.meeting == "ac":
            assert (a.slot, a.table) == ("s1-2", "T1")


def test_greedy_leaves_optional_pinned_meetings_out_without_failing():
    prob = optional_pinned()
    sol = solve_greedy(prob)
    assert check(prob, sol).ok
    assert sol.status == Status.FEASIBLE or "unplaced_required" not in sol.stats.extra


# ------------------------------------------------------------ reserved tables

def stand_problem(sessions=(3,)):
    """h owns stand R; T1 is the only general table; three guests want to meet each other."""
    people = [person("h"), person("a"), person("b"), person("c"), person("d")]
    meetings = [meeting("ha", "h", "a", weight=2), meeting("hb", "h", "b", weight=2),
                meeting("ab", "a", "b"), meeting("cd", "c", "d"), meeting("bc", "b", "c")]
    return reserve(problem(sessions=sessions, table_ids=["T1", "R"], participants=people, meetings=meetings), R="h")


@pytest.mark.parametrize("config", PATHS, ids=["whole", "decomposed"])
def test_reserved_table_takes_only_its_owners_meetings(config):
    prob = stand_problem(sessions=(2, 2))
    sol = solve(prob, config)
    report = check(prob, sol)
    assert report.ok, report.violations
    assert all(a.table != "R" or a.meeting.startswith("h") for a in sol.assignments)
    if sol.status == Status.OPTIMAL:
        # owner's meetings at R or T1 and three guest meetings at T1 (4 slots): all five fit
        assert sol.stats.scheduled == 5


def test_without_reserved_for_a_host_table_is_ordinary_capacity():
    people = [person("h", table="H"), person("a"), person("b"), person("c"), person("d")]
    meetings = [meeting("ab", "a", "b", required=True), meeting("cd", "c", "d", required=True)]
    prob = problem(sessions=(1,), table_ids=["T1", "H"], participants=people, meetings=meetings)
    sol = solve(prob, PATHS[0])
    assert sol.status == Status.OPTIMAL and check(prob, sol).ok  # one of them sits at H
    reserved = reserve(prob, H="h")
    sol = solve(reserved, PATHS[0])
    assert sol.status == Status.INFEASIBLE
    assert "tables_insufficient" in {c["code"] for c in sol.stats.extra["reason"]["checks"]}


def test_greedy_keeps_guests_off_reserved_tables():
    prob = stand_problem()
    sol = solve_greedy(prob)
    assert check(prob, sol).ok
    assert all(a.table == "T1" for a in sol.assignments if not a.meeting.startswith("h"))


def test_meeting_pinned_to_someone_elses_stand_cannot_fit():
    prob = reserve(problem(sessions=(2,), table_ids=["T1", "R"], participants=[person("h"), person("a"), person("b")],
                           meetings=[meeting("ab", "a", "b", required=True, fixed=(None, "R"))]), R="h")
    sol = solve(prob, PATHS[0])
    assert sol.status == Status.INFEASIBLE
    assert sol.stats.extra["reason"]["checks"][0]["detail"] == ["table_reserved"]


def test_previous_guest_at_a_now_reserved_table_is_moved_off_it():
    prob = replace(stand_problem(), previous=(A("ab", "s1-1", "R"), A("ha", "s1-2", "R")))
    sol = solve(prob, PATHS[0])
    assert sol.status == Status.OPTIMAL and check(prob, sol).ok
    assert sol.stats.moved == 1  # ab had to leave R; ha stays
