"""One page of a long list (the directory, the organiser's lists): which rows, how many pages,
and the numbers the pager links to. Out-of-range page numbers are answered with the nearest page.

A page with several lists gives each its own query argument (`?page=`, `?unscheduled_page=` …):
`requested_page(arg)` reads it and `page_url(arg, anchor)` links to another page of that list,
keeping every other argument (the day shown, a filter, the other lists' pages) as it was.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import request, url_for
from sqlalchemy import Select, func, select

from planner.extensions import db

T = TypeVar("T")
PER_PAGE = 50  # rows of an organiser's list per page


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int  # 1-based
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """1-based position of the first row shown (0 when nothing is)."""
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.number * self.per_page)

    def numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and `around` either side of this one;
        None where numbers are left out."""
        wanted = {1, self.pages, *range(self.number - around, self.number + around + 1)}
        shown: list[int | None] = []
        for number in sorted(n for n in wanted if 1 <= n <= self.pages):
            if shown and shown[-1] is not None and number - shown[-1] > 1:
                shown.append(None)
            shown.append(number)
        return shown


def paginate(items: list[T], number: int | None, per_page: int) -> Page[T]:
    """The `number`-th page (1-based; clamped into range) of `items`."""
    pages = max(1, -(-len(items) // per_page))
    number = min(max(1, number or 1), pages)
    start = (number - 1) * per_page
    return Page(items[start:start + per_page], number, per_page, len(items))


def paginate_query(query: Select, number: int | None, per_page: int = PER_PAGE) -> Page:
    """The `number`-th page of an ordered SELECT: one COUNT and one LIMIT/OFFSET query, so a
    page reads its rows only, however long the list is. Rows are what `scalars()` returns."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(1, number or 1), pages)
    items = list(db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items, number, per_page, total)


def requested_page(arg: str = "page") -> int | None:
    """The page number the request asks for in `arg`; None when absent or not a number (the
    first page). Any size is fine: `paginate` clamps it to the last page."""
    text = request.args.get(arg, "")
    return int(text) if text.isdecimal() and len(text) < 10 else None


def page_url(arg: str = "page", anchor: str | None = None) -> Callable[[int], str]:
    """`n -> address` of page n of the list read from `arg`, on the current page with every other
    query argument kept (for the pager macro's `url_for_page`)."""
    endpoint, values = request.endpoint, dict(request.view_args or {})
    others = {key: value for key, value in request.args.items() if key != arg}

    def url(number: int) -> str:
        return url_for(endpoint, **values, **others, **{arg: number}) + (f"#{anchor}" if anchor else "")

    return url
