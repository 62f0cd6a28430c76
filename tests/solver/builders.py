"""Small hand-written problems for the solver tests, plus an exhaustive reference optimum."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from solver.types import Assignment, Fixed, Interpreter, Meeting, Participant, Problem, Session, Slot, Solution, Table
from solver.validate import check

TZ = timezone(timedelta(hours=3, minutes=30))


def calendar(*session_lengths: int) -> tuple[tuple[Session, ...], tuple[Slot, ...]]:
    """Sessions s1, s2, ... of the given lengths; slot ids s1-1, s1-2, ...; 30-minute slots."""
    sessions, slots = [], []
    for n, length in enumerate(session_lengths, start=1):
        begin = datetime(2026, 11, 8, 9, tzinfo=TZ) + timedelta(days=n - 1)
        ids = []
        for i in range(length):
            start = begin + timedelta(minutes=30 * i)
            slots.append(Slot(f"s{n}-{i + 1}", start, start + timedelta(minutes=30)))
            ids.append(f"s{n}-{i + 1}")
        sessions.append(Session(f"s{n}", tuple(ids)))
    return tuple(sessions), tuple(slots)


def person(pid: str, *, off=(), langs=("en",), lo=0, hi=None, table=None) -> Participant:
    return Participant(pid, frozenset(off), frozenset(langs), lo, hi, table)


def meeting(mid: str, *people: str, weight=1, required=False, sessions=None, fixed=None) -> Meeting:
    return Meeting(mid, tuple(people), weight, required,
                   None if sessions is None else frozenset(sessions),
                   None if fixed is None else Fixed(*fixed))


def problem(sessions=(3,), tables=1, participants=(), meetings=(), interpreters=(), previous=(),
            table_ids=None) -> Problem:
    sess, slots = calendar(*sessions)
    ids = table_ids or [f"T{i + 1}" for i in range(tables)]
    return Problem(sess, slots, tuple(Table(t) for t in ids), tuple(participants),
                   tuple(interpreters), tuple(meetings), tuple(previous))


def random_tiny(seed: int) -> Problem:
    """A random tiny problem touching every rule: availability, sessions, host tables,
    languages and interpreters, required/optional, min/max, fixed, previous."""
    rng = random.Random(seed)
    shape = rng.choice([(3,), (4,), (5,), (2, 2), (3, 2)])
    n_tables = rng.choice([1, 1, 2])
    sess, slots = calendar(*shape)
    slot_ids = [s.id for s in slots]
    table_ids = [f"T{i + 1}" for i in range(n_tables)]
    people = []
    for n in range(rng.randint(3, 4)):
        langs = rng.choice([("fa",), ("ru",), ("en", "fa"), ("en", "ru"), ("en",)])
        off = [s for s in slot_ids if rng.random() < 0.15]
        lo = rng.choice([0, 0, 0, 1, 2])
        hi = rng.choice([None, None, None, 1, 2])
        table = table_ids[-1] if n_tables > 1 and n == 0 and rng.random() < 0.3 else None
        people.append(person(f"p{n}", off=off, langs=langs, lo=lo, hi=hi, table=table))
    interps = []
    for n in range(rng.choice([0, 1, 1, 2])):
        langs = rng.choice([("fa", "ru"), ("en", "fa"), ("en", "ru"), ("en", "fa", "ru")])
        off = [s for s in slot_ids if rng.random() < 0.2]
        interps.append(Interpreter(f"i{n}", frozenset(langs), frozenset(off)))
    meetings = []
    pairs = [(a.id, b.id) for i, a in enumerate(people) for b in people[i + 1:]]
    rng.shuffle(pairs)
    for n, pair in enumerate(pairs[:rng.randint(3, 5)]):
        group = list(pair)
        if rng.random() < 0.1:
            extra = [p.id for p in people if p.id not in group]
            group.append(rng.choice(extra))
        sessions = None
        if len(sess) > 1 and rng.random() < 0.2:
            sessions = [rng.choice(sess).id]
        fixed = None
        if rng.random() < 0.1:
            fixed = (rng.choice(slot_ids), rng.choice([None, table_ids[0]]))
        meetings.append(meeting(f"m{n}", *group, weight=rng.choice([1, 1, 2, 3]),
                                required=rng.random() < 0.25, sessions=sessions, fixed=fixed))
    previous = []
    for m in meetings:
        if rng.random() < 0.3:
            previous.append(Assignment(m.id, rng.choice(slot_ids), rng.choice(table_ids)))
    # reserved tables from a second stream, so the draws above stay as they were
    extra = random.Random(seed * 7919 + 1)
    owner = {table_ids[-1]: rng_choice_id(extra, people)} if n_tables > 1 and extra.random() < 0.3 else {}
    return Problem(sess, slots, tuple(Table(t, owner.get(t)) for t in table_ids), tuple(people), tuple(interps),
                   tuple(meetings), tuple(previous))


def rng_choice_id(rng: random.Random, people) -> str:
    return rng.choice(people).id


def brute_force(prob: Problem) -> tuple[int, int, int] | None:
    """The lexicographic optimum (value, moved, holes) by enumeration, or None if infeasible.

    Enumerates slot, table and interpreter of every meeting and keeps the schedules
    `solver.validate.check` accepts, so it shares no code with the CP-SAT model.
    """
    people = {p.id: p for p in prob.participants}
    options = []
    for m in prob.meetings:
        langs = [people[p].languages for p in m.participants]
        needs = not frozenset.intersection(*langs)
        interps = [i.id for i in prob.interpreters] if needs else [None]
        opts = [None] + [(s.id, t.id, i) for s in prob.slots for t in prob.tables for i in interps]
        options.append(opts)
    best = None
    ids = [m.id for m in prob.meetings]

    def extend(k: int, chosen: list) -> None:
        nonlocal best
        if k == len(ids):
            assignments = [Assignment(mid, *opt) for mid, opt in zip(ids, chosen) if opt is not None]
            report = check(prob, assignments)
            if report.ok:
                f = report.figures
                key = (f.value, -f.moved, -f.holes)
                if best is None or key > best:
                    best = key
            return
        for opt in options[k]:
            if opt is not None and _clash(opt, chosen, ids, prob, k):
                continue
            chosen.append(opt)
            extend(k + 1, chosen)
            chosen.pop()

    extend(0, [])
    return None if best is None else (best[0], -best[1], -best[2])


def _clash(opt, chosen, ids, prob, k) -> bool:
    slot, table, interp = opt
    mine = set(prob.meetings[k].participants)
    for j, other in enumerate(chosen):
        if other is None or other[0] != slot:
            continue
        if other[1] == table or (interp is not None and other[2] == interp):
            return True
        if mine & set(prob.meetings[j].participants):
            return True
    return False


def figures(prob: Problem, sol: Solution) -> tuple[int, int, int]:
    f = check(prob, sol).figures
    return f.value, f.moved, f.holes
