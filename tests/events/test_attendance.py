"""Attendance belongs to a person in a round: saving a firm's profile never changes another
round's days, a form saved unchanged changes nothing, and the migration keeps the days
people had."""
from __future__ import annotations

import json
from datetime import date

from flask_migrate import upgrade
from sqlalchemy import select, text

from planner import create_app
from planner.config import overrides_for_tests
from planner.events.attendance import set_attending_days
from planner.events.services import register_firms
from planner.extensions import db
from planner.firms.profiles import profile_form_data
from planner.models import Attendance, Firm
from tests import factories


def _form_from_profile(app, firm) -> dict:
    """What the edit form posts back when the firm changes nothing."""
    with app.test_request_context():
        data = profile_form_data(firm, "en")
    form = {key: data[key] for key in ("name_native", "name_latin", "region", "city", "size")}
    form.update(languages=data["languages"], events=[str(e) for e in data["events"]], public="y")
    for n, row in enumerate(data["capabilities"]):
        form.update({f"capabilities-{n}-kind": row["kind"], f"capabilities-{n}-code": row["code"]})
    for n, row in enumerate(data["participants"]):
        for key, value in row.items():
            if value:
                form[f"participants-{n}-{key}"] = value
    return form


def test_saving_a_profile_keeps_every_rounds_days(app, client, auth):
    past = factories.make_event("past-round", start=date(2020, 3, 1), end=date(2020, 3, 3))
    coming = factories.make_event("coming-round", start=date(2031, 5, 4), end=date(2031, 5, 6))
    firm = factories.make_firm("chelyabinsk", offers=["720851"], participants=2)
    register_firms(past, [firm])
    register_firms(coming, [firm])
    first, second = firm.participants
    set_attending_days(first, past, ["2020-03-02"])
    set_attending_days(first, coming, ["2031-05-05", "2031-05-06"])
    set_attending_days(second, past, [])
    user = factories.make_user(firm=firm)
    db.session.commit()
    before = {(row.participant_id, row.event_id): row.days for row in db.session.scalars(select(Attendance))}
    auth.login(user.email)

    response = client.post(f"/firms/{firm.id}/edit?lang=en", data=_form_from_profile(app, firm))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    after = {(row.participant_id, row.event_id): row.days for row in db.session.scalars(select(Attendance))}
    assert after == before

    # a real edit on the coming round leaves the past round alone
    form = _form_from_profile(app, db.session.get(Firm, firm.id))
    form["participants-0-attending_days"] = ["2031-05-04"]
    form["description"] = "Steel"
    assert client.post(f"/firms/{firm.id}/edit?lang=en", data=form).status_code == 302
    db.session.expire_all()
    first = db.session.get(Firm, firm.id).participants[0]
    assert first.attending_days(past.id) == ["2020-03-02"]
    assert first.attending_days(coming.id) == ["2031-05-04"]
    assert db.session.get(Firm, firm.id).participants[1].attending_days(past.id) == []


def test_days_covering_the_whole_round_mean_every_day(app):
    event = factories.make_event(start=date(2031, 5, 4), end=date(2031, 5, 5))
    person = factories.make_firm().participants[0]
    assert set_attending_days(person, event, ["2031-05-04", "2031-05-05", "2031-05-09"]) is None
    set_attending_days(person, event, [date(2031, 5, 5)])
    assert person.attending_days(event.id) == ["2031-05-05"]
    assert person.attends(event.id, date(2031, 5, 5)) and not person.attends(event.id, date(2031, 5, 4))
    set_attending_days(person, event, None)
    assert person.attending_days(event.id) is None and person.attends(event.id, date(2031, 5, 4))


def test_migration_keeps_attending_days(tmp_path):
    app = create_app(overrides_for_tests(f"sqlite:///{tmp_path / 'old.sqlite'}"))
    with app.app_context():
        upgrade(revision="0001")
        run = db.session.execute
        run(text("INSERT INTO region (id, key, name_fa, name_ru, name_en, country, timezone) "
                 "VALUES (1, 'chelyabinsk', 'چ', 'Ч', 'C', 'RU', 'Asia/Yekaterinburg')"))
        run(text("INSERT INTO firm (id, name_native, name_latin, region_id, city, size, description, languages, public, "
                 "created_at, updated_at) VALUES (1, 'Ф', 'F', 1, '', 'small', '{}', '[]', 1, '2026-01-01', '2026-01-01')"))
        for pid, days in ((1, ["2026-11-09"]), (2, None), (3, ["2026-11-08", "2026-11-09"])):
            run(text("INSERT INTO participant (id, firm_id, first_name, last_name, role, email, languages, attending_days) "
                     "VALUES (:id, 1, 'A', 'B', '{}', :email, '[]', :days)"),
                {"id": pid, "email": f"p{pid}@x.example", "days": None if days is None else json.dumps(days)})
        run(text("INSERT INTO event (id, slug, name, start_date, end_date, timezone, slot_minutes, break_minutes, "
                 "who_can_meet, min_meetings, request_mode, max_open_requests, suggest_for_shortfall, region_key, "
                 "open_days, schedule_revision, created_at) VALUES (1, 'demo', '{}', '2026-11-08', '2026-11-09', "
                 "'Asia/Tehran', 25, 5, 'cross-region', 0, 'mutual-accept', 20, 0, 'k', '[]', 0, '2026-01-01')"))
        run(text("INSERT INTO event_registration (event_id, firm_id, created_at) VALUES (1, 1, '2026-01-01')"))
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT participant_id, event_id, days FROM attendance")).all()
        db.session.remove()
        db.engine.dispose()
    assert [(p, e, json.loads(d)) for p, e, d in rows] == [(1, 1, ["2026-11-09"])]  # 2: every day, 3: both = every day
