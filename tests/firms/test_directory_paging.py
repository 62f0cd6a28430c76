"""The directory shows a page at a time, with the same number of SQL statements however many
firms there are (the ISIC tree is walked in the cached code tree, not one parent per query)."""
from __future__ import annotations

import re

from planner.extensions import db
from planner.firms.directory import PER_PAGE
from tests.factories import make_firm
from tests.querycount import request_statements


def _firms(count: int) -> None:
    for n in range(count):
        make_firm("khorasan-razavi" if n % 2 else "chelyabinsk", sectors=["2410", "0111"] if n % 2 else ["2410"])
    db.session.commit()


def _cards(html: str) -> int:
    return len(re.findall(r'class="card firm-card"', html))


def test_directory_pages_and_costs_the_same_for_four_times_the_firms(client):
    _firms(PER_PAGE + 5)
    client.get("/firms/?lang=en&sector=C")  # the code tree is read once per process, then cached
    first, small = request_statements(client, "/firms/?lang=en&sector=C")
    html = first.get_data(as_text=True)
    assert _cards(html) == PER_PAGE and 'rel="next"' in html and "1–48 of" in html
    last = client.get("/firms/?lang=en&sector=C&page=2").get_data(as_text=True)
    assert 0 < _cards(last) < PER_PAGE and 'rel="prev"' in last
    assert _cards(client.get("/firms/?page=999").get_data(as_text=True)) > 0, "out of range: the last page"
    _firms(3 * (PER_PAGE + 5))
    _response, large = request_statements(client, "/firms/?lang=en&sector=C")
    assert len(large) == len(small), f"{len(small)} -> {len(large)}\n{large}"
    assert large.loaded["Sector"] <= small.loaded["Sector"] + 2, "sectors of the page only"
