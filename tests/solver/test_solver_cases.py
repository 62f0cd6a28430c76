"""Hand-built problems with a known optimum, infeasible problems with a reason, and the API."""
import threading

from solver import Config, Status, solve
from solver.types import Assignment as A
from solver.types import Interpreter
from solver.validate import check

from .builders import figures, meeting, person, problem

CFG = Config(time_limit_s=10, workers=2)


def solved(prob, config=CFG, **kw):
    sol = solve(prob, config, **kw)
    report = check(prob, sol)
    assert report.ok, report.violations
    return sol


def test_hole_next_to_unavailable_slot_is_not_a_hole():
    # a meets b (only s1-1 possible) and c (only s1-3 possible); a is away in s1-2
    people = [person("a", off=("s1-2",)), person("b", off=("s1-2", "s1-3")), person("c", off=("s1-1", "s1-2"))]
    prob = problem(sessions=(3,), tables=1, participants=people,
                   meetings=[meeting("ab", "a", "b", required=True), meeting("ac", "a", "c", required=True)])
    sol = solved(prob)
    assert sol.status == Status.OPTIMAL and figures(prob, sol) == (2, 0, 0)
    # the same with a present in s1-2: one unavoidable hole
    prob2 = problem(sessions=(3,), tables=1, participants=[person("a")] + people[1:],
                    meetings=prob.meetings)
    sol2 = solved(prob2)
    assert sol2.status == Status.OPTIMAL and figures(prob2, sol2) == (2, 0, 1)


def test_holes_are_avoided_when_possible():
    people = [person(x) for x in "abcde"]
    meetings = [meeting(f"a{x}", "a", x, required=True) for x in "bcde"]
    prob = problem(sessions=(8,), tables=1, participants=people, meetings=meetings)
    sol = solved(prob)
    assert sol.status == Status.OPTIMAL and sol.stats.holes == 0


def test_host_table_hosts_all_its_meetings():
    people = [person("h", table="H"), person("a"), person("b"), person("c")]
    meetings = [meeting("ha", "h", "a"), meeting("hb", "h", "b"), meeting("hc", "h", "c"), meeting("ab", "a", "b")]
    prob = problem(sessions=(3,), table_ids=["H", "T1"], participants=people, meetings=meetings)
    sol = solved(prob)
    assert sol.status == Status.OPTIMAL and sol.stats.scheduled == 4
    assert {a.table for a in sol.assignments if "h" in a.meeting} == {"H"}


def test_interpreter_availability_decides_the_slot():
    people = [person("a", langs=("fa",)), person("b", langs=("ru",))]
    interps = [Interpreter("i1", frozenset({"fa", "ru"}), frozenset({"s1-1", "s1-2"}))]
    prob = problem(sessions=(3,), tables=1, participants=people, interpreters=interps,
                   meetings=[meeting("ab", "a", "b", required=True)])
    sol = solved(prob)
    assert sol.assignments == (A("ab", "s1-3", "T1", "i1"),)


def test_one_interpreter_serves_one_meeting_per_slot():
    people = [person("a", langs=("fa",)), person("b", langs=("ru",)), person("c", langs=("fa",)),
              person("d", langs=("ru",))]
    interps = [Interpreter("i1", frozenset({"fa", "ru"})), Interpreter("i2", frozenset({"en", "ru"}))]
    meetings = [meeting("ab", "a", "b", weight=2), meeting("cd", "c", "d", weight=3)]
    prob = problem(sessions=(1,), tables=2, participants=people, interpreters=interps, meetings=meetings)
    sol = solved(prob)
    assert sol.status == Status.OPTIMAL
    assert [a.meeting for a in sol.assignments] == ["cd"] and sol.unscheduled == ("ab",)


def test_min_meetings_shortfall():
    people = [person("a", lo=3), person("b"), person("c")]
    prob = problem(sessions=(4,), tables=1, participants=people,
                   meetings=[meeting("ab", "a", "b"), meeting("ac", "a", "c")])
    sol = solved(prob)
    assert sol.status == Status.OPTIMAL
    assert (sol.stats.scheduled_weight, sol.stats.shortfall) == (2, 1)


