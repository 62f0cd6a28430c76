"""Integers past the database's range in any query or form field get a 4xx (or are read as
absent), never a 500: every route, every field name the app reads, as a firm member and as an
organiser, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from werkzeug.datastructures import MultiDict

from planner.extensions import db
from planner.models import Region
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
    regions_before = set(db.session.scalars(db.select(Region.id)))
    client = any_app.test_client()
    assert client.post("/auth/login", data={"email": who, "password": "correct horse battery"}).status_code == 302
    failures = []
    for rule in sorted(any_app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if rule.endpoint == "static" or "logout" in rule.rule or "<" in rule.rule.replace("<int:", ""):
            continue
        path = rule.rule.replace("<int:", "<").split("<")[0]
        if "<" in rule.rule:  # ids that exist nowhere: the probe must not edit rows other tests keep
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", "999999")
        for huge in HUGE[::2]:
            values = dict.fromkeys(FIELD_NAMES, huge)
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = (client.get(path, query_string=values) if method == "GET"
                            else client.post(path, query_string=values, data=values))
                if response.status_code >= 500:
                    failures.append(f"{method} {path} {huge} → {response.status_code}")
                response.close()  # a streamed file (e.g. /favicon.ico) holds its handle until closed
                db.session.rollback()
    _forget_new_regions(regions_before)
    assert not failures, "\n".join(failures[:40])


def _forget_new_regions(before: set[int]) -> None:
    """Regions are reference data the PostgreSQL tests share (kept between tests): remove any
    the probe created, after emptying the tables that may point to them."""
    db.session.rollback()
    new = set(db.session.scalars(db.select(Region.id))) - before
    if not new or db.engine.dialect.name != "postgresql":
        return
    keep = {"sector", "product", "region"}
    names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables if table.name not in keep)
    db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.session.execute(db.delete(Region).where(Region.id.in_(new)))
    db.session.commit()
