"""Rules that hold under concurrency: the same requests fired from threads at once, on SQLite
and PostgreSQL, end as the sequential case would, and never with an HTTP 500."""
from __future__ import annotations

import threading
from collections import Counter
from datetime import date, timedelta

from planner.extensions import db
from planner.models import EventRegistration, MeetingRequest, OutgoingMessage, ScheduleVersion, User
from planner.requests import services as service
from planner.scheduling.drafts import solve_event
from tests import factories
from tests.scheduling_factories import make_round


def _fire(app, cookie: str | None, calls: list[tuple]) -> list[int]:
    """Run the calls — (method, url, data) with `cookie`, or (cookie, method, url, data) — at
    once, one thread and one client each; their status codes."""
    barrier = threading.Barrier(len(calls))
    codes: list[int] = [0] * len(calls)

    def run(index: int, *call) -> None:
        own_cookie, method, url, data = call if len(call) == 4 else (cookie, *call)
        client = app.test_client()
        if own_cookie:
            client.set_cookie("session", own_cookie)
        barrier.wait()
        codes[index] = client.open(url, method=method, data=data).status_code

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def _session_of(app, email: str) -> str:
    client = app.test_client()
    assert client.post("/auth/login", data={"email": email, "password": "correct horse battery"}).status_code == 302
    return client.get_cookie("session").value


def _setup():
    start = date.today() + timedelta(days=30)
    event = factories.make_event(start=start, end=start + timedelta(days=1))
    kr, ch = factories.make_firm("khorasan-razavi", offers=["870830"]), factories.make_firm("chelyabinsk", needs=["8708"])
    for firm in (kr, ch):
        db.session.add(EventRegistration(event=event, firm=firm))
    users = {"kr": factories.make_user(firm=kr), "ch": factories.make_user(firm=ch)}
    db.session.commit()
    return event, kr, ch, users


def _live(event) -> list[MeetingRequest]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(MeetingRequest).where(MeetingRequest.event_id == event.id,
                                                                   MeetingRequest.status.in_(("pending", "accepted")))))


def test_eight_simultaneous_accepts_give_one_answer_and_one_set_of_mails(any_app):
    event, kr, ch, users = _setup()
    row = service.create_request(event, kr.id, ch.id, users["kr"])
    db.session.commit()
    before = db.session.scalar(db.select(db.func.max(OutgoingMessage.id))) or 0
    cookie = _session_of(any_app, users["ch"].email)
    codes = _fire(any_app, cookie, [("POST", f"/requests/{row.id}/accept", {})] * 8)
    assert 500 not in codes and set(codes) <= {302, 409, 503}, codes
    db.session.expire_all()
    row = db.session.get(MeetingRequest, row.id)
    assert row.status == "accepted" and row.responded_by_id == users["ch"].id
    mails = list(db.session.scalars(db.select(OutgoingMessage).where(OutgoingMessage.id > before)))
    assert mails, "the one accept queues its notice"
    assert max(Counter((m.kind, m.recipient) for m in mails).values()) == 1  # one set, not eight


def test_two_firms_requesting_each_other_at_once_get_one_live_request(any_app):
    event, kr, ch, users = _setup()
    kr_cookie, ch_cookie = _session_of(any_app, users["kr"].email), _session_of(any_app, users["ch"].email)
    slug = event.slug
    calls = [(cookie, "POST", f"/requests/new?target={target}&event={slug}",
              {"target": str(target), "priority": "would_like", "event": slug})
             for cookie, target in ((kr_cookie, ch.id), (ch_cookie, kr.id))]
    codes = dict(zip(("kr", "ch"), _fire(any_app, None, calls), strict=True))
    assert 500 not in codes.values(), codes
    assert len(_live(event)) == 1
    assert sorted(codes.values()) == [302, 422]  # the loser sees "there is already a request" on the form


def test_a_double_click_on_send_makes_one_request(any_app):
    event, kr, ch, users = _setup()
    cookie = _session_of(any_app, users["kr"].email)
    slug = event.slug
    url = f"/requests/new?target={ch.id}&event={slug}"
    codes = _fire(any_app, cookie, [("POST", url, {"target": str(ch.id), "priority": "must", "event": slug})] * 2)
    assert 500 not in codes and 302 in codes, codes
    live = _live(event)
    assert len(live) == 1 and (live[0].requester_firm_id, live[0].target_firm_id) == (kr.id, ch.id)


def test_six_simultaneous_registrations_with_one_email_make_one_account(any_app):
    data = {"email": "Same@Karvan.example", "password": "a long enough password", "confirm": "a long enough password",
            "password2": "a long enough password", "name": "Someone", "locale": "en"}
    codes = _fire(any_app, None, [("POST", "/auth/register", data)] * 6)
    assert 500 not in codes and set(codes) <= {200, 409, 429, 503} and 200 in codes, codes
    assert db.session.scalar(db.select(db.func.count()).select_from(User).where(User.email == "same@karvan.example")) == 1


def test_four_simultaneous_copies_get_distinct_version_numbers(any_app):
    r = make_round()
    version, _ = solve_event(r["event"], time_limit_s=2)
    factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    cookie = _session_of(any_app, "org@karvan.example")
    codes = _fire(any_app, cookie, [("POST", f"/organiser/versions/{version.id}/copy", {})] * 4)
    assert 500 not in codes, codes
    db.session.expire_all()
    numbers = list(db.session.scalars(db.select(ScheduleVersion.number).where(ScheduleVersion.event_id == r["event"].id)))
    assert len(numbers) == len(set(numbers)) == 1 + codes.count(302)
    assert codes.count(302) >= 1


def test_simultaneous_accepts_never_pass_a_firms_maximum(any_app):
    event, kr, ch, users = _setup()
    event.max_meetings = 1
    others = [factories.make_firm("khorasan-razavi", offers=["870830"]) for _ in range(3)]
    for firm in others:
        db.session.add(EventRegistration(event=event, firm=firm))
    db.session.flush()
    rows = [service.create_request(event, firm.id, ch.id, factories.make_user(firm=firm)) for firm in (kr, *others)]
    db.session.commit()
    cookie = _session_of(any_app, users["ch"].email)
    codes = _fire(any_app, cookie, [("POST", f"/requests/{row.id}/accept", {}) for row in rows])
    assert 500 not in codes, codes
    db.session.expire_all()
    assert service.accepted_count(event, ch.id) == 1
