"""The organiser console while a solve runs: an htmx-polled fragment shows the meetings placed
so far of the accepted requests, the gaps in people's days and the time left, from the figures
the solver writes into `SolveJob.progress`; once the run ends the fragment stops polling and
tells the versions list to refresh. Checked in Persian (Persian digits) and Russian (plurals)."""
from __future__ import annotations

import re
from datetime import timedelta

from planner.extensions import db
from planner.models import SolveJob
from planner.models.base import utcnow
from planner.scheduling.solving import JobChannel
from tests.factories import make_event, make_user


def _job(event, **progress) -> SolveJob:
    job = SolveJob(event_id=event.id, status="running", time_limit_s=60, started_at=utcnow() - timedelta(seconds=20),
                   heartbeat_at=utcnow(), progress=dict(elapsed=20.0, objective=None, bound=None, method="cp-sat", **progress))
    db.session.add(job)
    db.session.commit()
    return job


def _login(auth):
    make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_running_solve_shows_placed_gaps_and_time_left_in_persian_digits(client, auth):
    event = make_event()
    _login(auth)
    job = _job(event, accepted=21, scheduled=17, holes=5)
    response = client.get(f"/organiser/jobs/{job.id}/progress?lang=fa")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Trigger" not in response.headers
    assert f'hx-get="/organiser/jobs/{job.id}/progress"' in html and 'hx-trigger="every 700ms"' in html
    text = _text(html)
    assert "تاکنون ۱۷ از ۲۱ درخواست پذیرفته‌شده جای گرفته است" in text
    assert "۵" in re.search(r'data-figure="holes">([^<]*)<', html).group(1)
    remaining = re.search(r'class="job-remaining">([^<]*)<', html).group(1)
    assert remaining in ("۴۰", "۳۹", "۳۸") and not re.search(r"[0-9]", remaining)


def test_russian_counts_take_their_plural_forms(client, auth):
    event = make_event()
    _login(auth)
    for accepted, scheduled, holes, placed, gaps in (
            (21, 17, 1, "Пока размещено 17 из 21 принятого запроса", "1 окно в днях участников"),
            (2, 2, 2, "Пока размещено 2 из 2 принятых запросов", "2 окна в днях участников"),
            (5, 4, 5, "Пока размещено 4 из 5 принятых запросов", "5 окон в днях участников")):
        job = _job(event, accepted=accepted, scheduled=scheduled, holes=holes)
        text = _text(client.get(f"/organiser/jobs/{job.id}/progress?lang=ru").get_data(as_text=True))
        assert placed in text and gaps in text, text
        job.status = "cancelled"
        db.session.commit()


def test_before_the_first_figures_the_fragment_says_what_it_is_placing(client, auth):
    event = make_event()
    _login(auth)
    job = _job(event, accepted=3)
    text = _text(client.get(f"/organiser/jobs/{job.id}/progress?lang=en").get_data(as_text=True))
    assert "Placing 3 accepted requests" in text and "Time left" in text


def test_a_finished_run_stops_polling_and_refreshes_the_versions(client, auth):
    event = make_event()
    _login(auth)
    job = _job(event, accepted=21, scheduled=19, holes=0)
    job.status, job.finished_at = "done", utcnow()
    db.session.commit()
    response = client.get(f"/organiser/jobs/{job.id}/progress?lang=en")
    html = response.get_data(as_text=True)
    assert response.headers["HX-Trigger"] == "solve-finished" and "hx-get" not in html
    assert "19 of 21 accepted requests placed" in _text(html) and "Time left" not in html
    page = client.get(f"/organiser/events/{event.id}/schedule?lang=en").get_data(as_text=True)
    assert 'hx-trigger="solve-finished from:body"' in page and 'hx-select="#versions"' in page
    assert "/static/vendor/htmx/htmx.min.js" in page


def test_the_solvers_figures_reach_the_job_row(app):
    event = make_event()
    job = _job(event, accepted=4)
    channel = JobChannel(db.engine, job.id, every_s=0, initial=job.progress)  # as run_solve_job builds it
    channel.figures(3, 2)
    channel.progress(1.0, 10.0, 12.0)
    db.session.expire_all()
    assert (job.progress["scheduled"], job.progress["holes"], job.progress["accepted"]) == (3, 2, 4)
    assert job.progress["method"] == "cp-sat" and job.progress["objective"] == 10.0
