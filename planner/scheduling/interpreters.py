"""The choice of an interpreter for a meeting: who is qualified and free in a slot, whom a hand
move keeps, and giving meetings that stay put their previous interpreter back. The solver
chooses interpreters when it plans; these rules serve the planner around it."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import solver


def keep_previous_interpreters(problem: solver.Problem, solution: solver.Solution) -> solver.Solution:
    """Give meetings that stay in their previous slot their previous interpreter back when the
    solver only swapped interpreters within a slot (an interpreter change is a change for people)."""
    previous = {a.meeting: a.interpreter for a in problem.previous if a.interpreter}
    if not previous or not solution.assignments:
        return solution
    people = {p.id: p for p in problem.participants}
    meetings = {m.id: m for m in problem.meetings}
    interpreters = {i.id: i for i in problem.interpreters}

    def fits(interpreter_id: str, assignment: solver.Assignment) -> bool:
        return interpreter_fits(interpreters[interpreter_id], meetings[assignment.meeting], people, assignment.slot)

    by_slot: dict[str, list[solver.Assignment]] = defaultdict(list)
    for a in solution.assignments:
        by_slot[a.slot].append(a)
    result = []
    for items in by_slot.values():
        needing = [a for a in items if a.interpreter]
        pool = {a.interpreter for a in needing}
        chosen: dict[str, str] = {}
        for a in needing:  # previous interpreter first
            wanted = previous.get(a.meeting)
            if wanted in pool and wanted not in chosen.values() and fits(wanted, a):
                chosen[a.meeting] = wanted
        for a in needing:  # the rest from what is left of the slot's pool
            if a.meeting in chosen:
                continue
            spare = next((i for i in sorted(pool - set(chosen.values())) if fits(i, a)), None)
            if spare is None:
                chosen = {b.meeting: b.interpreter for b in needing}  # cannot improve: keep the solver's
                break
            chosen[a.meeting] = spare
        result += [replace(a, interpreter=chosen.get(a.meeting, a.interpreter)) for a in items]
    order = {a.meeting: n for n, a in enumerate(solution.assignments)}
    return replace(solution, assignments=tuple(sorted(result, key=lambda a: order[a.meeting])))


def interpreter_fits(interpreter: solver.Interpreter, meeting: solver.Meeting, people: dict[str, solver.Participant],
                     slot: str) -> bool:
    """Whether `interpreter` can serve `meeting` in `slot`: available then, and sharing a language
    with every participant (the rule the solver's model and validator apply)."""
    return slot not in interpreter.unavailable and all(interpreter.languages & people[p].languages for p in meeting.participants)


def needs_interpreter(problem: solver.Problem, meeting_key: str) -> bool:
    """Whether the meeting's participants share no language."""
    people = {p.id: p for p in problem.participants}
    meeting = next(m for m in problem.meetings if m.id == meeting_key)
    return not frozenset.intersection(*[people[p].languages for p in meeting.participants])


def pick_interpreter(problem: solver.Problem, assignments: list[solver.Assignment], meeting_key: str, slot: str,
                     current: str | None) -> str | None:
    """Keep the current interpreter when free and qualified, else the first free qualified one."""
    if not needs_interpreter(problem, meeting_key):
        return None
    people = {p.id: p for p in problem.participants}
    meeting = next(m for m in problem.meetings if m.id == meeting_key)
    busy = {a.interpreter for a in assignments if a.slot == slot and a.meeting != meeting_key and a.interpreter}
    candidates = sorted(problem.interpreters, key=lambda i: (i.id != current, i.id))
    for interpreter in candidates:
        if interpreter.id not in busy and interpreter_fits(interpreter, meeting, people, slot):
            return interpreter.id
    return None
