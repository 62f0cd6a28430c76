"""Hypothesis: on generated small instances CP-SAT is valid and never worse than first-fit."""
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver import Config, Status, solve
from solver.generate import GenParams, generate
from solver.greedy import solve_greedy
from solver.validate import check

CFG = Config(time_limit_s=3, workers=2)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

small = st.builds(
    GenParams,
    participants=st.integers(4, 14),
    meetings=st.integers(3, 30),
    days=st.integers(1, 2),
    sessions_per_day=st.integers(1, 2),
    slots_per_session=st.integers(3, 6),
    variant=st.sampled_from([None, None, "interpreter", "optional"]),
    required_share=st.sampled_from([0.0, 0.5, 0.85, 1.0]),
)


@SETTINGS
@given(params=small, seed=st.integers(0, 10_000), decompose=st.sampled_from(["auto", "always"]))
def test_solutions_are_valid_and_beat_greedy(params, seed, decompose):
    prob = generate(params, seed)
    greedy = solve_greedy(prob)
    assert check(prob, greedy).ok
    sol = solve(prob, replace(CFG, decompose=decompose))
    report = check(prob, sol)
    assert report.ok, report.violations
    assert sol.stats.scheduled == report.figures.scheduled
    if greedy.status.has_schedule:
        assert sol.status.has_schedule
        assert sol.value >= greedy.value
    if sol.status == Status.OPTIMAL and "model" in sol.stats.extra:
        assert sol.stats.extra["model"]["holes"] == report.figures.holes
        assert sol.stats.extra["model"]["value"] == report.figures.value


@SETTINGS
@given(params=small, seed=st.integers(0, 10_000))
def test_required_only_holes_not_above_greedy(params, seed):
    prob = generate(replace(params, required_share=1.0, variant=None, min_share=0.0, max_share=0.0), seed)
    greedy = solve_greedy(prob)
    sol = solve(prob, CFG)
    if sol.status == Status.INFEASIBLE:
        assert not greedy.status.has_schedule
        return
    assert check(prob, sol).ok
    if greedy.status.has_schedule:
        assert sol.stats.scheduled == greedy.stats.scheduled == len(prob.meetings)
        assert sol.stats.holes <= greedy.stats.holes


@SETTINGS
@given(params=small, seed=st.integers(0, 10_000))
def test_session_hints_break_no_rule(params, seed):
    from solver.compact import compact_fill, improve_holes
    from solver.greedy import Board
    from solver.index import prepare

    prob = generate(params, seed)
    prep = prepare(prob)
    board = Board.empty(prep)
    for slots in prep.session_slots:
        mine = [f.index for f in prep.meetings if f.index not in board.placed
                and any(s in slots for s in f.slots)]
        compact_fill(board, mine, slots)
        placed, holes = len(board.placed), check(prob, board.assignments()).figures.holes
        improve_holes(board, mine, slots)
        assert len(board.placed) == placed
        assert check(prob, board.assignments()).figures.holes <= holes
    report = check(prob, board.assignments())
    assert report.codes() <= {"required_unscheduled"}, report.violations


@settings(max_examples=8, deadline=None)
@given(params=small, seed=st.integers(0, 10_000))
def test_zero_hole_search_option(params, seed):
    prob = generate(params, seed)
    sol = solve(prob, replace(CFG, decompose="always", zero_holes_max_meetings=1000))
    assert check(prob, sol).ok
