"""Rows ↔ solver problem translation, solving into validated drafts, blocked days, suggestions."""
from __future__ import annotations

from datetime import date, time

import pytest

from planner.events.attendance import set_attending_days
from planner.extensions import db
from planner.models import Closure, MeetingRequest, MeetingTable, ScheduleVersion
from planner.scheduling.drafts import solve_event
from planner.scheduling.translate import build_problem, version_assignments
from solver.io import problem_from_dict, problem_to_dict
from solver.validate import check
from tests.factories import make_event, make_firm
from tests.factories import make_meeting_request as make_request
from tests.scheduling_factories import free_cell, make_round

LIMIT = 3.0


def _meeting(problem, key):
    return next(m for m in problem.meetings if m.id == key)


def test_translation_of_rows_into_a_problem(any_app):
    r = make_round()
    event, firms, requests = r["event"], r["firms"], r["requests"]
    same_region = make_request(event, firms["ir1"], firms["ir2"])
    declined = make_request(event, firms["ru2"], firms["ir2"], status="declined")
    host = MeetingTable(name="Stand A-12", position=9, host_firm=firms["ru1"])
    event.tables.append(host)
    part_time = firms["ir1"].participants[0]
    nima = type(part_time)(first_name="Nima", last_name="K", email="nima@x.example", languages=["fa", "ru"])
    firms["ir1"].participants.append(nima)
    db.session.flush()
    set_attending_days(nima, event, ["2026-11-09"])
    t = build_problem(event)
    p = t.problem

    assert [s.id for s in p.sessions] == [f"session{s.id}" for s in dict.fromkeys(event.sessions)]
    assert len(p.slots) == 8 and all(s.start.utcoffset().total_seconds() == 3.5 * 3600 for s in p.slots)
    assert {x.id for x in p.tables} == {f"t{table.id}" for table in event.tables}
    people = {x.id: x for x in p.participants}
    ir1 = f"p{firms['ir1'].participants[0].id}"
    ru1 = f"p{firms['ru1'].participants[0].id}"
    assert people[ir1].languages == {"fa", "en"}
    assert people[ru1].table == f"t{host.id}", "a host firm meets at its stand"
    assert f"p{firms['ir1'].participants[1].id}" not in people, "part-time people join meetings, they do not constrain them"
    assert people[ir1].min_meetings == 0 and people[ir1].max_meetings is None
    must = _meeting(p, f"m{requests['ir1-ru1'].id}")
    assert must.required and set(must.participants) == {ir1, ru1}
    optional = _meeting(p, f"m{requests['ir2-ru2'].id}")
    assert not optional.required and optional.weight > 1
    assert f"m{declined.id}" not in {m.id for m in p.meetings}
    assert {"request_id": same_region.id, "reason": "same_region"} in t.skipped
    assert p.interpreters[0].languages == {"fa", "ru"}
    assert problem_from_dict(problem_to_dict(p)) == p, "the problem survives the b2b-instance/1 round trip"


def test_solve_stores_a_valid_draft_with_every_must_meeting(any_app):
    r = make_round()
    version, solution = solve_event(r["event"], time_limit_s=LIMIT)
    assert version is not None and version.status == "draft" and version.number == 1
    problem = build_problem(r["event"]).problem
    report = check(problem, version_assignments(version))
    assert report.ok, report.violations
    scheduled = {m.request_id for m in version.meetings}
    assert {r["requests"]["ir1-ru1"].id, r["requests"]["ir2-ru1"].id} <= scheduled
    assert version.stats["scheduled"] == len(version.meetings) == 4
    interpreted = next(m for m in version.meetings if m.request_id == r["requests"]["ir2-ru2"].id)
    assert interpreted.interpreter_id == r["interpreters"][0].id, "fa ↔ ru needs the interpreter"
    both = next(m for m in version.meetings if m.request_id == r["requests"]["ir1-ru1"].id)
    assert {p.firm_id for p in both.participants} == {r["firms"]["ir1"].id, r["firms"]["ru1"].id}


