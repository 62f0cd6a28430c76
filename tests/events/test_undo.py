"""Deletions on the setup page ask first and can be undone: the same rows come back with the
same ids and links, and an undo is refused once the scheduler ran or the gap was filled."""
from __future__ import annotations

import re
from datetime import date, time, timedelta

from sqlalchemy import select

from planner.events import services as setup
from planner.extensions import db
from planner.models import (
    Closure,
    Delegation,
    DeletedSetupItem,
    EventSession,
    Interpreter,
    MeetingTable,
    Slot,
    SolveJob,
    delegation_interpreters,
)
from planner.models.events import interpreter_unavailable
from tests import factories


def _organiser(auth):
    factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")


def _undo_forms(html: str) -> list[str]:
    return re.findall(r'action="(/organiser/events/\d+/deleted/\d+/undo)"', html)


def _setup_html(client, event, lang="en") -> str:
    return client.get(f"/organiser/events/{event.id}?lang={lang}").get_data(as_text=True)


def test_every_delete_on_the_setup_page_asks_first(client, auth):
    event = factories.make_event()
    event.interpreters.append(Interpreter(name="Елена", languages=["fa", "ru"]))
    db.session.add(Closure(day=event.start_date, reason="Heat", region_key=None))
    _organiser(auth)
    html = _setup_html(client, event)
    deletes = re.findall(r'<form method="post" action="[^"]+/(?:delete)"[^>]*>', html)
    assert len(deletes) == 2 + 4 + 1 + 1  # sessions, tables, the interpreter, the closure
    assert all('data-confirm="Delete this? You can undo it right after."' in form for form in deletes)


def test_a_deleted_host_table_comes_back_with_its_id_and_firm(client, auth):
    event = factories.make_event()
    firm = factories.make_firm("chelyabinsk")
    setup.register_firms(event, [firm])
    stand = MeetingTable(name="Stand 7", position=9, hall="Hall 2", host_firm=firm)
    event.tables.append(stand)
    db.session.flush()
    stand_id = stand.id
    _organiser(auth)
    response = client.post(f"/organiser/events/{event.id}/tables/{stand_id}/delete?lang=en")
    assert response.status_code == 302 and response.headers["Location"].endswith("#tables")
    db.session.expire_all()
    assert db.session.get(MeetingTable, stand_id) is None
    html = _setup_html(client, event)
    assert "Table “Stand 7” deleted." in html
    [undo_url] = _undo_forms(html)
    response = client.post(undo_url + "?lang=en", follow_redirects=True)
    assert "Table “Stand 7” is back." in response.get_data(as_text=True)
    db.session.expire_all()
    table = db.session.get(MeetingTable, stand_id)
    assert (table.event_id, table.name, table.position, table.hall, table.host_firm_id) == (event.id, "Stand 7", 9, "Hall 2", firm.id)
    assert _undo_forms(_setup_html(client, event)) == []  # nothing left to undo
    again = client.post(undo_url + "?lang=en", follow_redirects=True).get_data(as_text=True)
    assert "This deletion has already been undone." in again
    assert db.session.scalar(select(db.func.count(MeetingTable.id)).where(MeetingTable.name == "Stand 7")) == 1


def test_a_deleted_session_comes_back_with_its_slots_and_the_interpreters_unavailable_in_them(client, auth):
    event = factories.make_event()
    interpreter = Interpreter(name="Мария", languages=["fa", "ru"])
    event.interpreters.append(interpreter)
    session = setup.event_sessions(event)[1]
    slot_ids = [slot.id for slot in session.slots]
    interpreter.unavailable_slots = list(session.slots[:2])
    db.session.flush()
    session_id, interpreter_id = session.id, interpreter.id
    _organiser(auth)
    client.post(f"/organiser/events/{event.id}/sessions/{session_id}/delete")
    db.session.expire_all()
    assert db.session.get(EventSession, session_id) is None and not db.session.get(Interpreter, interpreter_id).unavailable_slots
    html = _setup_html(client, event)
    assert "Session of 9 Nov 2026, 09:00–12:00 deleted." in html
    client.post(_undo_forms(html)[0])
    db.session.expire_all()
    restored = db.session.get(EventSession, session_id)
    assert restored.event_id == event.id and [slot.id for slot in restored.slots] == slot_ids
    assert sorted(s.id for s in db.session.get(Interpreter, interpreter_id).unavailable_slots) == sorted(slot_ids[:2])


def test_a_removed_interpreter_comes_back_with_languages_availability_and_delegation(client, auth):
    event = factories.make_event()
    interpreter = Interpreter(name="Ольга", name_latin="Olga", email="olga@karvan.example", languages=["fa", "ru", "en"])
    event.interpreters.append(interpreter)
    slots = factories.event_slots(event)
    interpreter.unavailable_slots = [slots[0], slots[3]]
    delegation = Delegation(key="chelyabinsk-2026", region=factories.region("chelyabinsk"), name={"en": "Chelyabinsk"})
    delegation.interpreters.append(interpreter)
    db.session.add(delegation)
    db.session.flush()
    interpreter_id = interpreter.id
    _organiser(auth)
    client.post(f"/organiser/events/{event.id}/interpreters/{interpreter_id}/delete")
    db.session.expire_all()
    assert db.session.get(Interpreter, interpreter_id) is None
    assert db.session.scalar(select(db.func.count()).select_from(delegation_interpreters)) == 0
    html = _setup_html(client, event, "ru")
    assert "Переводчик Ольга удалён." in html
    client.post(_undo_forms(html)[0])
    db.session.expire_all()
    back = db.session.get(Interpreter, interpreter_id)
    assert (back.name, back.name_latin, back.email, back.languages) == ("Ольга", "Olga", "olga@karvan.example", ["fa", "ru", "en"])
    assert {s.id for s in back.unavailable_slots} == {slots[0].id, slots[3].id}
    assert [i.id for i in db.session.get(Delegation, delegation.id).interpreters] == [interpreter_id]


