"""Re-planning against a published plan: stability first, at any time limit (issue 15, item 3)."""
from dataclasses import replace

import pytest

from solver import Config, Status, solve
from solver.generate import GenParams, generate
from solver.validate import check

from .builders import random_tiny


def resolve_with_own_answer(prob, config):
    first = solve(prob, config)
    assert first.status.has_schedule and check(prob, first).ok
    again = replace(prob, previous=first.assignments)
    second = solve(again, config)
    report = check(again, second)
    assert report.ok, report.violations
    return first, second, report


@pytest.mark.parametrize("decompose", ["never", "always"])
def test_rerun_of_an_unchanged_round_moves_nothing(decompose):
    prob = generate(GenParams(30, 90, 2, slots_per_session=5, variant="optional"), seed=3)
    first, second, report = resolve_with_own_answer(prob, Config(time_limit_s=5, workers=2, decompose=decompose))
    assert report.figures.moved == 0 and second.stats.moved == 0
    assert second.value >= first.value  # never worse on tier (a)


@pytest.mark.parametrize("seed", range(0, 80, 10))
def test_rerun_of_tiny_rounds_moves_nothing(seed):
    prob = replace(random_tiny(seed), previous=())
    first = solve(prob, Config(time_limit_s=5, workers=2))
    if not first.status.has_schedule:
        return
    again = replace(prob, previous=first.assignments)
    second = solve(again, Config(time_limit_s=5, workers=2))
    assert check(again, second).ok and check(again, second).figures.moved == 0


def test_short_time_limit_still_starts_from_the_previous_plan():
    # a tiny budget: whatever the search reaches, the previous plan is kept
    prob = generate(GenParams(60, 240, 2, slots_per_session=6), seed=11)
    first = solve(prob, Config(time_limit_s=10, workers=2))
    assert first.status.has_schedule
    again = replace(prob, previous=first.assignments)
    second = solve(again, Config(time_limit_s=0.5, workers=2))
    assert second.status.has_schedule and check(again, second).ok
    assert second.stats.moved == 0


def test_a_change_moves_only_what_it_must():
    prob = generate(GenParams(30, 90, 1, slots_per_session=6), seed=4)
    first = solve(prob, Config(time_limit_s=5, workers=2))
    assert first.status == Status.OPTIMAL
    # the busiest participant now leaves after the first slot: only their meetings may move
    busiest = max(prob.participants, key=lambda p: sum(p.id in m.participants for m in prob.meetings))
    late = {s.id for s in prob.slots[1:]}
    people = tuple(replace(p, unavailable=p.unavailable | late) if p is busiest else p for p in prob.participants)
    changed = replace(prob, participants=people, previous=first.assignments)
    second = solve(changed, Config(time_limit_s=5, workers=2))
    report = check(changed, second)
    assert report.ok, report.violations
    theirs = {m.id for m in prob.meetings if busiest.id in m.participants}
    must_move = sum(1 for a in first.assignments if a.meeting in theirs and a.slot in late)
    if second.status == Status.OPTIMAL:
        assert report.figures.moved <= must_move + 0  # nobody else's meeting moves


def test_stability_cap_and_the_plain_lexicographic_order():
    from solver.types import Assignment

    from .builders import meeting, person, problem
    # c can only come in s1-1, where the published ab sits; moving ab would let ac (weight 5) in
    prob = problem(sessions=(2,), tables=1, participants=[person("a"), person("b"), person("c", off=("s1-2",))],
                   meetings=[meeting("ab", "a", "b"), meeting("ac", "a", "c", weight=5)],
                   previous=[Assignment("ab", "s1-1", "T1")])
    stable = solve(prob, Config(time_limit_s=5, workers=2))
    assert stable.status == Status.OPTIMAL and check(prob, stable).ok
    assert (stable.stats.moved, stable.value) == (0, 1)
    plain = solve(prob, Config(time_limit_s=5, workers=2, stable=False))
    assert plain.status == Status.OPTIMAL and check(prob, plain).ok
    assert (plain.stats.moved, plain.value) == (1, 6)