def test_part_time_people_join_only_meetings_on_their_days(any_app):
    r = make_round()
    firm = r["firms"]["ir1"]
    person = type(firm.participants[0])(first_name="Nima", last_name="K", email="nima@x.example", languages=["fa"])
    firm.participants.append(person)
    db.session.flush()
    set_attending_days(person, r["event"], ["2026-11-09"])
    version, _solution = solve_event(r["event"], time_limit_s=LIMIT)
    for meeting in version.meetings:
        if firm.id in {p.firm_id for p in meeting.participants}:
            on_second_day = meeting.slot.start_dt.date() == date(2026, 11, 9)
            assert (person in meeting.participants) == on_second_day


def test_fridays_holidays_and_closures_are_blocked_unless_opened(any_app):
    # Thursday 12 → Saturday 14 November 2026; the 13th is a Friday and an Iranian holiday.
    event = make_event(start=date(2026, 11, 12), end=date(2026, 11, 14),
                       sessions=((0, time(9), time(10)), (1, time(9), time(10)), (2, time(9), time(10))))
    days = lambda: sorted({s.start.date() for s in build_problem(event).problem.slots})  # noqa: E731
    assert days() == [date(2026, 11, 12), date(2026, 11, 14)]
    db.session.add(Closure(day=date(2026, 11, 14), region_key="khorasan-razavi", reason="heat wave"))
    db.session.add(Closure(day=date(2026, 11, 12), region_key="tehran", reason="elsewhere"))
    db.session.flush()
    assert days() == [date(2026, 11, 12)]
    event.open_days = ["2026-11-13"]
    db.session.flush()
    assert days() == [date(2026, 11, 12), date(2026, 11, 13)]


def test_must_meets_that_cannot_all_fit_are_reported_not_lost(any_app):
    r = make_round(days=1, slots_per_session=1, tables=3)
    version, _solution = solve_event(r["event"], time_limit_s=LIMIT)
    assert version is not None
    reasons = {item["request_id"]: item["reason"] for item in version.unscheduled}
    musts = {r["requests"]["ir1-ru1"].id, r["requests"]["ir2-ru1"].id}
    assert len(musts & {m.request_id for m in version.meetings}) == 1, "ru1 can attend one meeting in one slot"
    assert "required_infeasible" in {reasons.get(i) for i in musts}
    assert version.stats["relaxed_required"]
    assert check(build_problem(r["event"]).problem, version_assignments(version)).codes() == {"required_unscheduled"}


def test_unscheduled_reasons(any_app):
    r = make_round(interpreters=0)
    version, _solution = solve_event(r["event"], time_limit_s=LIMIT)
    reasons = {item["request_id"]: item["reason"] for item in version.unscheduled}
    assert reasons[r["requests"]["ir2-ru2"].id] == "no_interpreter"
    assert r["requests"]["ir1-ru1"].id not in reasons


def test_suggestions_for_firms_below_their_minimum(any_app):
    event = make_event(min_meetings=2, suggest_for_shortfall=True, tables=3)
    a = make_firm("khorasan-razavi", offers=["7208"], needs=["8474"], languages=["fa", "en"])
    b = make_firm("chelyabinsk", offers=["8474"], needs=["7208"], languages=["ru", "en"])
    c = make_firm("chelyabinsk", offers=["8474"], needs=["720810"], languages=["ru", "en"])
    from planner.events.services import register_firms

    register_firms(event, [a, b, c])
    make_request(event, a, b)
    version, _solution = solve_event(event, time_limit_s=LIMIT)
    suggested = db.session.scalars(db.select(MeetingRequest).where(MeetingRequest.suggested.is_(True))).all()
    assert {frozenset((s.requester_firm_id, s.target_firm_id)) for s in suggested} == {frozenset((a.id, c.id))}
    assert {m.request_id for m in version.meetings} >= {s.id for s in suggested}
    assert version.stats["suggestions_scheduled"] == 1