def test_shortfall_outweighs_an_optional_meeting():
    # one slot, one table: bc (weight 1) or ab (weight 1 and removes a's shortfall)
    people = [person("a", lo=1), person("b"), person("c")]
    prob = problem(sessions=(1,), tables=1, participants=people,
                   meetings=[meeting("bc", "b", "c"), meeting("ab", "a", "b")])
    sol = solved(prob)
    assert [a.meeting for a in sol.assignments] == ["ab"]


def test_max_meetings_is_hard():
    people = [person("a", hi=1), person("b"), person("c")]
    prob = problem(sessions=(3,), tables=1, participants=people,
                   meetings=[meeting("ab", "a", "b"), meeting("ac", "a", "c", weight=2)])
    sol = solved(prob)
    assert [a.meeting for a in sol.assignments] == ["ac"]


def test_replanning_moves_one_meeting_only():
    people = [person("a"), person("b", off=("s1-2",)), person("c"), person("d")]
    meetings = [meeting("ab", "a", "b", required=True), meeting("cd", "c", "d", required=True),
                meeting("ac", "a", "c", required=True)]
    previous = [A("ab", "s1-2", "T1"), A("cd", "s1-2", "T2"), A("ac", "s1-1", "T1")]
    prob = problem(sessions=(4,), tables=2, participants=people, meetings=meetings, previous=previous)
    sol = solved(prob)
    assert sol.status == Status.OPTIMAL
    assert sol.stats.moved == 1
    kept = {a.meeting: (a.slot, a.table) for a in sol.assignments}
    assert kept["cd"] == ("s1-2", "T2") and kept["ac"] == ("s1-1", "T1")
    assert sol.stats.holes == 1  # ab can only go to s1-3 now: a waits in s1-2, cheaper than a move


def test_moves_come_before_holes():
    # keeping the previous plan costs one hole; moving would remove it: tier (b) wins
    people = [person("a"), person("b"), person("c")]
    prob = problem(sessions=(3,), tables=1, participants=people,
                   meetings=[meeting("ab", "a", "b"), meeting("ac", "a", "c")],
                   previous=[A("ab", "s1-1", "T1"), A("ac", "s1-3", "T1")])
    sol = solved(prob)
    assert (sol.stats.moved, sol.stats.holes) == (0, 1)
    sol2 = solved(prob, Config(time_limit_s=10, workers=2, minimise_moves=False))
    assert sol2.stats.holes == 0


def test_fixed_meeting_stays_put():
    people = [person("a"), person("b"), person("c")]
    meetings = [meeting("ab", "a", "b", fixed=("s1-3", "T2")), meeting("ac", "a", "c", required=True)]
    prob = problem(sessions=(3,), tables=2, participants=people, meetings=meetings)
    sol = solved(prob)
    assert A("ab", "s1-3", "T2") in sol.assignments
    assert next(a.slot for a in sol.assignments if a.meeting == "ac") == "s1-2"  # no hole for a


def test_session_restriction():
    people = [person("a"), person("b")]
    prob = problem(sessions=(2, 2), tables=1, participants=people,
                   meetings=[meeting("ab", "a", "b", required=True, sessions=["s2"])])
    sol = solved(prob)
    assert sol.assignments[0].slot.startswith("s2-")


# ------------------------------------------------------------ infeasible with a reason

def test_infeasible_participant_overloaded():
    people = [person("a"), person("b"), person("c"), person("d")]
    meetings = [meeting(f"a{x}", "a", x, required=True) for x in "bcd"]
    sol = solve(problem(sessions=(2,), tables=3, participants=people, meetings=meetings), CFG)
    assert sol.status == Status.INFEASIBLE and sol.assignments == ()
    reason = sol.stats.extra["reason"]
    assert reason["code"] == "participant_overloaded" and reason["participants"] == ["a"]
    assert set(reason["meetings"]) == {"ab", "ac", "ad"}


