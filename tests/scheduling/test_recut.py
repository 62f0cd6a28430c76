"""A new slot length re-cuts the sessions after a preview: nothing changes before the
confirmation; then kept slots keep their meetings, published meetings whose slot leaves are
called off (CANCEL queued), drafts list theirs as unscheduled, interpreters stay unavailable
over the same times."""
from __future__ import annotations

import re
from datetime import date, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from planner.events.services import add_session
from planner.extensions import db
from planner.models import Interpreter, Meeting, OutgoingMessage, ScheduleVersion, Slot
from planner.scheduling import recut
from tests import factories

SETTINGS = {"slug": "", "name_fa": "دور آزمایشی", "exhibition_id": "0", "start_date": "2026-11-08",
            "end_date": "2026-11-08", "who_can_meet": "cross-region", "min_meetings": "0",
            "request_mode": "mutual-accept"}


def _organiser(auth):
    factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")


def _draft_with_a_meeting_in(scenario, slot) -> ScheduleVersion:
    """A draft (version 2) holding the published meetings and one more meeting in `slot`."""
    published = scenario["version"]
    draft = ScheduleVersion(event=scenario["event"], number=2, status="draft", based_on_id=published.id)
    db.session.add(draft)
    for m in published.meetings:
        draft.meetings.append(Meeting(request=m.request, slot=m.slot, table=m.table, interpreter=m.interpreter,
                                      participants=list(m.participants)))
    extra = factories.make_meeting_request(scenario["event"], scenario["firms"]["ural"], scenario["firms"]["sahand"])
    draft.meetings.append(Meeting(request=extra, slot=slot, table=scenario["tables"][2],
                                  participants=list(extra.requester_firm.participants) + list(extra.target_firm.participants)))
    db.session.flush()
    return draft


def _state():
    return sorted((s.id, s.session_id, s.start_dt, s.retired_at) for s in db.session.scalars(select(Slot)))


def test_a_new_slot_length_is_previewed_then_recuts_the_sessions(client, auth):
    scenario = factories.make_meeting_scenario()  # one session 09:00–12:00 cut 25 + 5: six slots
    event, slots = scenario["event"], scenario["slots"]
    published = scenario["version"]
    lost_published = next(m for m in published.meetings if m.slot_id == slots[2].id)  # toos–zlat at 10:00
    draft = _draft_with_a_meeting_in(scenario, slots[1])
    db.session.commit()
    _organiser(auth)
    before, mails = _state(), db.session.scalar(select(db.func.count(OutgoingMessage.id)))

    # The settings form: 25-minute slots with 65-minute breaks leave 09:00 and 10:30.
    response = client.post(f"/organiser/events/{event.id}/settings?lang=en",
                           data=dict(SETTINGS, slug=event.slug, slot_minutes="25", break_minutes="۶۵"))
    assert response.status_code == 302 and "/recut?slot_minutes=25&break_minutes=65" in response.headers["Location"]
    page = client.get(response.headers["Location"] + "&lang=en").get_data(as_text=True)
    db.session.expire_all()
    assert _state() == before and (event.slot_minutes, event.break_minutes) == (25, 5)  # nothing changed yet
    assert re.search(r'data-figure="lost-published">1<', page) and re.search(r'data-figure="lost-draft">2<', page)
    assert 'data-count="6"' in page and 'data-count="2"' in page
    assert f'data-meeting="{lost_published.id}"' in page
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    persian = client.get(response.headers["Location"] + "&lang=fa").get_data(as_text=True)
    assert 'data-figure="lost-published">۱<' in persian and "۰۹:۰۰–۰۹:۲۵" in persian

    response = client.post(f"/organiser/events/{event.id}/recut?lang=en",
                           data={"slot_minutes": "25", "break_minutes": "65", "digest": digest})
    assert response.status_code == 302 and response.headers["Location"].endswith("#sessions")
    db.session.expire_all()
    assert (event.slot_minutes, event.break_minutes) == (25, 65)
    session = event.sessions[0]
    assert [s.id for s in session.slots] == [slots[0].id, slots[3].id]  # the two whose times stay
    # the published meeting in a slot that left is called off and its people get a CANCEL
    meeting = db.session.get(Meeting, lost_published.id)
    assert meeting.cancelled_at is not None and meeting.cancel_reason == "slot_changed"
    assert db.session.get(Slot, slots[2].id).retired_at is not None  # still named by that meeting
    assert db.session.scalar(select(db.func.count(OutgoingMessage.id))) > mails
    kept = [m for m in published.meetings if m.slot_id == slots[0].id]
    assert len(kept) == 2 and all(m.cancelled_at is None for m in kept)
    # the draft lost its meetings at 09:30 and 10:00, listed as unscheduled for that reason; its slot is gone
    db.session.refresh(draft)
    assert {m.slot_id for m in draft.meetings} == {slots[0].id} and db.session.get(Slot, slots[1].id) is None
    assert sum(entry["reason"] == "slot_changed" for entry in draft.unscheduled) == 2
    html = client.get(f"/organiser/events/{event.id}?lang=en").get_data(as_text=True)
    assert "25-minute slots, 65-minute breaks" in html and "The sessions are cut into 2 slots." in html


