"""What the board says: translated solver labels and local numbers, the languages that
decide (attending people's, not the firm's) and reasons naming the language gap, the
move form (day, time, table; the one-person filter; labels tied to their fields), a
compact grid, and host tables kept for their firm."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from planner.events.resources import add_table
from planner.extensions import db
from planner.scheduling import board
from planner.scheduling.drafts import solve_event
from planner.text.labels import language_list
from planner.text.numbers import format_number
from planner.text.scripts import join_list
from tests.factories import make_user
from tests.scheduling_factories import make_round


class _Ids(HTMLParser):
    """Ids, <label for> targets and the options of one <select> of a page."""

    def __init__(self):
        super().__init__()
        self.ids, self.label_for, self.options, self._select = [], [], {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.label_for.append(attrs["for"])
        if tag == "select":
            self._select = attrs.get("id")
            self.options[self._select] = []
        if tag == "option" and self._select:
            self.options[self._select].append({"value": attrs.get("value"), "text": ""})

    def handle_data(self, data):
        if self._select and self.options.get(self._select):
            self.options[self._select][-1]["text"] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _parse(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    return parser


def _login(auth):
    make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")


def _solved(r, **kwargs):
    version, _solution = solve_event(r["event"], time_limit_s=2, workers=1, **kwargs)
    db.session.commit()
    return version


def test_numbers_and_lists_follow_the_locale(app):
    assert format_number(7.171, "fa") == "۷٫۲"
    assert format_number(16.0, "ru") == "16" and format_number(16.25, "ru") == "16,2"
    assert format_number(1234.5, "en") == "1,234.5"
    assert join_list(["فارسی", "انگلیسی"], "fa") == "فارسی و انگلیسی"
    assert join_list(["a", "b"], "ru") == "a и b"
    assert join_list(["a", "b", "c"], "ru") == "a, b и c"


def test_board_summary_says_status_method_and_seconds_in_the_readers_language(client, auth):
    r = make_round()
    _login(auth)
    version = _solved(r)
    version.stats = dict(version.stats, wall_s=7.171, status="OPTIMAL", method="cp-sat")
    db.session.commit()
    fa = client.get(f"/organiser/versions/{version.id}?lang=fa").get_data(as_text=True)
    ru = client.get(f"/organiser/versions/{version.id}?lang=ru").get_data(as_text=True)
    for page in (fa, ru):
        assert "OPTIMAL" not in page and "cp-sat" not in page
    assert "۷٫۲ ثانیه" in fa
    assert "7,2 с" in ru


def test_interpreter_list_names_languages(client, auth):
    r = make_round()
    _login(auth)
    response = client.get(f"/organiser/events/{r['event'].id}?lang=ru")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "FA / RU" not in page
    with client.application.test_request_context("/?lang=ru"):
        expected = language_list(["fa", "ru"], "ru")
    assert expected in page


def test_unscheduled_reason_names_the_person_and_language_gap(client, auth):
    """Ural Pipes is a Russian-and-English firm, but the one who comes speaks only Russian;
    with no interpreter at the event its meeting with Toos Steel (fa, en) cannot happen."""
    r = make_round(interpreters=0)
    person = r["firms"]["ru1"].participants[0]
    person.languages = ["ru"]
    for request in r["requests"].values():
        request.priority = "would_like"
    _login(auth)
    version = _solved(r)
    request = r["requests"]["ir1-ru1"]
    reason = {item["request_id"]: item["reason"] for item in version.unscheduled}[request.id]
    assert reason == "no_interpreter"
    page = client.get(f"/organiser/versions/{version.id}?lang=en").get_data(as_text=True)
    row = re.search(rf'<tr data-request="{request.id}">(.*?)</tr>', page, re.S).group(1)
    name = person.display_name("en")
    assert f"<bdi>{name}</bdi> speaks only Russian; no Russian–Persian/English interpreter works at this event." in row
    # the chips show what decides: Ural Pipes' attending person speaks Russian only, not "RU·EN"
    assert "RU·EN" not in row and ">RU<" in row and ">FA·EN<" in row
    ru_page = client.get(f"/organiser/versions/{version.id}?lang=ru").get_data(as_text=True)
    assert "speaks only" not in ru_page.split('id="unscheduled"')[1].split("</section>")[0]


def test_move_form_lists_day_time_table_and_follows_the_person_filter(client, auth):
    r = make_round()
    _login(auth)
    version = _solved(r)
    page = client.get(f"/organiser/versions/{version.id}?lang=fa").get_data(as_text=True)
    parsed = _parse(page)
    options = parsed.options["move-meeting"]
    assert len(options) == len([m for m in version.meetings if not m.locked])
    meeting = next(m for m in version.meetings if str(m.id) == options[0]["value"])
    with client.application.test_request_context("/?lang=fa"):
        from planner.text.i18n import format_clock, format_day

        day = format_day(meeting.slot.start_dt, "fa", "short")
        clock = format_clock(meeting.slot.start_dt, r["event"].timezone, "fa")
    assert day in options[0]["text"] and clock in options[0]["text"] and meeting.table.name in options[0]["text"]
    assert "(" in day  # Jalali with the Gregorian date beside it

    person = r["firms"]["ir2"].participants[0]
    mine = {str(m.id) for m in version.meetings if person in m.participants and not m.locked}
    filtered = _parse(client.get(f"/organiser/versions/{version.id}?participant={person.id}").get_data(as_text=True))
    assert {o["value"] for o in filtered.options["move-meeting"]} == mine


def test_board_labels_point_at_their_fields_and_ids_are_unique(client, auth):
    r = make_round()
    _login(auth)
    version = _solved(r)
    parsed = _parse(client.get(f"/organiser/versions/{version.id}").get_data(as_text=True))
    assert len(parsed.ids) == len(set(parsed.ids)), "duplicate ids"
    for target in parsed.label_for:
        assert target in parsed.ids, f"<label for={target}> points at nothing"
    assert {"move-slot", "move-table", "place-slot", "place-table", "move-meeting"} <= set(parsed.ids) | {
        "place-slot", "place-table"}


def test_board_shows_tables_in_use_and_one_free_table(client, auth):
    r = make_round(tables=12)
    _login(auth)
    version = _solved(r)
    grids = board.board_grid(version)
    for grid in grids:
        used = {cell.table.id for _table, cells in grid.rows for cell in cells if cell.meeting}
        assert len(grid.rows) == len(used) + 1 and grid.hidden == 12 - len(grid.rows)
        free_row = [cells for _table, cells in grid.rows if not any(c.meeting for c in cells)]
        assert len(free_row) == 1  # a drop target for moves
    assert all(len(grid.rows) == 12 for grid in board.board_grid(version, all_tables=True))
    page = client.get(f"/organiser/versions/{version.id}?lang=en").get_data(as_text=True)
    assert "Show all tables" in page
    assert page.count('<td class="cell"') == sum(len(g.rows) * len(g.slots) for g in grids)
    full = client.get(f"/organiser/versions/{version.id}?tables=all&lang=en").get_data(as_text=True)
    assert full.count('<td class="cell"') == sum(12 * len(g.slots) for g in grids)


def test_a_meeting_cannot_be_moved_to_another_firms_stand(client, auth):
    r = make_round(tables=3)
    host = r["firms"]["ir2"]
    stand = add_table(r["event"], "Stand A", host_firm=host)
    _login(auth)
    version = _solved(r)
    other = next(m for m in version.meetings if host.id not in (m.request.requester_firm_id, m.request.target_firm_id))
    response = client.post(f"/organiser/versions/{version.id}/move?lang=en",
                           data={"meeting_id": other.id, "slot_id": other.slot_id, "table_id": stand.id},
                           headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert "Stand A is the stand of" in response.get_json()["error"]
    assert db.session.get(type(other), other.id).table_id != stand.id


def test_host_tables_are_kept_for_their_firm(app):
    """One day of two slots, one general table and the stand of a firm without requests:
    the four requests need two tables per slot, but nobody else may sit at the stand."""
    from planner.events.services import register_firms
    from tests.factories import make_firm

    r = make_round(days=1, slots_per_session=2, tables=1, interpreters=2)
    host = make_firm("khorasan-razavi", name_latin="Stand Owner")
    register_firms(r["event"], [host])
    stand = add_table(r["event"], "Stand B", host_firm=host)
    for request in r["requests"].values():
        request.priority = "would_like"
    version = _solved(r)
    assert version.meetings, "the general table is used"
    assert all(m.table_id != stand.id for m in version.meetings)
    assert len(version.meetings) + len(version.unscheduled) == 4
    assert len({(m.slot_id, m.table_id) for m in version.meetings}) == len(version.meetings)
