"""Web benchmark: what a page costs as the event grows. For each N (firms), a round is built
through the services an organiser uses (create the round, sessions, tables, register firms,
accepted requests, a greedy schedule stored as a draft and published with `publish_version`),
then each page is asked once per reader through the app (Flask's test client, no network):
single-request time, SQL statements and bytes. The busiest person (most meetings) and the
largest delegation are the readers.

With --load, the app is also served by gunicorn (gthread) on 127.0.0.1 and `wrk -t1 -c32`
(Debian's wrk) measures req/s and p50/p99 of a hello-world app on the same stack, then of the
feed and timetable pages, in the same run.

    .venv/bin/python bench/web_bench.py [--firms 250,1000,3000] [--load] [--seconds 10]

Prints tables; no asserts on time. The machine's load average is printed with them.
"""
from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event as sa_event  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

import solver  # noqa: E402
from planner import create_app  # noqa: E402
from planner.extensions import db  # noqa: E402

PASSWORD = "bench password 1"


def _app(directory: Path):
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'bench.sqlite'}", "KARVAN_JOBS": "sync",
                       "TESTING": False, "WTF_CSRF_ENABLED": False, "KARVAN_ARTEFACT_DIR": str(directory / "artefacts"),
                       "SECRET_KEY": "bench", "LOGIN_RATE_LIMIT": 100000})