def test_a_confirmation_after_a_change_applies_nothing(client, auth):
    scenario = factories.make_meeting_scenario(publish=False)
    event = scenario["event"]
    db.session.commit()
    _organiser(auth)
    page = client.get(f"/organiser/events/{event.id}/recut?slot_minutes=30&break_minutes=0&lang=en").get_data(as_text=True)
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    event.end_date = date(2026, 11, 9)
    add_session(event, date(2026, 11, 9), time(9), time(10))  # the round changes under the preview
    db.session.commit()
    before = _state()
    html = client.post(f"/organiser/events/{event.id}/recut?lang=en", follow_redirects=True,
                       data={"slot_minutes": "30", "break_minutes": "0", "digest": digest}).get_data(as_text=True)
    assert "The round changed since this preview; check the preview again." in html
    db.session.expire_all()
    assert _state() == before and event.slot_minutes == 25


def test_interpreters_stay_unavailable_over_the_same_times(any_app):
    event = factories.make_event(sessions=((0, time(9), time(12)),))
    interpreter = Interpreter(name="Elena", languages=["fa", "ru"])
    event.interpreters.append(interpreter)
    old = factories.event_slots(event)
    interpreter.unavailable_slots = [old[1]]  # 09:30–09:55
    db.session.flush()
    plan = recut.plan_recut(event, 30, 0)
    recut.apply_recut(event, 30, 0, plan.digest)
    db.session.expire_all()
    new = event.sessions[0].slots
    assert len(new) == 6 and all(slot.id not in {s.id for s in old} for slot in new)
    tehran = ZoneInfo("Asia/Tehran")
    assert [(s.start_dt.astimezone(tehran).time(), s.end_dt.astimezone(tehran).time())
            for s in interpreter.unavailable_slots] == [(time(9, 30), time(10))]
    assert db.session.scalar(select(db.func.count(Slot.id))) == 6  # nothing named the old slots: deleted


def test_a_session_shorter_than_one_new_slot_is_refused_with_its_times(app):
    event = factories.make_event(sessions=((0, time(9), time(9, 40)),))
    try:
        recut.plan_recut(event, 45, 5)
    except recut.ServiceError as error:
        assert error.field == "slot_minutes" and "09:00–09:40" in error.message and "45" in error.message
    else:
        raise AssertionError("refused expected")


def test_a_recut_with_published_and_draft_meetings_on_both_databases(any_app):
    scenario = factories.make_meeting_scenario()
    event, slots = scenario["event"], scenario["slots"]
    draft = _draft_with_a_meeting_in(scenario, slots[1])
    db.session.commit()
    plan = recut.plan_recut(event, 25, 65)
    assert (len(plan.lost_published), len(plan.lost_draft)) == (1, 2)
    recut.apply_recut(event, 25, 65, plan.digest)
    db.session.commit()
    db.session.expire_all()
    assert [s.id for s in event.sessions[0].slots] == [slots[0].id, slots[3].id]
    assert db.session.get(Slot, slots[2].id).retired_at is not None and db.session.get(Slot, slots[1].id) is None
    assert {m.slot_id for m in db.session.get(ScheduleVersion, draft.id).meetings} == {slots[0].id}
    assert [m.cancel_reason for m in scenario["version"].meetings if m.slot_id == slots[2].id] == ["slot_changed"]
