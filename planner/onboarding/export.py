"""Writing firms, people, offers, needs, days and accepted wishes in the import's own format, so
that export → import gives the same data (`.xlsx` with a `meetings` sheet, or a UTF-8 `.csv`)."""
from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from sqlalchemy import select

from planner.extensions import db
from planner.models import Event, EventRegistration, Firm, MeetingRequest
from planner.models.enums import RequestStatus
from planner.onboarding.columns import MEETING_COLUMNS, PEOPLE_COLUMNS, PEOPLE_SHEET, headers


def _codes(items) -> str:
    return " ".join(f"{'HS' if item.kind == 'product' else 'ISIC'}:{item.code}" for item in items)


def _firms(event: Event | None) -> list[Firm]:
    query = select(Firm).order_by(Firm.id)
    if event is not None:
        query = query.join(EventRegistration, EventRegistration.firm_id == Firm.id).where(
            EventRegistration.event_id == event.id)
    return list(db.session.scalars(query))


def people_rows(event: Event | None = None) -> list[list[str]]:
    """One row per person (a firm without people gets one row of its own), in PEOPLE_COLUMNS
    order; with `event`, its registered firms and each person's days in it (empty: every day)."""
    rows = []
    for firm in _firms(event):
        firm_cells = [firm.key or "", firm.name_native, firm.name_latin, firm.region.key, firm.city or "",
                      firm.website or "", " ".join(firm.languages or []), _codes(firm.capabilities), _codes(firm.needs)]
        for person in firm.participants or [None]:
            if person is None:
                rows.append(firm_cells + [""] * (len(PEOPLE_COLUMNS) - len(firm_cells)))
                continue
            days = person.attending_days(event.id) if event is not None else None
            role = next(iter((person.role or {}).values()), "")
            rows.append(firm_cells + [person.first_name, person.last_name, person.first_name_latin or "",
                                      person.last_name_latin or "", person.email, person.phone or "",
                                      " ".join(person.languages or []), role, " ".join(days or [])])
    return rows


def meeting_rows(event: Event | None) -> list[list[str]]:
    """The round's accepted requests between firms with keys: requester, target, priority."""
    if event is None:
        return []
    requests = db.session.scalars(select(MeetingRequest).where(MeetingRequest.event_id == event.id,
                                                               MeetingRequest.status == RequestStatus.ACCEPTED)
                                  .order_by(MeetingRequest.id))
    return [[r.requester_firm.key, r.target_firm.key, r.priority] for r in requests
            if r.requester_firm.key and r.target_firm.key]


def export_xlsx(event: Event | None = None, locale: str = "en", template: bool = False) -> bytes:
    """The workbook: sheet of people (headers in `locale`) and sheet `meetings`; `template`
    leaves out the data (the downloadable template)."""
    book = Workbook()
    sheet = book.active
    sheet.title = PEOPLE_SHEET.get(locale, "people")
    sheet.append(headers(locale))
    meetings = book.create_sheet("meetings")
    meetings.append(headers(locale, MEETING_COLUMNS))
    if not template:
        for row in people_rows(event):
            sheet.append(row)
        for row in meeting_rows(event):
            meetings.append(row)
    for column in sheet.columns:  # every cell is text, as typed: "0098" stays "0098"
        for cell in column:
            cell.number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_csv(event: Event | None = None) -> bytes:
    """The people as UTF-8 CSV with a BOM (Excel opens it in any language); wishes need the .xlsx."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PEOPLE_COLUMNS)
    writer.writerows(people_rows(event))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
