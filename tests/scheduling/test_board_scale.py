"""The board of a large round: one day at a time with a day switcher, a bounded number of SQL
statements whatever the round's size, and movable meetings found by a search."""
from __future__ import annotations

import re

from planner.extensions import db
from planner.models import Event, ScheduleVersion
from planner.scheduling import board_view as board_module
from tests.querycount import request_statements
from tests.scale_factories import grow, make_growing_round


def _login(client, email):
    client.post("/auth/login", data={"email": email, "password": "correct horse battery"})


def test_board_day_costs_the_same_in_a_four_times_larger_round(app, client, monkeypatch):
    monkeypatch.setattr(board_module, "ALL_DAYS_MAX", 10)
    data = make_growing_round()
    ids = {key: data[key].id for key in ("event", "other", "version", "other_version")}
    _login(client, data["organiser"].email)
    url = f"/organiser/versions/{ids['version']}?lang=fa"
    client.get(url)  # warm: the code tree and the app's caches
    response, small = request_statements(client, url)
    html = response.get_data(as_text=True)
    assert 'id="board-days"' in html and html.count('aria-current="page"') >= 1
    first_day_cells = html.count('<div class="meeting')
    grow({"event": db.session.get(Event, ids["event"]), "other": db.session.get(Event, ids["other"]), "units": 1,
          "version": db.session.get(ScheduleVersion, ids["version"]),
          "other_version": db.session.get(ScheduleVersion, ids["other_version"])}, 3)
    db.session.commit()
    response, large = request_statements(client, url)
    assert len(large) == len(small), f"{len(small)} -> {len(large)}\n{large}"
    assert len(large) <= 60, str(large)
    page = response.get_data(as_text=True)
    assert page.count('<div class="meeting') > first_day_cells
    shown = page.count('<div class="meeting')
    assert large.loaded["Meeting"] == shown, f"it reads the meetings of the day it shows, no others\n{large}"
    people_shown = len(set(re.findall(r'<option value="(\d+)"', page.split('id="participant"')[1].split("</select>")[0])))
    assert large.loaded["Participant"] <= people_shown, "and their people only, not every firm's"
    day_two = client.get(url + "&day=2026-11-09").get_data(as_text=True)
    everything = client.get(url + "&day=all").get_data(as_text=True)
    assert everything.count('<div class="meeting') == page.count('<div class="meeting') + day_two.count('<div class="meeting')
    assert client.get(url + "&day=not-a-day").status_code == 200


def test_movable_meetings_are_searched_once_the_list_is_long(app, monkeypatch):
    monkeypatch.setattr(board_module, "MOVE_LIST_MAX", 5)
    data = make_growing_round()
    version, reader = data["version"], data["reader"]
    view = board_module.board_view(version, day=None, all_days=True)
    assert view.movable_total > 5 and len(view.movable) == 5
    found = board_module.board_view(version, day=None, all_days=True, find=reader.name_latin.split()[0].lower())
    assert found.movable and all(reader.id in (m.request.requester_firm_id, m.request.target_firm_id) for m in found.movable)
    assert len(found.movable) == 3


def test_a_day_with_many_tables_shows_them_a_page_at_a_time_and_search_covers_the_day(app, client, monkeypatch):
    monkeypatch.setattr(board_module, "ALL_DAYS_MAX", 10)
    monkeypatch.setattr(board_module, "TABLES_PER_PAGE", 3)
    data = make_growing_round()
    grow(data, 3)
    db.session.commit()
    version_id, reader = data["version"].id, data["reader"].name_latin
    _login(client, data["organiser"].email)
    url = f"/organiser/versions/{version_id}?lang=en"
    first, small = request_statements(client, url)
    html = first.get_data(as_text=True)
    rows = re.compile(r'<th scope="row"[^>]*><bdi>([^<]+)</bdi>')
    tables_one = rows.findall(html)
    assert 'rel="next"' in html and len(set(tables_one)) <= 3
    second, large = request_statements(client, url + "&tables_page=2")
    tables_two = rows.findall(second.get_data(as_text=True))
    assert tables_two and not set(tables_two) & set(tables_one), "page 2 shows the next tables"
    assert len(large) == len(small)
    # the search for a firm finds its meetings on any page of the day
    version = db.session.get(ScheduleVersion, version_id)
    view = board_module.board_view(version, day=None, tables_page_number=2, find=reader.split()[0].lower())
    assert view.movable and all(reader in (m.request.requester_firm.name_latin, m.request.target_firm.name_latin)
                                for m in view.movable)
    assert not {m.table_id for m in view.movable} & {t.id for t in view.tables_page.items}, "found on page 1"
