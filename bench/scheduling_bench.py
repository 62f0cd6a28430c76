"""Scheduling benchmark: the end-to-end path load rows → solve → validate → store, timed
phase by phase, for the demo event and for a generated event of 1,000 firms, with the
first-fit greedy schedule of the same problem beside CP-SAT.

Each event lives in a fresh SQLite file (the schema from the models). The generated event
has N firms (half Khorasan Razavi, half Chelyabinsk), one or two people each, five morning
sessions of seven slots, N/8 tables, N/40 interpreters, and about three accepted requests per
firm (a fifth of them must-meets), drawn with a fixed seed.

    .venv/bin/python bench/scheduling_bench.py [--firms 1000] [--time-limit 60] [--demo-time-limit 20]

Prints a table; no asserts on time.
"""
from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from datetime import date
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import solver  # noqa: E402
from planner import create_app  # noqa: E402
from planner.extensions import db  # noqa: E402
from solver.validate import check  # noqa: E402


def _app(directory: Path):
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'bench.sqlite'}", "KARVAN_JOBS": "sync",
                       "TESTING": False, "KARVAN_DEMO_SOLVE_S": 1.0})


def _generated_event(firms: int, seed: int):
    from planner.events import resources
    from planner.events import services as setup
    from planner.models import Attendance, Firm, Interpreter, MeetingRequest, Participant, Region

    rnd = random.Random(seed)
    regions = {r.key: r for r in db.session.scalars(db.select(Region))}
    event = setup.create_event(slug="bench", name={"en": "Benchmark round"}, start_date=date(2026, 11, 8),
                               end_date=date(2026, 11, 12), min_meetings=2, max_meetings=8)
    for day in event.days:
        if day.weekday() != 4:
            setup.add_session(event, day, clock(9), clock(12, 30))
    resources.add_tables(event, max(4, firms // 8))
    for n in range(max(1, firms // 40)):
        event.interpreters.append(Interpreter(name=f"Interpreter {n}", languages=["fa", "ru", "en"]))
    rows = []
    for n in range(firms):
        iranian = n % 2 == 0
        languages = rnd.choice([["fa"], ["fa", "en"], ["fa", "en", "ru"]] if iranian else [["ru"], ["ru", "en"]])
        firm = Firm(name_native=f"Firm {n}", name_latin=f"Firm {n}", languages=languages,
                    region=regions["khorasan-razavi" if iranian else "chelyabinsk"])
        for k in range(rnd.choice((1, 1, 2))):
            days = None if rnd.random() < 0.85 else sorted(rnd.sample([d.isoformat() for d in event.days], 2))
            person = Participant(first_name=f"P{n}", last_name=str(k), email=f"p{n}.{k}@bench.example",
                                 languages=languages)
            firm.participants.append(person)
            if days is not None:
                person.attendances.append(Attendance(event=event, days=days))
        db.session.add(firm)
        rows.append(firm)
    db.session.flush()
    setup.register_firms(event, rows)
    iranian = rows[0::2]
    russian = rows[1::2]
    pairs = set()
    for firm in rows:
        partners = russian if firm in iranian else iranian
        for partner in rnd.sample(partners, 3):
            key = frozenset((firm.id, partner.id))
            if key in pairs:
                continue
            pairs.add(key)
            db.session.add(MeetingRequest(event_id=event.id, requester_firm_id=firm.id, target_firm_id=partner.id,
                                          status="accepted", priority="must" if rnd.random() < 0.2 else "would_like"))
    db.session.flush()
    return event


def _run(label: str, event, time_limit: float) -> dict:
    from planner.scheduling.drafts import solve_event
    from planner.scheduling.translate import build_problem

    started = time.perf_counter()
    translation = build_problem(event)
    load_s = time.perf_counter() - started
    problem = translation.problem
    greedy = solver.solve(problem, solver.Config(time_limit_s=time_limit), method="greedy")
    greedy_figures = check(problem, greedy).figures
    started = time.perf_counter()
    version, solution = solve_event(event, time_limit_s=time_limit)
    total_s = time.perf_counter() - started
    db.session.flush()
    figures = check(problem, solution).figures
    return {
        "event": label, "firms": len(event.registrations), "people": len(problem.participants),
        "meetings": len(problem.meetings), "required": sum(m.required for m in problem.meetings),
        "slots": len(problem.slots), "tables": len(problem.tables), "load_s": load_s,
        "solve_s": solution.stats.wall_s, "total_s": total_s, "status": solution.status.value,
        "stored": version is not None, "cp": figures, "greedy": greedy_figures, "greedy_status": greedy.status.value,
        "zero": len((version.stats or {}).get("zero_firms", [])) if version else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--demo-time-limit", type=float, default=20.0)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp))
        with app.app_context():
            from planner.demo.seed import seed_demo
            from planner.models import Event

            db.create_all()
            seed_demo(ROOT / "data")
            db.session.commit()
            demo = db.session.scalar(db.select(Event).where(Event.slug == "demo"))
            # Time a plan from scratch: without this, the demo's published version would be
            # `previous`, and tier (b) (fewest moves) would keep that plan's holes.
            from planner.models import ScheduleVersion, SolveJob

            for job in db.session.scalars(db.select(SolveJob).where(SolveJob.event_id == demo.id)):
                job.result_version_id = None
            for version in db.session.scalars(db.select(ScheduleVersion).where(ScheduleVersion.event_id == demo.id)):
                db.session.delete(version)
            db.session.commit()
            results.append(_run("demo", demo, args.demo_time_limit))
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp))
        with app.app_context():
            from planner.taxonomy.reference import load_reference_data

            db.create_all()
            load_reference_data(ROOT / "data")
            event = _generated_event(args.firms, args.seed)
            db.session.commit()
            results.append(_run(f"generated {args.firms}", event, args.time_limit))
    head = ("event", "firms", "people", "meetings", "must", "slots", "tables", "load s", "solve s", "end-to-end s",
            "status cp/greedy", "scheduled cp/greedy", "holes cp/greedy", "shortfall cp/greedy", "firms w/o meeting")
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for r in results:
        cp, greedy = r["cp"], r["greedy"]
        print(" | ".join(str(x) for x in (
            r["event"], r["firms"], r["people"], r["meetings"], r["required"], r["slots"], r["tables"],
            f"{r['load_s']:.2f}", f"{r['solve_s']:.1f}", f"{r['total_s']:.1f}", f"{r['status']}/{r['greedy_status']}",
            f"{cp.scheduled}/{greedy.scheduled}", f"{cp.holes}/{greedy.holes}", f"{cp.shortfall}/{greedy.shortfall}",
            r["zero"])))


if __name__ == "__main__":
    main()
