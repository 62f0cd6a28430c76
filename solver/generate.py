"""Seeded generator of realistic two-region B2B instances (tests and benchmarks).

Two regions meet: firms of region A speak Persian, firms of region B Russian, and
some on both sides English.  Most meetings pair an A firm with a B firm (an
interpreter is needed unless both speak English), some stay within a region,
a few are three-way (a delegation head joins).  Popular firms get more
requests.  Some participants arrive late or leave early (a whole session
unavailable) or have a short break; a few exhibitors host at their own table;
some meetings are restricted to one day; some participants have min/max meeting
counts.  Interpreters come in kinds (fa-ru, en-fa-ru, en-fa, en-ru), some off
for a session.

Sizes follow issue 3: S 40/150/1 day, M 200/1,000/2, L 1,000/6,000/3,
XL 3,000/20,000/4.  Variants: ``interpreter`` (interpreters are the bottleneck,
many meetings optional), ``optional`` (more requests than table capacity,
weighted optional meetings), ``pinned`` (a quarter of the optional meetings are
fixed to a slot, and participants with a maximum may attend no more than their
required meetings, so pinned optional meetings must give way) and ``hosts``
(10 % of region B host at their own stand, reserved for them: ``reserved_for``).
The variants draw extra random numbers only after the base instance, so the base
part of an instance is the same for every variant.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from .types import Fixed, Interpreter, Meeting, Participant, Problem, Session, Slot, Table

TEHRAN = timezone(timedelta(hours=3, minutes=30))


@dataclass(frozen=True)
class GenParams:
    participants: int
    meetings: int
    days: int
    sessions_per_day: int = 2
    slots_per_session: int = 8
    slot_minutes: int = 30
    tables: int | None = None  # None: enough for the meetings with 25 % slack
    interpreters: int | None = None  # None: enough with 30 % slack
    variant: str | None = None  # None | "interpreter" | "optional" | "pinned" | "hosts"
    required_share: float = 0.85
    english_share: float = 0.6
    unavailable_share: float = 0.12
    host_share: float = 0.03
    restricted_share: float = 0.05
    three_way_share: float = 0.02
    min_share: float = 0.2
    max_share: float = 0.1
    max_load: float = 0.7  # a participant's meetings <= this share of their available slots


SIZES = {
    "S": GenParams(40, 150, 1),
    "M": GenParams(200, 1000, 2),
    "L": GenParams(1000, 6000, 3),
    "XL": GenParams(3000, 20000, 4),
}


VARIANTS = (None, "interpreter", "optional", "pinned", "hosts")


def params_for(size: str, variant: str | None = None, **overrides) -> GenParams:
    try:
        base = SIZES[size.upper()]
    except KeyError:
        raise ValueError(f"unknown size {size!r}; use one of {', '.join(SIZES)}") from None
    return replace(base, variant=variant, **overrides)


def generate(size_or_params: str | GenParams, seed: int = 0, variant: str | None = None) -> Problem:
    params = params_for(size_or_params, variant) if isinstance(size_or_params, str) else size_or_params
    if variant is not None and isinstance(size_or_params, GenParams):
        params = replace(params, variant=variant)
    if params.variant not in VARIANTS:
        raise ValueError(f"unknown variant {params.variant!r}")
    return _Generator(params, random.Random(seed)).build()


class _Generator:
    def __init__(self, params: GenParams, rng: random.Random):
        self.p = params
        self.rng = rng

    def build(self) -> Problem:
        p, rng = self.p, self.rng
        sessions, slots = self._calendar()
        slot_ids = [s.id for s in slots]
        n_slots = len(slot_ids)
        n_meetings = p.meetings if p.variant != "optional" else int(p.meetings * 1.4)

        # participants: region, languages, availability, popularity
        people, regions, avail = [], [], []
        for n in range(p.participants):
            region = "A" if n % 2 == 0 else "B"
            langs = {"fa" if region == "A" else "ru"}
            if rng.random() < p.english_share:
                langs.add("en")
            off: set[str] = set()
            r = rng.random()
            if r < p.unavailable_share and len(sessions) > 1:
                off |= set(rng.choice([sessions[0], sessions[-1]]).slots)
            elif r < p.unavailable_share * 1.5:
                sess = rng.choice(sessions)
                start = rng.randrange(1, len(sess.slots) - 1)
                off |= set(sess.slots[start:start + 2])
            people.append([f"p{n + 1:04d}", off, frozenset(langs)])
            regions.append(region)
            avail.append(n_slots - len(off))
        popularity = [rng.lognormvariate(0, 0.6) for _ in people]
        cap = [max(1, int(p.max_load * a)) for a in avail]
        degree = [0] * len(people)
        side = {"A": [i for i, r in enumerate(regions) if r == "A"],
                "B": [i for i, r in enumerate(regions) if r == "B"]}
        weights = {r: [popularity[i] for i in side[r]] for r in side}

        pairs: set[tuple[int, ...]] = set()
        meetings_raw: list[tuple[int, ...]] = []
        attempts = 0
        while len(meetings_raw) < n_meetings and attempts < n_meetings * 30:
            attempts += 1
            a = rng.choices(side["A"], weights["A"])[0]
            if rng.random() < 0.9:
                b = rng.choices(side["B"], weights["B"])[0]
            else:
                b = rng.choices(side["A"], weights["A"])[0]
            key = tuple(sorted((a, b)))
            if a == b or key in pairs or degree[a] >= cap[a] or degree[b] >= cap[b]:
                continue
            common = n_slots - len(people[a][1] | people[b][1])
            if common < 3:
                continue
            group = [a, b]
            if rng.random() < p.three_way_share:
                c = rng.choice(side[regions[a]])
                if c not in group and degree[c] < cap[c] and not (people[c][1] - people[a][1]):
                    group.append(c)
            pairs.add(key)
            for i in group:
                degree[i] += 1
            meetings_raw.append(tuple(group))

        # host tables for a few busy exhibitors of region B
        share = 0.1 if p.variant == "hosts" else p.host_share
        hosts = [i for i in side["B"] if rng.random() < share]
        n_pool = p.tables or math.ceil(len(meetings_raw) / n_slots * 1.25)
        if p.variant == "optional":
            n_pool = p.tables or math.ceil(p.meetings / n_slots * 1.1)
        tables = [Table(f"T{n + 1:03d}") for n in range(n_pool)]
        host_table = {i: f"H{n + 1:02d}" for n, i in enumerate(hosts)}
        owner = {t: people[i][0] for i, t in host_table.items()} if p.variant == "hosts" else {}
        tables += [Table(t, owner.get(t)) for t in host_table.values()]

        required_share = p.required_share
        if p.variant == "optional":
            required_share = 0.5
        elif p.variant == "interpreter":
            required_share = 0.4
        meetings = []
        required_count = [0] * len(people)
        day_sessions = [[s.id for s in sessions[d * p.sessions_per_day:(d + 1) * p.sessions_per_day]]
                        for d in range(p.days)]
        for n, group in enumerate(meetings_raw):
            required = rng.random() < required_share
            weight = 2 if required else rng.choice((1, 1, 2, 3))
            allowed = None
            if p.days > 1 and rng.random() < p.restricted_share:
                day = rng.randrange(p.days)
                day_slots = {sid for sid in slot_ids if sid.startswith(f"d{day + 1}-")}
                free = day_slots - set().union(*(people[i][1] for i in group))
                if len(free) >= 4:
                    allowed = frozenset(day_sessions[day])
            if required:
                for i in group:
                    required_count[i] += 1
            meetings.append(Meeting(f"m{n + 1:05d}", tuple(people[i][0] for i in group), weight, required,
                                    allowed, None))

        participants = []
        for i, (pid, off, langs) in enumerate(people):
            lo = hi = None
            r = rng.random()
            if r < p.min_share:
                lo = min(degree[i] + (1 if rng.random() < 0.2 else 0), rng.randint(3, 8))
            elif r < p.min_share + p.max_share:
                hi = required_count[i] + rng.randint(0, 2)
            participants.append(Participant(pid, frozenset(off), langs, lo or 0, hi, host_table.get(i)))

        interpreters = self._interpreters(meetings, participants, n_slots, sessions)
        if p.variant == "pinned":
            meetings, participants = self._pin(meetings, participants, required_count, slot_ids)
        return Problem(tuple(sessions), tuple(slots), tuple(tables), tuple(participants),
                       tuple(interpreters), tuple(meetings), ())

    def _pin(self, meetings, participants, required_count, slot_ids):
        """Fix a quarter of the optional meetings to a slot their participants share; a
        participant with a maximum may attend only their required meetings (rule 4: the
        pinned optional ones must give way, they are not mandatory)."""
        rng = self.rng
        off = {q.id: q.unavailable for q in participants}
        pinned = []
        for m in meetings:
            free = [s for s in slot_ids if not any(s in off[x] for x in m.participants)]
            if not m.required and free and rng.random() < 0.25:
                m = replace(m, fixed=Fixed(rng.choice(free), None))
            pinned.append(m)
        index = {q.id: i for i, q in enumerate(participants)}
        people = [replace(q, max_meetings=required_count[index[q.id]]) if q.max_meetings is not None else q
                  for q in participants]
        return pinned, people

    def _calendar(self) -> tuple[list[Session], list[Slot]]:
        p = self.p
        sessions, slots = [], []
        first = datetime(2026, 11, 8, tzinfo=TEHRAN)
        for d in range(p.days):
            for k in range(p.sessions_per_day):
                name = ("am", "pm", "ev")[k] if k < 3 else f"s{k + 1}"
                begin = first + timedelta(days=d, hours=9 + 5 * k)
                ids = []
                for n in range(p.slots_per_session):
                    index = k * p.slots_per_session + n + 1
                    sid = f"d{d + 1}-{index:02d}"
                    start = begin + timedelta(minutes=n * p.slot_minutes)
                    slots.append(Slot(sid, start, start + timedelta(minutes=p.slot_minutes)))
                    ids.append(sid)
                sessions.append(Session(f"d{d + 1}-{name}", tuple(ids)))
        return sessions, slots

    def _interpreters(self, meetings, participants, n_slots, sessions) -> list[Interpreter]:
        p, rng = self.p, self.rng
        langs = {q.id: q.languages for q in participants}
        need = sum(1 for m in meetings if not frozenset.intersection(*(langs[x] for x in m.participants)))
        if p.interpreters is not None:
            count = p.interpreters
        elif p.variant == "interpreter":
            count = max(1, math.ceil(need / n_slots * 0.75))
        else:
            count = max(1, math.ceil(need / n_slots * 1.3))
        kinds = [frozenset({"fa", "ru"})] * 6 + [frozenset({"en", "fa", "ru"})] * 2 + \
                [frozenset({"en", "fa"}), frozenset({"en", "ru"})]
        out = []
        for n in range(count):
            off = frozenset(rng.choice(sessions).slots) if rng.random() < 0.2 and len(sessions) > 1 else frozenset()
            out.append(Interpreter(f"i{n + 1:03d}", kinds[n % len(kinds)] if n < 10 else rng.choice(kinds), off))
        return out


__all__ = ["generate", "GenParams", "SIZES", "params_for"]