def build_round(firms: int, seed: int = 1) -> dict:
    """A published round of `firms` firms (half Khorasan Razavi, half Chelyabinsk, where a
    tenth of the visitors' people form one delegation), ~3 accepted requests per firm."""
    from planner.events import services as setup
    from planner.models import Delegation, Firm, MeetingRequest, Participant, Region, User
    from planner.models.enums import RequestStatus, Role
    from planner.scheduling.drafts import store_draft
    from planner.scheduling.publishing import publish_version
    from planner.scheduling.translate import build_problem

    rnd = random.Random(seed)
    regions = {r.key: r for r in db.session.scalars(select(Region))}
    event = setup.create_event(slug=f"bench-{firms}", name={"en": f"Bench {firms}", "fa": f"آزمون {firms}", "ru": f"Тест {firms}"},
                               start_date=date(2026, 11, 8), end_date=date(2026, 11, 11))
    for day in event.days:
        if day.weekday() != 4:
            setup.add_session(event, day, clock(9), clock(13))
    tables = max(4, firms // 6)
    while tables > 0:
        setup.add_tables(event, min(tables, 500))
        tables -= 500
    delegation = Delegation(key=f"bench-{firms}", region=regions["chelyabinsk"], name={"ru": "Делегация", "en": "Delegation"})
    db.session.add(delegation)
    rows = []
    for n in range(firms):
        iranian = n % 2 == 0
        firm = Firm(name_native=f"شرکت {n}" if iranian else f"Фирма {n}", name_latin=f"Firm {n}", city="Mashhad" if iranian else "Chelyabinsk",
                    languages=["fa", "en"] if iranian else ["ru", "en"], region=regions["khorasan-razavi" if iranian else "chelyabinsk"])
        for k in range(rnd.choice((1, 1, 2))):
            person = Participant(first_name=f"P{n}", last_name=str(k), email=f"p{n}.{k}@bench.example", languages=list(firm.languages))
            if not iranian and rnd.random() < 0.2:
                person.delegation = delegation
            firm.participants.append(person)
        db.session.add(firm)
        rows.append(firm)
    db.session.flush()
    setup.register_firms(event, rows)
    iranian, russian, pairs = rows[0::2], rows[1::2], set()
    for firm in rows:
        for partner in rnd.sample(russian if firm in iranian else iranian, 3):
            if frozenset((firm.id, partner.id)) not in pairs:
                pairs.add(frozenset((firm.id, partner.id)))
                db.session.add(MeetingRequest(event_id=event.id, requester_firm_id=firm.id, target_firm_id=partner.id,
                                              status=RequestStatus.ACCEPTED))
    db.session.flush()
    translation = build_problem(event)
    solution = solver.solve(translation.problem, solver.Config(time_limit_s=30), method="greedy")
    version = store_draft(translation, solution)
    publish_version(version, expected_revision=event.schedule_revision)
    delegation.head = delegation.members[0] if delegation.members else None
    organiser = User(email=f"org{firms}@bench.example", role=Role.ORGANISER, name="Organiser")
    head = User(email=f"head{firms}@bench.example", role=Role.DELEGATION_HEAD, name="Head", delegation_id=delegation.id)
    for user in (organiser, head):
        user.set_password(PASSWORD)
        db.session.add(user)
    db.session.commit()
    return {"event": event, "version": version, "delegation": delegation, "organiser": organiser.email, "head": head.email}


def busiest_person(version) -> int:
    from planner.models import Meeting
    from planner.models.meetings import meeting_participants

    return db.session.execute(
        select(meeting_participants.c.participant_id, func.count()).join(Meeting, Meeting.id == meeting_participants.c.meeting_id)
        .where(Meeting.version_id == version.id).group_by(meeting_participants.c.participant_id)
        .order_by(func.count().desc()).limit(1)).first()[0]


def measure(app, url: str, email: str | None) -> tuple[float, int, int, int]:
    """(seconds, SQL statements, bytes, status) of one GET as `email` (anonymous when None)."""
    client = app.test_client()
    if email:
        client.post("/auth/login", data={"email": email, "password": PASSWORD})
    count = [0]

    def seen(*_args):
        count[0] += 1

    db.session.remove()
    sa_event.listen(db.engine, "before_cursor_execute", seen)
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    sa_event.remove(db.engine, "before_cursor_execute", seen)
    return elapsed, count[0], len(response.get_data()), response.status_code


def pages(data: dict, person_id: int, person_token: str, delegation_token: str) -> list[tuple[str, str, str | None]]:
    slug, version = data["event"].slug, data["version"]
    return [
        ("person timetable", f"/timetables/{slug}/participants/{person_id}?lang=fa", "org"),
        ("person PDF", f"/timetables/{slug}/participants/{person_id}.pdf?lang=fa", "org"),
        ("person feed", f"/feeds/p/{person_token}.ics", None),
        ("person feed, again", f"/feeds/p/{person_token}.ics", None),
        ("delegation page", f"/timetables/{slug}/delegations/{data['delegation'].id}?lang=ru", "head"),
        ("delegation feed", f"/feeds/d/{delegation_token}.ics", None),
        ("board, one day", f"/organiser/versions/{version.id}?lang=fa", "org"),
        ("directory", "/firms/?lang=fa", None),
    ]


def run_size(firms: int, directory: Path) -> tuple[list[tuple], dict[str, str]]:
    from planner.models import Delegation, Participant
    from planner.taxonomy.reference import load_reference_data
    from planner.timetables.feeds import issue_feed_token

    app = _app(directory)
    rows = []
    with app.app_context():
        db.create_all()
        load_reference_data(ROOT / "data")
        db.session.commit()
        started = time.perf_counter()
        data = build_round(firms)
        build_s = time.perf_counter() - started
        person_id = busiest_person(data["version"])
        person_token = issue_feed_token(db.session.get(Participant, person_id))
        delegation_token = issue_feed_token(db.session.get(Delegation, data["delegation"].id))
        db.session.commit()
        meetings = len(data["version"].meetings)
        emails = {"org": data["organiser"], "head": data["head"]}
        for name, url, who in pages(data, person_id, person_token, delegation_token):
            seconds, statements, size, status = measure(app, url, emails.get(who))
            rows.append((firms, meetings, name, f"{seconds * 1000:.0f}", statements, size, status, f"{build_s:.0f}"))
        urls = {"person feed": f"/feeds/p/{person_token}.ics",
                "exhibitions.ics": "/exhibitions.ics"}
        db.engine.dispose()
    return rows, urls


def load_run(directory: Path, urls: dict[str, str], seconds: int) -> list[tuple]:
    """req/s and latency percentiles under wrk -t1 -c32 against gunicorn (2 gthread workers)."""
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk): --load skipped", file=sys.stderr)
        return []
    hello = directory / "hello.py"
    hello.write_text("from flask import Flask\napp = Flask(__name__)\n\n@app.get('/')\ndef index():\n    return 'hello'\n")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{directory / 'bench.sqlite'}", "KARVAN_ARTEFACT_DIR": str(directory / "artefacts"),
           "SECRET_KEY": "bench", "PYTHONPATH": f"{ROOT}:{directory}"}
    results = []
    for label, module, port, paths in (("hello-world", "hello:app", 8811, {"hello": "/"}), ("karvan", "wsgi:app", 8812, urls)):
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "2", "--threads", "4",
                                   "-b", f"127.0.0.1:{port}", module], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(4)
        try:
            for name, path in paths.items():
                out = subprocess.run(["wrk", "-t1", "-c32", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}{path}"],
                                     capture_output=True, text=True).stdout
                rps = next((line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")), "?")
                p50 = next((line.split()[1] for line in out.splitlines() if line.strip().startswith("50%")), "?")
                p99 = next((line.split()[1] for line in out.splitlines() if line.strip().startswith("99%")), "?")
                results.append((label, name, rps, p50, p99))
        finally:
            server.terminate()
            server.wait(timeout=10)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", default="250,1000,3000")
    parser.add_argument("--load", action="store_true")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| firms | meetings | page | ms | SQL | bytes | status |")
    print("|---|---|---|---|---|---|---|")
    last, urls = None, {}
    for firms in [int(n) for n in args.firms.split(",")]:
        directory = Path(tempfile.mkdtemp(prefix=f"karvan-web-bench-{firms}-"))
        rows, urls = run_size(firms, directory)
        for row in rows:
            print("| " + " | ".join(str(cell) for cell in row[:7]) + " |", flush=True)
        last = directory
    if args.load and last is not None:
        print(f"\nload average {os.getloadavg()[0]:.1f}")
        print("| app | page | req/s | p50 | p99 |")
        print("|---|---|---|---|---|")
        for row in load_run(last, urls, args.seconds):
            print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()