def test_locked_meetings_are_kept_by_a_rerun(any_app):
    r = make_round()
    first, _ = solve_event(r["event"], time_limit_s=LIMIT)
    locked = next(m for m in first.meetings if m.request_id == r["requests"]["ir2-ru2"].id)
    # pin it somewhere the solver would not choose by itself: the last slot, last table
    from planner.scheduling.board import move_meeting, set_locked

    slot, table = free_cell(r, first, locked.participants, interpreter=True, latest=True)
    move_meeting(locked, slot, table)
    set_locked(locked, True)
    db.session.flush()
    second, _ = solve_event(r["event"], time_limit_s=LIMIT, base=first)
    again = next(m for m in second.meetings if m.request_id == locked.request_id)
    assert (again.slot_id, again.table_id, again.locked) == (slot.id, table.id, True)
    assert second.based_on_id == first.id
    assert db.session.scalar(db.select(db.func.count(ScheduleVersion.id))) == 2


def test_an_event_without_slots_is_refused(any_app):
    from planner.errors import ServiceError

    event = make_event(sessions=())
    with pytest.raises(ServiceError):
        solve_event(event, time_limit_s=LIMIT)


def test_interpreters_swapped_within_a_slot_are_given_back():
    import solver
    from planner.scheduling.interpreters import keep_previous_interpreters

    when = __import__("datetime").datetime(2026, 11, 8, 9, tzinfo=__import__("datetime").timezone.utc)
    problem = solver.Problem(
        sessions=(solver.Session("S", ("s1",)),), slots=(solver.Slot("s1", when, when.replace(hour=10)),),
        tables=(solver.Table("t1"), solver.Table("t2")),
        participants=tuple(solver.Participant(f"p{n}", languages=frozenset({"fa"} if n % 2 else {"ru"})) for n in range(1, 5)),
        interpreters=(solver.Interpreter("i1", frozenset({"fa", "ru"})), solver.Interpreter("i2", frozenset({"fa", "ru"}))),
        meetings=(solver.Meeting("m1", ("p1", "p2")), solver.Meeting("m2", ("p3", "p4"))),
        previous=(solver.Assignment("m1", "s1", "t1", "i1"), solver.Assignment("m2", "s1", "t2", "i2")))
    swapped = solver.Solution(solver.Status.OPTIMAL, (solver.Assignment("m1", "s1", "t1", "i2"),
                                                      solver.Assignment("m2", "s1", "t2", "i1")))
    kept = keep_previous_interpreters(problem, swapped)
    assert [(a.meeting, a.interpreter) for a in kept.assignments] == [("m1", "i1"), ("m2", "i2")]
    assert check(problem, kept).ok


def test_a_crowded_plan_says_what_was_missing(any_app):
    r = make_round(days=1, slots_per_session=2, interpreters=1)
    version, _solution = solve_event(r["event"], time_limit_s=LIMIT)
    reasons = {item["request_id"]: item["reason"] for item in version.unscheduled}
    assert len(version.meetings) == 3 and len(reasons) == 1, "one interpreter serves two of the three fa↔ru meetings"
    assert set(reasons.values()) <= {"interpreters_busy", "both_busy"}


def test_russian_public_holidays_block_russian_participants_only(any_app):
    # 4 November is Unity Day in Russia, an ordinary Wednesday in Iran.
    event = make_event(start=date(2026, 11, 3), end=date(2026, 11, 4), sessions=((0, time(9), time(10)), (1, time(9), time(10))))
    ir = make_firm("khorasan-razavi")
    ru = make_firm("chelyabinsk")
    from planner.events.services import register_firms

    register_firms(event, [ir, ru])
    problem = build_problem(event).problem
    people = {p.id: p for p in problem.participants}
    holiday = {s.id for s in problem.slots if s.start.date() == date(2026, 11, 4)}
    assert people[f"p{ru.participants[0].id}"].unavailable == holiday
    assert people[f"p{ir.participants[0].id}"].unavailable == frozenset()
