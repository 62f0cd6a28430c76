"""The organiser's scheduling pages: run, progress JSON, board, moves (form and JSON),
locks, publish with the version check, versions and diffs."""
from __future__ import annotations

from planner.extensions import db
from planner.models import ScheduleVersion, SolveJob
from planner.scheduling.versions import published_version
from tests.factories import make_user
from tests.scheduling_factories import free_cell, make_round


def _setup(auth):
    r = make_round()
    make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")
    return r


def _run(client, event, limit="2"):
    response = client.post(f"/organiser/events/{event.id}/solve", data={"time_limit": limit, "method": "cp-sat"})
    assert response.status_code == 302
    job = db.session.scalar(db.select(SolveJob).order_by(SolveJob.id.desc()))
    db.session.refresh(job)
    return job


def test_only_organisers_reach_the_scheduler(client, auth):
    r = make_round()
    make_user(email="member@karvan.example")
    db.session.commit()
    auth.login("member@karvan.example")
    assert client.get(f"/organiser/events/{r['event'].id}/schedule").status_code == 403
    assert client.post(f"/organiser/events/{r['event'].id}/solve", data={"time_limit": "2"}).status_code == 403


def test_run_progress_board_move_publish(client, auth):
    r = _setup(auth)
    event = r["event"]
    job = _run(client, event)
    state = client.get(f"/organiser/jobs/{job.id}.json").get_json()
    assert state["status"] == "done" and state["finished"] and state["board_url"]
    html = client.get(f"/organiser/events/{event.id}/schedule?lang=en").get_data(as_text=True)
    assert "Version 1" in html and "draft" in html
    version = db.session.get(ScheduleVersion, job.result_version_id)

    html = client.get(f"{state['board_url']}?lang=en").get_data(as_text=True)
    assert html.count('class="meeting') == 4 and "Ural Pipes" in html and "Toos Steel" in html
    person = r["firms"]["ru1"].participants[0]
    html = client.get(f"{state['board_url']}?participant={person.id}").get_data(as_text=True)
    assert html.count("meeting  mine") + html.count("meeting locked mine") == 2, "ru1 has two meetings highlighted"

    # a refused move (JSON, as drag and drop sends it) names the reason
    meetings = {m.request_id: m for m in version.meetings}
    a = meetings[r["requests"]["ir1-ru1"].id]
    b = meetings[r["requests"]["ir2-ru1"].id]
    busy = {(m.slot_id, m.table_id) for m in version.meetings}
    table = next(t for t in r["tables"] if (b.slot_id, t.id) not in busy)
    response = client.post(f"/organiser/versions/{version.id}/move?lang=en", headers={"Accept": "application/json"},
                           data={"meeting_id": a.id, "slot_id": b.slot_id, "table_id": table.id,
                                 "expected_lock": version.lock_version})
    assert response.status_code == 409 and "already has a meeting" in response.get_json()["error"]
    # an accepted move through the form fallback
    slot, table = free_cell(r, version, a.participants)
    response = client.post(f"/organiser/versions/{version.id}/move?lang=en", data={
        "meeting_id": a.id, "slot_id": slot.id, "table_id": table.id, "expected_lock": version.lock_version},
        follow_redirects=True)
    assert "The meeting was moved." in response.get_data(as_text=True)
    db.session.expire_all()
    assert (a.slot_id, a.table_id) == (slot.id, table.id)
    client.post(f"/organiser/meetings/{a.id}/lock", data={"locked": "1"})
    db.session.expire_all()
    assert a.locked

    # publishing with a stale lock is refused; with the current one it works
    response = client.post(f"/organiser/versions/{version.id}/publish?lang=en",
                           data={"expected_revision": "0", "expected_lock": "0"}, follow_redirects=True)
    assert "changed in the meantime" in response.get_data(as_text=True)
    response = client.post(f"/organiser/versions/{version.id}/publish?lang=en",
                           data={"expected_revision": "0", "expected_lock": str(version.lock_version)}, follow_redirects=True)
    assert "Version 1 is published" in response.get_data(as_text=True)
    db.session.expire_all()
    assert published_version(event).id == version.id
    html = client.get(f"/organiser/versions/{version.id}/diff?lang=en").get_data(as_text=True)
    assert "Added (4)" in html

    # a second organiser who saw revision 0 cannot overwrite it
    response = client.post(f"/organiser/versions/{version.id}/copy", follow_redirects=True)
    copy = db.session.scalar(db.select(ScheduleVersion).where(ScheduleVersion.status == "draft"))
    response = client.post(f"/organiser/versions/{copy.id}/publish?lang=en",
                           data={"expected_revision": "0", "expected_lock": str(copy.lock_version)}, follow_redirects=True)
    assert "Another organiser published" in response.get_data(as_text=True)

    # re-run from the overview keeps the locked meeting
    job = _run(client, event)
    assert job.status == "done"
    rerun = db.session.get(ScheduleVersion, job.result_version_id)
    kept = next(m for m in rerun.meetings if m.request_id == a.request_id)
    assert (kept.slot_id, kept.table_id, kept.locked) == (slot.id, table.id, True)


def test_cancel_and_errors_in_json(client, auth):
    r = _setup(auth)
    job = SolveJob(event_id=r["event"].id, status="queued", time_limit_s=5)
    db.session.add(job)
    db.session.commit()
    response = client.post(f"/organiser/jobs/{job.id}/cancel", headers={"Accept": "application/json"})
    assert response.get_json()["state"]["status"] == "cancelled"
    response = client.post(f"/organiser/jobs/{job.id}/cancel", headers={"Accept": "application/json"})
    assert response.status_code == 409
    html = client.get(f"/organiser/events/{r['event'].id}/schedule?lang=ru").get_data(as_text=True)
    assert 'lang="ru"' in html


def test_an_interpreter_change_is_published_and_shown_apart_from_moves(client, auth):
    from planner.scheduling.board import move_meeting

    r = make_round(interpreters=3)  # three meetings need one: another is always free
    make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")
    version = db.session.get(ScheduleVersion, _run(client, r["event"]).result_version_id)
    client.post(f"/organiser/versions/{version.id}/publish",
                data={"expected_revision": "0", "expected_lock": str(version.lock_version)})
    client.post(f"/organiser/versions/{version.id}/copy")
    copy = db.session.scalar(db.select(ScheduleVersion).where(ScheduleVersion.status == "draft"))
    meeting = next(m for m in copy.meetings if m.interpreter_id)
    busy = {m.interpreter_id for m in copy.meetings if m.slot_id == meeting.slot_id}
    other = next(i for i in r["interpreters"] if i.id not in busy)
    move_meeting(meeting, meeting.slot, meeting.table, interpreter=other)
    db.session.commit()
    response = client.post(f"/organiser/versions/{copy.id}/publish?lang=ru", follow_redirects=True,
                           data={"expected_revision": "1", "expected_lock": str(copy.lock_version)})
    assert "0 перенесено, 1 с другим переводчиком, 0 с другим составом участников, 0 отменено" in response.get_data(as_text=True)
    html = client.get(f"/organiser/versions/{copy.id}/diff?lang=en").get_data(as_text=True)
    assert "Moved (0)" in html and "Another interpreter (1)" in html and "Other attendees (0)" in html
    assert "Interpreter" in html.split("Another interpreter (1)")[1].split("Other attendees")[0]
