"""Published artefacts built once: feeds answer conditional requests with 304 and are read from
the store until the next publish; a large PDF is prepared in the background, and the page that
asked for it says so and then delivers it."""
from __future__ import annotations

import inspect

import pytest

from planner.extensions import db
from planner.models import ScheduleVersion
from planner.models.base import utcnow
from planner.timetables import artefacts
from planner.timetables.feeds import issue_feed_token
from tests import factories
from tests.querycount import request_statements
from tests.scale_factories import make_growing_round


@pytest.fixture
def growing(app):
    data = make_growing_round()
    issue_feed_token(data["person"])
    db.session.commit()
    return data


def test_feed_has_validators_answers_304_and_is_built_once_per_publish(client, growing):
    url = f"/feeds/p/{growing['person'].feed_token}.ics"
    person_id, version_id = growing["person"].id, growing["version"].id
    first = client.get(url)
    assert first.status_code == 200 and first.headers["ETag"] and first.headers["Last-Modified"]
    assert first.get_data().count(b"BEGIN:VEVENT") == 3
    again, statements = request_statements(client, url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b"" and len(statements) <= 6
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    warm, statements = request_statements(client, url)
    assert warm.get_data() == first.get_data() and len(statements) <= 6, str(statements)
    # publishing a round the person is not in changes nothing of their feed
    event = factories.make_event()
    factories.publish_meetings(event, [])
    db.session.commit()
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    # a meeting of theirs called off after publishing gives a new ETag and a fresh body
    version = db.session.get(ScheduleVersion, version_id)
    meeting = next(m for m in version.meetings if person_id in {p.id for p in m.participants})
    meeting.cancelled_at = utcnow()
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert changed.get_data().count(b"BEGIN:VEVENT") == 2
    stored = sorted(path.name for path in (artefacts.artefact_dir() / "feeds").glob(f"p{person_id}-*.ics"))
    assert len(stored) == 1, f"the earlier state's file is removed: {stored}"


def test_large_delegation_pdf_is_prepared_in_the_background(client, growing, monkeypatch):
    monkeypatch.setattr(artefacts, "PDF_INLINE_MAX", 1)
    queued = []
    real_enqueue = artefacts.enqueue

    def enqueue(task_name, **kwargs):
        inspect.signature(real_enqueue).bind(task_name, **kwargs)  # the call the real runner gets
        queued.append((task_name, kwargs))

    monkeypatch.setattr(artefacts, "enqueue", enqueue)
    client.post("/auth/login", data={"email": growing["head_user"].email, "password": "correct horse battery"})
    url = f"/timetables/{growing['event'].slug}/delegations/{growing['delegation'].id}.pdf?lang=ru"
    waiting, statements = request_statements(client, url)
    assert waiting.status_code == 202 and "PDF готовится" in waiting.get_data(as_text=True)
    assert statements.loaded["Meeting"] == 0, "the answer comes at once: no sheet is made while the reader waits"
    assert client.get(url).status_code == 202 and len(queued) == 1, "asked twice, built once"
    task_name, kwargs = queued[0]
    assert task_name == "timetables.pdf"
    artefacts.build_pdf(**kwargs)
    ready = client.get(url)
    assert ready.status_code == 200 and ready.mimetype == "application/pdf" and ready.get_data().startswith(b"%PDF")


def test_stored_feed_is_sent_by_nginx_when_configured(app, client, growing):
    app.config["KARVAN_ARTEFACT_URL"] = "/artefacts/"
    response = client.get(f"/feeds/p/{growing['person'].feed_token}.ics")
    accel = response.headers["X-Accel-Redirect"]
    assert accel.startswith("/artefacts/feeds/p") and response.get_data() == b""
    stored = artefacts.artefact_dir() / accel.removeprefix("/artefacts/")
    assert stored.read_bytes().count(b"BEGIN:VEVENT") == 3


def test_large_pdf_arrives_at_once_when_jobs_run_in_the_request(client, growing, monkeypatch):
    monkeypatch.setattr(artefacts, "PDF_INLINE_MAX", 1)
    client.post("/auth/login", data={"email": growing["organiser"].email, "password": "correct horse battery"})
    response = client.get(f"/timetables/{growing['event'].slug}/tables.pdf?lang=fa")
    assert response.status_code == 200 and response.get_data().startswith(b"%PDF")


def test_delegation_and_table_sheets_show_a_page_at_a_time_on_screen(client, growing, monkeypatch):
    from planner.timetables import views

    monkeypatch.setattr(views, "SHEETS_PER_PAGE", 2)
    client.post("/auth/login", data={"email": growing["head_user"].email, "password": "correct horse battery"})
    url = f"/timetables/{growing['event'].slug}/delegations/{growing['delegation'].id}?lang=en"
    first, second = client.get(url).get_data(as_text=True), client.get(url + "&page=2").get_data(as_text=True)
    members = {p.display_name("en") for p in growing["delegation"].members}
    on_first = {name for name in members if name in first}
    on_second = {name for name in members if name in second}
    assert len(on_first) == 2 and len(on_second) == 1 and on_first | on_second == members
    assert 'rel="next"' in first and 'rel="prev"' in second
    pdf = client.get(f"/timetables/{growing['event'].slug}/delegations/{growing['delegation'].id}.pdf?lang=en")
    assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF"), "the PDF has every member"
