"""solver.validate: every hard rule has a stable code; figures follow DESIGN.md."""
import pytest

from solver import Status
from solver.types import Assignment as A
from solver.types import Interpreter, Solution
from solver.validate import check

from .builders import meeting, person, problem


def base(**kw):
    people = kw.pop("participants", (person("a", langs=("fa",)), person("b", langs=("ru",)),
                                     person("c", langs=("fa",), off=("s1-3",)),
                                     person("h", langs=("fa",), table="H", hi=1)))
    meetings = kw.pop("meetings", (meeting("ab", "a", "b"), meeting("ac", "a", "c", required=True),
                                   meeting("bc", "b", "c", sessions=["s2"]),
                                   meeting("ah", "a", "h", fixed=("s1-1", None)),
                                   meeting("ch", "c", "h")))
    interps = kw.pop("interpreters", (Interpreter("i1", frozenset({"fa", "ru"}), frozenset({"s1-4"})),
                                      Interpreter("i2", frozenset({"fa", "en"}))))
    return problem(sessions=(4, 2), table_ids=["T1", "T2", "H"], participants=people, meetings=meetings,
                   interpreters=interps, **kw)


@pytest.mark.parametrize("assignments, code", [
    ([A("zz", "s1-1", "T1")], "unknown_meeting"),
    ([A("ac", "s9-1", "T1")], "unknown_slot"),
    ([A("ac", "s1-1", "T9")], "unknown_table"),
    ([A("ab", "s1-1", "T1", "i9")], "unknown_interpreter"),
    ([A("ac", "s1-1", "T1"), A("ac", "s1-2", "T1")], "meeting_assigned_twice"),
    ([A("ac", "s1-2", "T1"), A("ab", "s1-2", "T1", "i1")], "table_double_booked"),
    ([A("ac", "s1-2", "T1"), A("ab", "s1-2", "T2", "i1")], "participant_double_booked"),
    ([A("ac", "s1-3", "T1")], "participant_unavailable"),
    ([A("bc", "s1-2", "T1", "i1")], "session_not_allowed"),
    ([A("ah", "s1-2", "H")], "fixed_slot_moved"),
    ([A("ah", "s1-1", "T1")], "host_table_violated"),
    ([A("ab", "s1-2", "T1")], "interpreter_missing"),
    ([A("ab", "s1-2", "T1", "i2")], "interpreter_unqualified"),
    ([A("ab", "s1-4", "T1", "i1")], "interpreter_unavailable"),
    ([A("ab", "s1-2", "T1", "i1"), A("bc", "s2-1", "T1", "i1"), A("ac", "s1-4", "T2"),
      A("ab", "s1-2", "T2", "i1")], "meeting_assigned_twice"),
    ([A("ac", "s1-2", "T1"), A("ah", "s1-1", "H"), A("ch", "s1-4", "H")], "max_meetings_exceeded"),
    ([A("ah", "s1-1", "H")], "required_unscheduled"),
])
def test_each_rule_has_a_code(assignments, code):
    report = check(base(), assignments)
    assert code in report.codes()
    assert not report.ok
    v = next(v for v in report.violations if v.code == code)
    assert v.message and v.to_dict()["code"] == code


def test_fixed_optional_meeting_may_be_left_out():
    # rule 4: `fixed` says where "ah" goes if it happens, not whether
    report = check(base(), [A("ac", "s1-2", "T1")])
    assert report.ok, report.violations


def test_guest_meeting_at_a_reserved_table():
    prob = reserved_problem()
    report = check(prob, [A("ab", "s1-1", "R")])
    assert report.codes() == {"table_reserved"}
    v = report.violations[0]
    assert v.tables == ("R",) and v.participants == ("h",) and v.meetings == ("ab",)
    assert check(prob, [A("ha", "s1-1", "R"), A("ab", "s1-2", "R")]).codes() == {"table_reserved"}
    assert check(prob, [A("ha", "s1-1", "R"), A("ab", "s1-2", "T1")]).ok


def reserved_problem():
    """Table R is h's own stand; T1 is general."""
    from dataclasses import replace
    prob = problem(sessions=(3,), table_ids=["T1", "R"], participants=[person("h"), person("a"), person("b")],
                   meetings=[meeting("ha", "h", "a"), meeting("ab", "a", "b")])
    return replace(prob, tables=(prob.tables[0], replace(prob.tables[1], reserved_for="h")))


def test_interpreter_double_booked():
    prob = base(meetings=(meeting("ab", "a", "b"), meeting("cb2", "c", "b")))
    report = check(prob, [A("ab", "s1-1", "T1", "i1"), A("cb2", "s1-1", "T2", "i1")])
    assert "interpreter_double_booked" in report.codes()


def test_valid_schedule_and_figures():
    prob = base()
    report = check(prob, [A("ah", "s1-1", "H"), A("ac", "s1-2", "T1"), A("ab", "s2-1", "T1", "i1")])
    assert report.ok, report.violations
    f = report.figures
    assert (f.scheduled, f.scheduled_weight, f.shortfall, f.moved, f.holes) == (3, 3, 0, 0, 0)


def test_holes_skip_unavailable_slots_but_count_free_ones():
    prob = problem(sessions=(5,), tables=2,
                   participants=[person("a", off=("s1-2",)), person("b"), person("c"), person("d")],
                   meetings=[meeting("ab", "a", "b"), meeting("ac", "a", "c"), meeting("ad", "a", "d")])
    # a: s1-1 meeting, s1-2 unavailable (not a hole), s1-3 meeting, s1-4 free (hole), s1-5 meeting
    report = check(prob, [A("ab", "s1-1", "T1"), A("ac", "s1-3", "T1"), A("ad", "s1-5", "T1")])
    assert report.ok
    assert report.figures.holes == 1
    assert report.holes_by_participant == {"a": 1}


def test_moved_counts_slot_table_and_unscheduled_changes():
    prob = problem(sessions=(3,), tables=2, participants=[person("a"), person("b"), person("c")],
                   meetings=[meeting("ab", "a", "b"), meeting("ac", "a", "c"), meeting("bc", "b", "c")],
                   previous=[A("ab", "s1-1", "T1"), A("ac", "s1-2", "T1"), A("bc", "s1-3", "T1")])
    report = check(prob, [A("ab", "s1-1", "T1"), A("ac", "s1-2", "T2")])
    assert report.figures.moved == 2


def test_shortfall_and_partial_solution():
    prob = problem(sessions=(3,), tables=1, participants=[person("a", lo=3), person("b", lo=1)],
                   meetings=[meeting("ab", "a", "b", weight=2)])
    report = check(prob, [A("ab", "s1-2", "T1")])
    assert report.ok and report.figures.shortfall == 2 and report.figures.value == 0


def test_infeasible_claim_is_not_a_violation():
    prob = base()
    report = check(prob, Solution(Status.INFEASIBLE, (), tuple(m.id for m in prob.meetings)))
    assert report.ok


def test_assigned_and_unscheduled():
    prob = base()
    sol = Solution(Status.FEASIBLE, (A("ac", "s1-2", "T1"), A("ah", "s1-1", "H")), ("ac",))
    assert check(prob, sol).codes() == {"assigned_and_unscheduled"}
