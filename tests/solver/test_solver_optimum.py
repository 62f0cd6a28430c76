"""The three-tier optimum of CP-SAT equals exhaustive enumeration on tiny random problems."""
import pytest

from solver import Config, Status, solve
from solver.validate import check

from .builders import brute_force, figures, random_tiny

# the exact lexicographic order of rule 6, without the stability cap (see test_solver_replan)
FAST = Config(time_limit_s=10, workers=2, seed=1, stable=False)


@pytest.mark.parametrize("seed", range(80))
def test_cp_sat_matches_brute_force(seed):
    prob = random_tiny(seed)
    expected = brute_force(prob)
    sol = solve(prob, FAST)
    if expected is None:
        assert sol.status == Status.INFEASIBLE
        assert sol.assignments == ()
        assert sol.stats.extra["reason"]["code"]
        return
    assert sol.status == Status.OPTIMAL, sol.stats
    report = check(prob, sol)
    assert report.ok, report.violations
    assert figures(prob, sol) == expected


@pytest.mark.parametrize("seed", range(0, 80, 8))
def test_decomposed_matches_brute_force_on_value(seed):
    prob = random_tiny(seed)
    expected = brute_force(prob)
    sol = solve(prob, Config(time_limit_s=10, workers=2, decompose="always", stable=False))
    if expected is None:
        assert sol.status in (Status.INFEASIBLE, Status.UNKNOWN)
        return
    assert check(prob, sol).ok
    assert figures(prob, sol)[0] <= expected[0]
    if sol.status == Status.OPTIMAL:
        assert figures(prob, sol) == expected


@pytest.mark.parametrize("seed", range(1, 80, 16))
def test_chain_hole_form_matches_brute_force(seed, monkeypatch):
    # the older per-slot formulation of rule 5 stays exact (solver.holes)
    monkeypatch.setenv("KARVAN_HOLE_FORM", "chain")
    prob = random_tiny(seed)
    expected = brute_force(prob)
    sol = solve(prob, FAST)
    if expected is None:
        assert sol.status == Status.INFEASIBLE
        return
    assert sol.status == Status.OPTIMAL and check(prob, sol).ok
    assert figures(prob, sol) == expected
