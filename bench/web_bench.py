"""Web benchmark: what a page costs as the event grows. For each N (firms), a round is built
through the services an organiser uses (create the round, sessions, tables, register firms,
accepted requests, a greedy schedule stored as a draft and published with `publish_version`)
in a database that also holds the demo (`seed_demo`), then each page is asked through the app
(Flask's test client, no network): server time (median of 3 after one warm-up request), SQL
statements and bytes. The busiest person (most meetings) and the delegation (up to
`--delegation` visitors, 600 by default) are the readers; the demo's busiest person is measured
beside them in the same database ("1.5x" table).

The large PDFs (every delegation member's sheet, every table's sheet) are asked over HTTP, which
answers 202 "being prepared" at once; the background task the request queued is then run here
and timed, with the file's size and pages.

With --load, the largest database is also served by gunicorn as README deploys it
(gunicorn.conf.py: gthread, 2 workers, 8 threads) on 127.0.0.1, and `wrk -t1 -c32` (Debian's wrk; `make bench-deps`)
measures req/s, p50 and p99 of a hello-world app on the same stack, then of the person's feed and
timetable page, then hello-world again, all in the same run; shares are against the mean of the
two hello-world runs.

    .venv/bin/python bench/web_bench.py [--firms 250,1000] [--load] [--seconds 10] [--data DIR]

Building a 1,000-firm round takes minutes (publishing composes every invitation): with --data
each size's database is kept in DIR and reused by the next run. Prints tables; no asserts on
time. The machine's load average is printed with them.
"""
from __future__ import annotations

import argparse
import gc
import logging
import os
import random
import shutil
import statistics
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
SECRET = "bench secret key"
HELLO = "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/')\ndef index():\n    return 'hello'\n"


def _app(directory: Path):
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'bench.sqlite'}", "KARVAN_JOBS": "sync",
                       "TESTING": False, "WTF_CSRF_ENABLED": False, "KARVAN_ARTEFACT_DIR": str(directory / "artefacts"),
                       "SECRET_KEY": SECRET, "LOGIN_RATE_LIMIT": 100000, "KARVAN_DEMO_SOLVE_S": 10})


