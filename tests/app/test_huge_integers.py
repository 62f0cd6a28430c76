"""Integers past the database's range in any query or form field get a 4xx (or are read as
absent), never a 500: every route, every field name the app reads, as a firm member and as an
organiser, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from planner.extensions import db
from planner.urls import InDatabaseRange, database_int, parse_database_int
from tests import factories
from tests.app.test_fuzz_routes import FIELD_NAMES

HUGE = ["2147483648", "-2147483649", "9223372036854775808", "99999999999999999999999"]


def test_database_int_refuses_what_the_database_cannot_hold():
    assert database_int(" 2147483647 ") == 2147483647 and database_int("-5") == -5
    for value in HUGE + ["", "x", "1.5"]:
        with pytest.raises(ValueError):
            database_int(value)
        assert parse_database_int(value) is None


def test_the_form_validator_gives_a_field_error(app):
    from flask_wtf import FlaskForm
    from wtforms import IntegerField

    class Form(FlaskForm):
        meeting_id = IntegerField(validators=[InDatabaseRange()])

    with app.test_request_context(method="POST", data={"meeting_id": HUGE[0]}):
        form = Form(formdata=MultiDict({"meeting_id": HUGE[0]}), meta={"csrf": False})
        assert not form.validate() and form.meeting_id.errors


@pytest.mark.parametrize("who", ["member@karvan.example", "organiser@karvan.example"])
def test_huge_integers_in_every_field_of_every_route_are_not_a_500(any_app, who):
    data = factories.make_meeting_scenario()
    factories.make_user(firm=data["firms"]["ural"], email="member@karvan.example")
    factories.make_user("organiser", email="organiser@karvan.example")
    db.session.commit()
    client = any_app.test_client()
    assert client.post("/auth/login", data={"email": who, "password": "correct horse battery"}).status_code == 302
    failures = []
    for rule in sorted(any_app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if rule.endpoint == "static" or "logout" in rule.rule or "<" in rule.rule.replace("<int:", ""):
            continue
        path = rule.rule.replace("<int:", "<").split("<")[0]
        if "<" in rule.rule:  # fill every <int:…> with an existing-looking id
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", "1")
        for huge in HUGE[::2]:
            values = dict.fromkeys(FIELD_NAMES, huge)
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = (client.get(path, query_string=values) if method == "GET"
                            else client.post(path, query_string=values, data=values))
                if response.status_code >= 500:
                    failures.append(f"{method} {path} {huge} → {response.status_code}")
                db.session.rollback()
    assert not failures, "\n".join(failures[:40])
