"""One page of a long list (the directory, the organiser's lists): which rows, how many pages,
and the numbers the pager links to. Out-of-range page numbers are answered with the nearest page."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


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