def build_round(firms: int, delegation_size: int, seed: int = 1) -> None:
    """A published round of `firms` firms (half Khorasan Razavi, half Chelyabinsk, one or two
    people each), ~3 accepted requests per firm, and one delegation of `delegation_size`
    visitors (all of them when there are fewer)."""
    from planner.events import resources
    from planner.events import services as setup
    from planner.models import Delegation, Firm, MeetingRequest, Participant, Region, User
    from planner.models.enums import RequestStatus, Role
    from planner.scheduling.drafts import store_draft
    from planner.scheduling.publishing import publish_version
    from planner.scheduling.translate import build_problem

    rnd = random.Random(seed)
    regions = {r.key: r for r in db.session.scalars(select(Region))}
    event = setup.create_event(slug=f"bench-{firms}", name={"en": f"Bench {firms}", "fa": f"آزمون {firms}", "ru": f"Тест {firms}"},
                               start_date=date(2026, 12, 6), end_date=date(2026, 12, 9))
    for day in event.days:
        if day.weekday() != 4:
            setup.add_session(event, day, clock(9), clock(13))
    tables = max(4, firms // 6)
    while tables > 0:
        resources.add_tables(event, min(tables, 500))
        tables -= 500
    rows, visitors = [], []
    for n in range(firms):
        iranian = n % 2 == 0
        firm = Firm(name_native=f"شرکت {n}" if iranian else f"Фирма {n}", name_latin=f"Firm {n}", city="Mashhad" if iranian else "Chelyabinsk",
                    languages=["fa", "en"] if iranian else ["ru", "en"], region=regions["khorasan-razavi" if iranian else "chelyabinsk"])
        for k in range(rnd.choice((1, 1, 2))):
            person = Participant(first_name=f"P{n}", last_name=str(k), email=f"p{n}.{k}@bench.example", languages=list(firm.languages))
            firm.participants.append(person)
            if not iranian:
                visitors.append(person)
        db.session.add(firm)
        rows.append(firm)
    members = sorted(rnd.sample(visitors, min(delegation_size, len(visitors))), key=lambda p: p.email)
    delegation = Delegation(key=f"bench-{firms}", region=regions["chelyabinsk"], events=[event], members=members,
                            name={"ru": f"Делегация {firms}", "en": f"Delegation {firms}", "fa": f"هیئت {firms}"})
    db.session.add(delegation)
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
    delegation.head = members[0] if members else None
    organiser = User(email=f"org{firms}@bench.example", role=Role.ORGANISER, name="Organiser")
    head = User(email=f"head{firms}@bench.example", role=Role.DELEGATION_HEAD, name="Head", delegation_id=delegation.id)
    for user in (organiser, head):
        user.set_password(PASSWORD)
        db.session.add(user)
    db.session.commit()


def prepare(firms: int, directory: Path, delegation_size: int) -> float | None:
    """The database of size `firms` in `directory`: reused when complete, else built (demo
    first, then the round). Returns the build's seconds, None when reused."""
    from planner.demo.seed import seed_demo

    ready = directory / "ready"
    if ready.exists():
        return None
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    app = _app(directory)
    with app.app_context():
        started = time.perf_counter()
        db.create_all()
        seed_demo(ROOT / "data")
        db.session.commit()
        build_round(firms, delegation_size)
        seconds = time.perf_counter() - started
        db.engine.dispose()
    ready.write_text(f"{seconds:.0f}\n")
    return seconds


def busiest_person(version) -> int:
    from planner.models import Meeting
    from planner.models.meetings import meeting_participants

    return db.session.execute(
        select(meeting_participants.c.participant_id, func.count()).join(Meeting, Meeting.id == meeting_participants.c.meeting_id)
        .where(Meeting.version_id == version.id, Meeting.cancelled_at.is_(None))
        .group_by(meeting_participants.c.participant_id)
        .order_by(func.count().desc(), meeting_participants.c.participant_id).limit(1)).first()[0]


class Reader:
    """A test client logged in as `email` (anonymous when None)."""

    def __init__(self, app, email: str | None):
        self.client = app.test_client()
        if email:
            self.client.post("/auth/login", data={"email": email, "password": PASSWORD})

    def cookie(self) -> str:
        found = self.client.get_cookie("session")
        return f"session={found.value}" if found else ""


def measure(reader: Reader, url: str, *, repeat: int = 3, before=None, headers=None) -> dict:
    """Median server time over `repeat` GETs after one warm-up, with the SQL statements and the
    body of the last; `before()` runs before each (e.g. to empty the artefact store)."""
    count = [0]

    def seen(*_args):
        count[0] += 1

    times, cpu = [], []
    for attempt in range(repeat + 1):
        if before is not None:
            before()
        db.session.remove()  # a fresh session, as in a worker's next request
        count[0] = 0
        sa_event.listen(db.engine, "before_cursor_execute", seen)
        started, started_cpu = time.perf_counter(), time.process_time()
        response = reader.client.get(url, headers=headers or {})
        elapsed, used = time.perf_counter() - started, time.process_time() - started_cpu
        sa_event.remove(db.engine, "before_cursor_execute", seen)
        body = response.get_data()
        if attempt:
            times.append(elapsed)
            cpu.append(used)
    return {"ms": statistics.median(times) * 1000, "cpu": statistics.median(cpu) * 1000, "sql": count[0],
            "bytes": len(body), "status": response.status_code, "etag": response.headers.get("ETag"), "body": body}


def _pages(pdf_pages: int) -> str:
    return str(pdf_pages) if pdf_pages else "?"


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF by pdfinfo (poppler-utils); 0 when it is not installed."""
    if shutil.which("pdfinfo") is None:
        return 0
    out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True).stdout.decode(errors="replace")
    return next((int(line.split()[1]) for line in out.splitlines() if line.startswith("Pages:")), 0)


def run_size(firms: int, directory: Path, delegation_size: int) -> dict:
    """Every row of one size; returns the rows, the 1.5x comparison and what --load needs."""
    from planner.models import Delegation, Event, Meeting, Participant, User
    from planner.scheduling.versions import published_version
    from planner.taxonomy.codes import code_tree
    from planner.timetables import artefacts
    from planner.timetables.feeds import issue_feed_token

    build_s = prepare(firms, directory, delegation_size)
    app = _app(directory)
    out = {"rows": [], "compare": [], "background": [], "build_s": build_s}
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == f"bench-{firms}"))
        demo = db.session.scalar(select(Event).where(Event.slug == "demo"))
        version, demo_version = published_version(event), published_version(demo)
        delegation = db.session.scalar(select(Delegation).where(Delegation.key == f"bench-{firms}"))
        person = db.session.get(Participant, busiest_person(version))
        demo_person = db.session.get(Participant, busiest_person(demo_version))
        for owner in (person, demo_person, delegation):
            owner.feed_token or issue_feed_token(owner)
        db.session.commit()
        meetings = db.session.scalar(select(func.count(Meeting.id)).where(Meeting.version_id == version.id))
        out["meetings"] = meetings
        slug, ids = event.slug, {"person": person.id, "demo": demo_person.id, "delegation": delegation.id,
                                  "version": version.id, "members": len(delegation.members), "event": event.id}
        demo_slug = demo.slug
        tokens = {"person": person.feed_token, "demo": demo_person.feed_token, "delegation": delegation.feed_token}
        code_tree("product"), code_tree("sector")  # what gunicorn.conf.py's post_worker_init does in a worker
        gc.freeze()
        org = Reader(app, f"org{firms}@bench.example")
        head = Reader(app, f"head{firms}@bench.example")
        anonymous = Reader(app, None)
        person_meetings = len([m for m in version.meetings if person in m.participants and m.cancelled_at is None])
        demo_meetings = len([m for m in demo_version.meetings if demo_person in m.participants and m.cancelled_at is None])
        busiest_find = person.firm.name_latin
        organiser_id = db.session.scalar(select(User.id).where(User.email == f"org{firms}@bench.example"))
        db.session.remove()

        def empty_store():
            shutil.rmtree(artefacts.artefact_dir() / "feeds", ignore_errors=True)

        def row(name, reader, url, **kwargs):
            found = measure(reader, url, **kwargs)
            out["rows"].append((firms, meetings, name, f"{found['ms']:.0f}", f"{found['cpu']:.0f}", found["sql"], found["bytes"],
                                found["status"]))
            return found

        timetable = row(f"person timetable ({person_meetings} meetings)", org, f"/timetables/{slug}/participants/{ids['person']}?lang=fa")
        pdf = row("person PDF", org, f"/timetables/{slug}/participants/{ids['person']}.pdf?lang=fa")
        built = row("person feed, built", anonymous, f"/feeds/p/{tokens['person']}.ics", before=empty_store)
        stored = row("person feed, stored", anonymous, f"/feeds/p/{tokens['person']}.ics")
        row("person feed, 304", anonymous, f"/feeds/p/{tokens['person']}.ics", headers={"If-None-Match": stored["etag"]})
        row(f"delegation page ({ids['members']} people)", head, f"/timetables/{slug}/delegations/{ids['delegation']}?lang=ru")
        row("delegation feed, built", anonymous, f"/feeds/d/{tokens['delegation']}.ics", before=empty_store)
        row("board, one day", org, f"/organiser/versions/{ids['version']}?lang=fa")
        row("board, one day, one firm's meetings found", org, f"/organiser/versions/{ids['version']}?lang=fa&find={busiest_find}")
        row("board, one person's day", org, f"/organiser/versions/{ids['version']}?lang=fa&participant={ids['person']}")
        row("round setup, registered firms (organiser)", org, f"/organiser/events/{ids['event']}?lang=fa")
        row("demand per firm (organiser)", org, f"/requests/demand?event={slug}&lang=fa")
        row("a visit's members (organiser)", org, f"/delegations/{ids['delegation']}?lang=ru")
        row("directory", anonymous, "/firms/?lang=fa")
        row("exhibitions.ics", anonymous, "/exhibitions.ics")

        demo_timetable = measure(org, f"/timetables/{demo_slug}/participants/{ids['demo']}?lang=fa")
        demo_pdf = measure(org, f"/timetables/{demo_slug}/participants/{ids['demo']}.pdf?lang=fa")
        demo_built = measure(anonymous, f"/feeds/p/{tokens['demo']}.ics", before=empty_store)
        demo_stored = measure(anonymous, f"/feeds/p/{tokens['demo']}.ics")
        for name, large, small in (("timetable page", timetable, demo_timetable), ("PDF", pdf, demo_pdf),
                                   ("feed, built", built, demo_built), ("feed, stored", stored, demo_stored)):
            out["compare"].append((firms, name, f"{person_meetings}: {large['ms']:.0f} ms ({large['cpu']:.0f} CPU), {large['sql']} SQL",
                                   f"{demo_meetings}: {small['ms']:.0f} ms ({small['cpu']:.0f} CPU), {small['sql']} SQL",
                                   f"{large['ms'] / small['ms']:.2f}", f"{large['cpu'] / max(small['cpu'], 0.1):.2f}"))

        # the large PDFs: the request answers at once; the task it queued is run and timed here
        queued = []
        real_enqueue = artefacts.enqueue
        artefacts.enqueue = lambda name, **kwargs: queued.append((name, kwargs))
        try:
            for label, reader, url in ((f"delegation PDF ({ids['members']} people)", head,
                                        f"/timetables/{slug}/delegations/{ids['delegation']}.pdf?lang=ru"),
                                       ("table sheets PDF", org, f"/timetables/{slug}/tables.pdf?lang=fa")):
                shutil.rmtree(artefacts.artefact_dir() / "pdf", ignore_errors=True)
                queued.clear()
                db.session.remove()
                started = time.perf_counter()
                response = reader.client.get(url)
                answered = time.perf_counter() - started
                db.session.remove()
                started = time.perf_counter()
                for _task, kwargs in queued:
                    artefacts.build_pdf(**kwargs)
                built_s = time.perf_counter() - started
                ready = reader.client.get(url)
                data = ready.get_data()
                out["background"].append((firms, label, f"{response.status_code} in {answered * 1000:.0f} ms",
                                          f"{built_s:.1f}", f"{len(data) / 1e6:.1f} MB", _pages(pdf_page_count(data)),
                                          ready.status_code))
        finally:
            artefacts.enqueue = real_enqueue
        out["load"] = {"feed": f"/feeds/p/{tokens['person']}.ics",
                       "timetable": f"/timetables/{slug}/participants/{ids['person']}?lang=fa", "cookie": org.cookie(),
                       "organiser": organiser_id}
        db.engine.dispose()
    return out


def _ms(text: str) -> float:
    """wrk's latency ("812.00us", "23.5ms", "1.20s") in milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float("nan")


def _wrk(port: int, path: str, seconds: int, cookie: str = "") -> tuple[float, float, float, int]:
    """(req/s, p50 ms, p99 ms, non-2xx responses) of `wrk -t1 -c32` on one URL."""
    command = ["wrk", "-t1", "-c32", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout
    lines = out.splitlines()
    rps = next((float(line.split()[1]) for line in lines if line.startswith("Requests/sec")), 0.0)
    p50 = next((_ms(line.split()[1]) for line in lines if line.strip().startswith("50%")), float("nan"))
    p99 = next((_ms(line.split()[1]) for line in lines if line.strip().startswith("99%")), float("nan"))
    errors = next((int(line.split()[-1]) for line in lines if "Non-2xx" in line), 0)
    return rps, p50, p99, errors


def _serve(module: str, port: int, env: dict) -> subprocess.Popen:
    """gunicorn as README deploys it (gunicorn.conf.py: gthread, 8 threads), 2 workers; returns
    once it answers."""
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "-w", "2",
                               "-b", f"127.0.0.1:{port}", module],
                              cwd=env["BENCH_CWD"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        time.sleep(0.3)
        probe = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", f"http://127.0.0.1:{port}/"],
                               capture_output=True, text=True).stdout
        if probe and probe != "000":
            break
    return server


def load_run(directory: Path, targets: dict, seconds: int) -> list[tuple]:
    """hello-world, Karvan's feed and timetable page, hello-world again: req/s, p50, p99."""
    if shutil.which("wrk") is None:
        print("wrk is not installed (make bench-deps, or apt-get install wrk): --load skipped", file=sys.stderr)
        return []
    (directory / "hello.py").write_text(HELLO)
    base = {**os.environ, "SECRET_KEY": SECRET, "KARVAN_ARTEFACT_DIR": str(directory / "artefacts"),
            "DATABASE_URL": f"sqlite:///{directory / 'bench.sqlite'}", "KARVAN_JOBS": "sync", "PYTHONPATH": str(ROOT)}
    hello_env = {**base, "BENCH_CWD": str(directory), "PYTHONPATH": str(directory)}
    karvan_env = {**base, "BENCH_CWD": str(ROOT)}
    results = []
    plan = [("hello-world", "hello:app", 8811, hello_env, "/", ""),
            ("karvan: person feed", "wsgi:app", 8812, karvan_env, targets["feed"], ""),
            ("karvan: person timetable", "wsgi:app", 8812, karvan_env, targets["timetable"], targets["cookie"]),
            ("hello-world, again", "hello:app", 8811, hello_env, "/", "")]
    for label, module, port, env, path, cookie in plan:
        server = _serve(module, port, env)
        try:
            _wrk(port, path, 2, cookie)  # warm: every thread's first request, the code, the caches
            results.append((label, *_wrk(port, path, seconds, cookie)))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", default="250,1000")
    parser.add_argument("--delegation", type=int, default=600, help="visitors in the round's delegation (at most)")
    parser.add_argument("--load", action="store_true")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--data", help="keep each size's database here and reuse it (default: a new temporary folder)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    for noisy in ("weasyprint", "fontTools", "planner"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    data = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="karvan-web-bench-"))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; databases in {data}")
    results = []
    for firms in [int(n) for n in args.firms.split(",")]:
        found = run_size(firms, data / f"bench-{firms}", args.delegation)
        results.append((firms, found))
        built = "reused" if found["build_s"] is None else f"built in {found['build_s']:.0f} s"
        print(f"\n{firms} firms, {found['meetings']} meetings ({built}); load average {os.getloadavg()[0]:.1f}")
        print("| firms | meetings | page | ms | CPU ms | SQL | bytes | status |\n|---|---|---|---|---|---|---|---|")
        for row in found["rows"]:
            print("| " + " | ".join(str(cell) for cell in row) + " |", flush=True)
        print("\nbusiest person of the round against the demo's busiest person, same database")
        print("| firms | page | this round: meetings, time | demo: meetings, time | ratio | CPU ratio |\n|---|---|---|---|---|---|")
        for row in found["compare"]:
            print("| " + " | ".join(str(cell) for cell in row) + " |", flush=True)
        print("\nlarge PDFs: the request, then the background task it queued")
        print("| firms | PDF | request answered | built in s | size | pages | then |\n|---|---|---|---|---|---|---|")
        for row in found["background"]:
            print("| " + " | ".join(str(cell) for cell in row) + " |", flush=True)
    if args.load and results:
        firms, found = results[-1]
        print(f"\nwrk -t1 -c32 -d{args.seconds}s, gunicorn gthread -w 2 --threads 8, {firms} firms; "
              f"load average {os.getloadavg()[0]:.1f}")
        rows = load_run(data / f"bench-{firms}", found["load"], args.seconds)
        hello = [row[1] for row in rows if row[0].startswith("hello")]
        ceiling = statistics.mean(hello) if hello else 0.0
        print("| app: page | req/s | share of hello-world | p50 ms | p99 ms | non-2xx |\n|---|---|---|---|---|---|")
        for label, rps, p50, p99, errors in rows:
            share = f"{100 * rps / ceiling:.0f} %" if ceiling else "?"
            print(f"| {label} | {rps:.0f} | {share} | {p50:.1f} | {p99:.1f} | {errors} |", flush=True)
        print(f"load average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
