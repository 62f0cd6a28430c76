"""Publishing: atomic, version-checked, with diffs and iCalendar sequences; board moves
checked with the solver's rules; re-planning after a cancellation moves only what must."""
from __future__ import annotations

import pytest

from planner.errors import ServiceError
from planner.events.attendance import set_attending_days
from planner.extensions import db
from planner.models import MeetingRequest, ScheduleVersion
from planner.scheduling.board import MoveRefused, move_meeting, place_request, set_locked, unschedule_meeting
from planner.scheduling.drafts import solve_event
from planner.scheduling.publishing import PublishConflict, copy_version, diff_versions, publish_version
from planner.scheduling.translate import build_problem, version_assignments
from planner.scheduling.versions import published_version
from solver.validate import check
from tests.scheduling_factories import make_round

LIMIT = 3.0


def _meeting(version, request):
    return next(m for m in version.meetings if m.request_id == request.id)


def _free_cell(r, version, avoid_people=(), interpreter=False):
    """A (slot, table) where neither the table nor any of `avoid_people` (nor, with
    `interpreter`, the interpreter) is busy."""
    busy_tables = {(m.slot_id, m.table_id) for m in version.meetings}
    busy_people = {(m.slot_id, p.id) for m in version.meetings for p in m.participants}
    interpreted = {m.slot_id for m in version.meetings if m.interpreter_id}
    for slot in r["slots"]:
        if any((slot.id, p.id) in busy_people for p in avoid_people) or (interpreter and slot.id in interpreted):
            continue
        for table in r["tables"]:
            if (slot.id, table.id) not in busy_tables:
                return slot, table
    raise AssertionError("no free cell")


def test_first_publish_sets_sequences_and_queues_notices(any_app):
    r = make_round()
    draft, _ = solve_event(r["event"], time_limit_s=LIMIT)
    diff = publish_version(draft, expected_revision=0)
    db.session.commit()
    assert draft.status == "published" and published_version(r["event"]) == draft
    assert len(diff.added) == 4 and not diff.moved and not diff.cancelled
    assert r["event"].schedule_revision == 1
    assert all(m.sequence == 0 and m.request.ical_sequence == 0 for m in draft.meetings)
    assert draft.stats["diff"]["added"] == 4
    from planner.models.mail import OutgoingMessage

    assert db.session.scalar(db.select(db.func.count(OutgoingMessage.id))) > 0, "invites are queued after a publish"


def test_concurrent_publish_is_detected_and_nothing_is_overwritten(any_app):
    r = make_round()
    first, _ = solve_event(r["event"], time_limit_s=LIMIT)
    second = copy_version(first)
    seen = r["event"].schedule_revision
    publish_version(first, expected_revision=seen)
    db.session.commit()
    with pytest.raises(PublishConflict):
        publish_version(second, expected_revision=seen)
    db.session.rollback()
    assert published_version(r["event"]).id == first.id
    assert db.session.get(ScheduleVersion, second.id).status == "draft"


def test_a_draft_changed_since_it_was_seen_is_not_published(any_app):
    r = make_round()
    draft, _ = solve_event(r["event"], time_limit_s=LIMIT)
    seen = draft.lock_version
    meeting = _meeting(draft, r["requests"]["ir1-ru1"])
    slot, table = _free_cell(r, draft, meeting.participants)
    move_meeting(meeting, slot, table)
    db.session.commit()
    with pytest.raises(PublishConflict):
        publish_version(draft, expected_revision=0, expected_lock=seen)
    db.session.rollback()
    assert published_version(r["event"]) is None


def test_replan_after_a_cancellation_moves_nothing_else(any_app):
    r = make_round()
    v1, _ = solve_event(r["event"], time_limit_s=LIMIT)
    publish_version(v1, expected_revision=0)
    db.session.commit()
    before = {m.request_id: (m.slot_id, m.table_id, m.interpreter_id) for m in v1.meetings}
    withdrawn = r["requests"]["ir1-ru2"]
    withdrawn.status = "withdrawn"
    db.session.commit()
    v2, solution = solve_event(r["event"], time_limit_s=LIMIT)
    assert solution.stats.moved == 0
    after = {m.request_id: (m.slot_id, m.table_id, m.interpreter_id) for m in v2.meetings}
    assert after == {k: v for k, v in before.items() if k != withdrawn.id}
    diff = publish_version(v2, expected_revision=1)
    db.session.commit()
    assert [m.request_id for m in diff.cancelled] == [withdrawn.id] and not diff.moved and not diff.added
    assert db.session.get(MeetingRequest, withdrawn.id).ical_sequence == 1, "the cancellation outranks the invitation"
    assert all(m.sequence == 0 for m in v2.meetings), "unchanged meetings keep their sequence"
    assert db.session.get(ScheduleVersion, v1.id).status == "superseded"


def test_a_moved_meeting_gets_a_higher_sequence(any_app):
    r = make_round()
    v1, _ = solve_event(r["event"], time_limit_s=LIMIT)
    publish_version(v1, expected_revision=0)
    v2 = copy_version(v1)
    meeting = _meeting(v2, r["requests"]["ir1-ru1"])
    slot, table = _free_cell(r, v2, meeting.participants)
    move_meeting(meeting, slot, table)
    diff = publish_version(v2, expected_revision=1)
    assert [after.request_id for _before, after in diff.moved] == [meeting.request_id]
    assert meeting.sequence == 1 and meeting.request.ical_sequence == 1
    assert all(m.sequence == 0 for m in v2.meetings if m is not meeting)
    assert diff_versions(v1, v2).counts() == {"added": 0, "moved": 1, "interpreter": 0, "people": 0, "cancelled": 0,
                                             "unchanged": 3}


