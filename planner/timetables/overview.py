"""The delegation's overview that opens its timetable (screen and PDF): members × days, the
number of meetings in each cell, built from the members' sheets (`entries.member_sheets`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class OverviewRow:
    """One member: their name and firm, meetings per day (in the overview's day order), total."""

    title: str
    subtitle: str
    counts: tuple[int, ...]
    anchor: str

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Overview:
    days: tuple[date, ...]
    rows: tuple[OverviewRow, ...]

    @property
    def day_totals(self) -> tuple[int, ...]:
        return tuple(sum(row.counts[n] for row in self.rows) for n in range(len(self.days)))

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def members_overview(sheets, days: list[date] | None = None) -> Overview:
    """Members × days from the members' sheets (`entries.member_sheets`): every day any member
    meets on (or `days`), and how many meetings each member has that day."""
    shown = tuple(sorted(set(days) if days is not None else {day for sheet in sheets for day, _e in sheet.days}))
    rows = []
    for sheet in sheets:
        per_day = {day: len(entries) for day, entries in sheet.days}
        rows.append(OverviewRow(sheet.title, sheet.subtitle, tuple(per_day.get(day, 0) for day in shown), sheet.anchor))
    return Overview(shown, tuple(rows))