def test_a_deleted_closure_blocks_its_day_again_after_undo(client, auth):
    event = factories.make_event()
    closure = Closure(day=date(2026, 11, 9), reason="Heat wave", region_key="khorasan-razavi")
    db.session.add(closure)
    db.session.flush()
    closure_id = closure.id
    _organiser(auth)
    client.post(f"/organiser/events/{event.id}/closures/{closure_id}/delete")
    db.session.expire_all()
    assert date(2026, 11, 9) in setup.usable_days(event)
    html = _setup_html(client, event, "fa")
    assert "حذف شد" in html
    client.post(_undo_forms(html)[0])
    db.session.expire_all()
    assert db.session.get(Closure, closure_id).reason == "Heat wave"
    assert date(2026, 11, 9) not in setup.usable_days(event)


def test_undo_is_refused_once_the_scheduler_ran_since_the_deletion(client, auth):
    event = factories.make_event()
    table_id = event.tables[-1].id
    _organiser(auth)
    client.post(f"/organiser/events/{event.id}/tables/{table_id}/delete")
    [undo_url] = _undo_forms(_setup_html(client, event))
    db.session.add(SolveJob(event_id=event.id, status="done", time_limit_s=5))  # a run after the deletion
    db.session.commit()
    assert _undo_forms(_setup_html(client, event)) == []  # no longer offered
    html = client.post(undo_url + "?lang=en", follow_redirects=True).get_data(as_text=True)
    assert "The scheduler has run since this deletion and planned without it" in html
    db.session.expire_all()
    assert db.session.get(MeetingTable, table_id) is None


def test_undo_is_refused_when_the_gap_was_filled_or_the_offer_is_old(client, auth):
    event = factories.make_event()
    session = setup.event_sessions(event)[0]
    _organiser(auth)
    client.post(f"/organiser/events/{event.id}/sessions/{session.id}/delete")
    [undo_url] = _undo_forms(_setup_html(client, event))
    setup.add_session(event, date(2026, 11, 8), time(10), time(11))  # the time is taken again
    db.session.commit()
    html = client.post(undo_url + "?lang=ru", follow_redirects=True).get_data(as_text=True)
    assert "Это время теперь занято другой сессией." in html
    item = db.session.scalar(select(DeletedSetupItem))
    assert item.restored_at is None
    # an offer older than the window is no longer undone
    table_id = event.tables[0].id
    client.post(f"/organiser/events/{event.id}/tables/{table_id}/delete")
    old = db.session.scalar(select(DeletedSetupItem).order_by(DeletedSetupItem.id.desc()))
    old.deleted_at -= timedelta(hours=2)
    db.session.commit()
    html = client.post(f"/organiser/events/{event.id}/deleted/{old.id}/undo?lang=en", follow_redirects=True).get_data(as_text=True)
    assert "This deletion is too old to undo" in html


def test_a_deletion_of_something_in_use_is_refused_and_keeps_no_undo(client, auth):
    scenario = factories.make_meeting_scenario()
    event, table = scenario["event"], scenario["tables"][0]
    _organiser(auth)
    html = client.post(f"/organiser/events/{event.id}/tables/{table.id}/delete?lang=en", follow_redirects=True).get_data(as_text=True)
    assert "Meetings are scheduled at this table; it cannot be deleted." in html
    assert db.session.scalar(select(db.func.count(DeletedSetupItem.id))) == 0
    assert db.session.scalar(select(db.func.count(Slot.id)).where(Slot.retired_at.is_not(None))) == 0
    assert db.session.scalar(select(db.func.count()).select_from(interpreter_unavailable)) == 0


def test_undo_restores_the_same_ids_on_both_databases(any_app):
    client = any_app.test_client()
    event = factories.make_event()
    interpreter = Interpreter(name="Мария", languages=["fa", "ru"])
    event.interpreters.append(interpreter)
    session = setup.event_sessions(event)[0]
    interpreter.unavailable_slots = list(session.slots[:1])
    factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    session_id, table_id, slot_ids = session.id, event.tables[1].id, [s.id for s in session.slots]
    client.post("/auth/login", data={"email": "org@karvan.example", "password": "correct horse battery"})
    client.post(f"/organiser/events/{event.id}/sessions/{session_id}/delete")
    client.post(f"/organiser/events/{event.id}/tables/{table_id}/delete")
    for url in _undo_forms(_setup_html(client, event)):
        assert client.post(url).status_code == 302
    db.session.expire_all()
    assert [s.id for s in db.session.get(EventSession, session_id).slots] == slot_ids
    assert [s.id for s in db.session.get(Interpreter, interpreter.id).unavailable_slots] == slot_ids[:1]
    assert db.session.get(MeetingTable, table_id).name == "T02"
    client.post(f"/organiser/events/{event.id}/tables", data={"count": "1"})  # new rows still get new ids
    db.session.expire_all()
    assert max(t.id for t in event.tables) > table_id and len(event.tables) == 5