def test_moves_are_checked_with_the_solver_rules(any_app):
    r = make_round()
    draft, _ = solve_event(r["event"], time_limit_s=LIMIT)
    requests, firms = r["requests"], r["firms"]
    a = _meeting(draft, requests["ir1-ru1"])
    b = _meeting(draft, requests["ir2-ru1"])  # ru1 is in both
    # double booking of a person
    with pytest.raises(MoveRefused, match="already has a meeting"):
        free_table = next(t for t in r["tables"] if (b.slot_id, t.id) not in {(m.slot_id, m.table_id) for m in draft.meetings})
        move_meeting(a, b.slot, free_table)
    # a table already taken
    other = _meeting(draft, requests["ir2-ru2"])
    with pytest.raises(MoveRefused, match="already taken"):
        move_meeting(a, other.slot, other.table)
    # a person who is not there that day
    set_attending_days(firms["ir1"].participants[0], r["event"], ["2026-11-08"])
    db.session.flush()
    second_day = [s for s in r["slots"] if s.start_dt.date().isoformat() == "2026-11-09"]
    busy = {(m.slot_id, m.table_id) for m in draft.meetings}
    target = next((s, t) for s in second_day for t in r["tables"] if (s.id, t.id) not in busy)
    with pytest.raises(MoveRefused, match="not available"):
        move_meeting(a, *target)
    set_attending_days(firms["ir1"].participants[0], r["event"], None)
    # a locked meeting stays
    set_locked(a, True)
    with pytest.raises(MoveRefused, match="locked"):
        move_meeting(a, *target)
    set_locked(a, False)
    # a good move is accepted, the draft stays valid and its figures follow
    slot, table = _free_cell(r, draft, a.participants)
    move_meeting(a, slot, table)
    assert (a.slot_id, a.table_id) == (slot.id, table.id)
    assert check(build_problem(r["event"]).problem, version_assignments(draft)).ok
    assert draft.stats["scheduled"] == 4


def test_host_table_and_interpreter_rules_refuse_moves(any_app):
    r = make_round(interpreters=1)
    from planner.events.resources import add_table

    stand = add_table(r["event"], "Stand B-04", host_firm=r["firms"]["ru2"])
    draft, _ = solve_event(r["event"], time_limit_s=LIMIT)
    interpreted = _meeting(draft, r["requests"]["ir2-ru2"])
    assert interpreted.table_id == stand.id
    hall = next(t for t in r["tables"] if (interpreted.slot_id, t.id) not in {(m.slot_id, m.table_id) for m in draft.meetings})
    with pytest.raises(MoveRefused, match="own stand"):
        move_meeting(interpreted, interpreted.slot, hall)


def test_a_move_needing_a_busy_interpreter_is_refused(any_app):
    r = make_round(interpreters=1)
    draft, _ = solve_event(r["event"], time_limit_s=LIMIT)
    for key in ("ir1-ru1", "ir2-ru2"):  # clear the way: only the interpreter can be in conflict
        unschedule_meeting(_meeting(draft, r["requests"][key]))
    other = _meeting(draft, r["requests"]["ir2-ru1"])
    mover = _meeting(draft, r["requests"]["ir1-ru2"])
    assert other.interpreter_id is not None and mover.interpreter_id is not None
    cell = next(t for t in r["tables"] if t.id != other.table_id)
    with pytest.raises(MoveRefused, match="interpreter"):
        move_meeting(mover, other.slot, cell)


def test_place_and_unschedule_by_hand(any_app):
    r = make_round()
    draft, _ = solve_event(r["event"], time_limit_s=LIMIT)
    meeting = _meeting(draft, r["requests"]["ir1-ru2"])
    request = meeting.request
    unschedule_meeting(meeting)
    assert request.id in {item["request_id"] for item in draft.unscheduled}
    slot, table = _free_cell(r, draft, [p for f in ("ir1", "ru2") for p in r["firms"][f].participants], interpreter=True)
    placed = place_request(draft, request, slot, table)
    assert placed.interpreter_id is not None
    assert request.id not in {item["request_id"] for item in draft.unscheduled}
    with pytest.raises(ServiceError):
        place_request(draft, request, slot, table)


def test_published_versions_are_not_edited_in_place(any_app):
    r = make_round()
    draft, _ = solve_event(r["event"], time_limit_s=LIMIT)
    publish_version(draft, expected_revision=0)
    meeting = draft.meetings[0]
    with pytest.raises(ServiceError):
        set_locked(meeting, True)
    with pytest.raises(ServiceError):
        publish_version(draft, expected_revision=1)


def test_publish_is_all_or_nothing(any_app, monkeypatch):
    r = make_round()
    draft, _ = solve_event(r["event"], time_limit_s=LIMIT)
    db.session.commit()
    import planner.notifications.invites as invites

    def fail(*args, **kwargs):
        raise RuntimeError("mail queue unavailable")

    monkeypatch.setattr(invites, "queue_publish_notices", fail)
    with pytest.raises(RuntimeError):
        publish_version(draft, expected_revision=0)
    db.session.rollback()
    db.session.expire_all()
    assert published_version(r["event"]) is None
    assert db.session.get(ScheduleVersion, draft.id).status == "draft"
    assert r["event"].schedule_revision == 0
    assert all(request.ical_sequence == -1 for request in r["requests"].values())