def test_infeasible_required_meeting_without_common_slot():
    people = [person("a", off=("s1-1",)), person("b", off=("s1-2",))]
    sol = solve(problem(sessions=(2,), tables=1, participants=people,
                        meetings=[meeting("ab", "a", "b", required=True)]), CFG)
    assert sol.status == Status.INFEASIBLE
    assert sol.stats.extra["reason"]["code"] == "meeting_cannot_fit"
    assert sol.stats.extra["reason"]["checks"][0]["detail"] == ["no_common_slot"]


def test_infeasible_no_qualified_interpreter():
    people = [person("a", langs=("fa",)), person("b", langs=("ru",))]
    prob = problem(sessions=(2,), tables=1, participants=people,
                   interpreters=[Interpreter("i1", frozenset({"fa", "en"}))],
                   meetings=[meeting("ab", "a", "b", required=True)])
    sol = solve(prob, CFG)
    assert sol.stats.extra["reason"]["checks"][0]["detail"] == ["no_qualified_interpreter"]


def test_infeasible_found_by_search():
    # a triangle of required meetings needs three slots; every count fits in two
    people = [person(x) for x in "abc"]
    meetings = [meeting("ab", "a", "b", required=True), meeting("bc", "b", "c", required=True),
                meeting("ac", "a", "c", required=True)]
    sol = solve(problem(sessions=(2,), tables=3, participants=people, meetings=meetings), CFG)
    assert sol.status == Status.INFEASIBLE
    assert sol.stats.extra["reason"]["code"] == "proven_infeasible"


def test_greedy_method_and_unknown_method():
    prob = problem(sessions=(2,), tables=1, participants=[person("a"), person("b")],
                   meetings=[meeting("ab", "a", "b")])
    assert solve(prob, method="greedy").stats.method == "greedy"
    try:
        solve(prob, method="magic")
    except ValueError as exc:
        assert "magic" in str(exc)
    else:
        raise AssertionError("unknown method accepted")


# ------------------------------------------------------------ progress, cancel, determinism

def test_progress_and_cancel():
    from solver.generate import generate
    prob = generate("M", seed=2)
    seen = []
    started = threading.Event()

    def progress(elapsed, objective, bound):
        seen.append((elapsed, objective, bound))
        started.set()

    sol = solve(prob, Config(time_limit_s=60, workers=2), on_progress=progress,
                should_stop=lambda: started.is_set())
    assert sol.stats.wall_s < 30
    assert seen and all(isinstance(x, float) for x in seen[0])
    assert sol.status in (Status.FEASIBLE, Status.UNKNOWN)
    if sol.status == Status.FEASIBLE:
        assert check(prob, sol).ok


def test_deterministic_with_one_worker():
    from solver.generate import GenParams, generate
    prob = generate(GenParams(16, 40, 1, slots_per_session=5), seed=5)
    one = Config(time_limit_s=20, workers=1, seed=3)
    a, b = solve(prob, one), solve(prob, one)
    assert a.status == b.status == Status.OPTIMAL
    assert a.assignments == b.assignments


def test_figures_of_the_best_schedule_so_far_are_reported():
    """`on_figures(scheduled, holes)`: first the first-fit start, then every better whole
    schedule; the last report is the answer's figures unless a final repair adds meetings."""
    from solver.generate import GenParams, generate
    from solver.greedy import solve_greedy
    prob = generate(GenParams(16, 40, 2, slots_per_session=5), seed=5)
    for decompose in ("never", "always"):
        seen: list[tuple[int, int]] = []
        sol = solve(prob, Config(time_limit_s=10, workers=1, seed=3, decompose=decompose),
                    on_figures=lambda scheduled, holes, seen=seen: seen.append((scheduled, holes)))
        assert sol.status in (Status.OPTIMAL, Status.FEASIBLE) and check(prob, sol).ok
        assert seen[0][0] == solve_greedy(prob).stats.scheduled
        assert all(isinstance(n, int) and isinstance(h, int) and 0 <= n <= len(prob.meetings) and h >= 0 for n, h in seen)
        assert seen[-1][0] <= sol.stats.scheduled and max(n for n, _h in seen) <= sol.stats.scheduled
        if decompose == "never":
            assert seen[-1] == (sol.stats.scheduled, sol.stats.holes)
