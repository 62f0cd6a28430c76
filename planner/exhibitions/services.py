"""The exhibition calendar: validated CSV import with revisions, listing and month grids."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, time, timedelta

import jdatetime
from flask_babel import gettext as _
from sqlalchemy import select

from planner.exhibitions.forms import ExhibitionForm
from planner.extensions import db
from planner.models import Exhibition, ExhibitionRevision, Sector
from planner.models.enums import ExhibitionStatus
from planner.models.exhibitions import EXHIBITION_STATUSES
from planner.taxonomy.codes import is_under
from planner.text.i18n import local_digits, parse_jalali_iso
from planner.text.uploads import RowError, UploadRefused, UploadReport, UploadRow, form_errors, read_csv_table

CSV_COLUMNS = (
    "key", "title_fa", "title_ru", "title_en", "venue", "venue_fa", "venue_ru", "halls", "start_jalali", "end_jalali",
    "start_date", "end_date", "opening_time", "closing_time", "sectors", "status", "mark", "basis",
)
REQUIRED_COLUMNS = ("key", "title_fa", "title_ru", "title_en", "venue", "start_date", "end_date")
# Checked by ExhibitionForm's own validators, so a file accepts exactly what the form accepts
# (key pattern, lengths that fit the table's columns, required titles).
FORM_CHECKED = ("key", "title_fa", "title_ru", "title_en", "venue", "venue_fa", "venue_ru", "halls", "sectors")
# Changing these moves the calendar entry, so subscribers need a new SEQUENCE.
TRACKED_FIELDS = ("title_fa", "title_ru", "title_en", "venue", "venue_fa", "venue_ru", "halls", "start_date", "end_date",
                  "opening_time", "closing_time", "status", "sector_codes")


def _parse_date(value: str) -> date:
    return date.fromisoformat(value.strip())


def _parse_time(value: str) -> time | None:
    value = value.strip()
    if not value:
        return None
    return time.fromisoformat(value)


def _validate_row(row: UploadRow, known_sectors: set[str]) -> tuple[dict | None, list[RowError]]:
    line = row.line
    errors = form_errors(ExhibitionForm, row, FORM_CHECKED)
    for column in ("start_date", "end_date"):
        if not row.values.get(column):
            errors.append(RowError(line, column, _("this value is required")))
    if errors:
        return None, errors
    values: dict = {column: row.values.get(column, "") for column in CSV_COLUMNS}
    values["venue_fa"] = values["venue_fa"] or None
    values["venue_ru"] = values["venue_ru"] or None
    for column in ("start_date", "end_date"):
        try:
            values[column] = _parse_date(values[column])
        except ValueError:
            errors.append(RowError(line, column, _("“%(value)s” is not a date like 2026-11-08", value=row.values[column])))
    for column, partner in (("start_jalali", "start_date"), ("end_jalali", "end_date")):
        if values[column]:
            try:
                jalali = parse_jalali_iso(values[column])
            except ValueError:
                errors.append(RowError(line, column, _("“%(value)s” is not a Jalali date like 1405-08-17", value=row.values[column])))
                continue
            if isinstance(values[partner], date) and jalali != values[partner]:
                errors.append(RowError(line, column, _("%(jalali)s is %(gregorian)s, not %(given)s",
                                                       jalali=values[column], gregorian=jalali.isoformat(),
                                                       given=values[partner].isoformat())))
    if isinstance(values["start_date"], date) and isinstance(values["end_date"], date):
        if values["end_date"] < values["start_date"]:
            errors.append(RowError(line, "end_date", _("the exhibition ends before it starts")))
    for column in ("opening_time", "closing_time"):
        try:
            values[column] = _parse_time(values[column])
        except ValueError:
            errors.append(RowError(line, column, _("“%(value)s” is not a time like 16:00", value=row.values[column])))
    status = values["status"] or ExhibitionStatus.PLANNED
    if status not in EXHIBITION_STATUSES:
        errors.append(RowError(line, "status", _("unknown status “%(value)s”; use one of %(allowed)s",
                                                 value=status, allowed=", ".join(EXHIBITION_STATUSES))))
    values["status"] = status
    mark = values["mark"] or "illustrative"
    if mark not in ("verified", "illustrative"):
        errors.append(RowError(line, "mark", _("unknown mark “%(value)s”; use verified or illustrative", value=mark)))
    values["mark"] = mark
    codes = [code.strip() for code in values["sectors"].split(";") if code.strip()]
    unknown = [code for code in codes if code not in known_sectors]
    if unknown:
        errors.append(RowError(line, "sectors", _("unknown ISIC code(s): %(codes)s", codes=", ".join(unknown))))
    values["sector_codes"] = codes
    values["halls"] = [hall.strip() for hall in values["halls"].split(";") if hall.strip()]
    return (None if errors else values), errors


def parse_exhibitions_csv(raw: bytes) -> tuple[list[dict], list[RowError], str]:
    """Validate the whole file; return the clean rows, every error with its line, and the encoding read.

    Raises UploadRefused when the file cannot be decoded (planner.text.uploads).
    """
    rows, errors, encoding = read_csv_table(raw, required=REQUIRED_COLUMNS, known=CSV_COLUMNS)
    known_sectors = set(db.session.scalars(select(Sector.code)))
    clean, seen = [], {}
    for row in rows:
        key = row.values.get("key", "")
        if key and key in seen:
            errors.append(RowError(row.line, "key", _("duplicate key “%(key)s” (first on line %(first)s)", key=key, first=local_digits(seen[key]))))
            continue
        seen[key] = row.line
        values, row_errors = _validate_row(row, known_sectors)
        errors.extend(row_errors)
        if values:
            clean.append(values)
    return clean, errors, encoding


def validate_exhibition(form_data: dict) -> tuple[dict, list[tuple[str, str]]]:
    """Check an organiser's form against the same rules as the CSV; returns values and (field, message) errors."""
    known = set(db.session.scalars(select(Sector.code)))
    codes = [code.strip() for code in (form_data.get("sectors") or "").split(";") if code.strip()]
    errors = []
    unknown = [code for code in codes if code not in known]
    if unknown:
        errors.append(("sectors", _("unknown ISIC code(s): %(codes)s", codes=", ".join(unknown))))
    values = {
        "key": form_data["key"], "title_fa": form_data["title_fa"], "title_ru": form_data["title_ru"],
        "title_en": form_data["title_en"], "venue": form_data["venue"],
        "venue_fa": form_data.get("venue_fa") or None, "venue_ru": form_data.get("venue_ru") or None,
        "halls": [hall.strip() for hall in (form_data.get("halls") or "").split(";") if hall.strip()],
        "start_date": form_data["start_date"], "end_date": form_data["end_date"],
        "opening_time": form_data.get("opening_time"), "closing_time": form_data.get("closing_time"),
        "status": form_data["status"], "sector_codes": codes,
    }
    return values, errors


def _snapshot(exhibition: Exhibition) -> dict:
    return {
        "title_fa": exhibition.title_fa, "title_ru": exhibition.title_ru, "title_en": exhibition.title_en,
        "venue": exhibition.venue, "venue_fa": exhibition.venue_fa, "venue_ru": exhibition.venue_ru,
        "halls": list(exhibition.halls or []),
        "start_date": exhibition.start_date, "end_date": exhibition.end_date,
        "opening_time": exhibition.opening_time, "closing_time": exhibition.closing_time,
        "status": exhibition.status, "sector_codes": [sector.code for sector in exhibition.sectors],
    }


def _jsonable(value):
    return value.isoformat() if isinstance(value, (date, time)) else value


def save_exhibition(values: dict, changed_by_id: int | None = None, note: str | None = None) -> tuple[Exhibition, str]:
    """Create or update one exhibition; an update records a revision and raises SEQUENCE.

    Returns the exhibition and "created", "updated" or "unchanged".
    """
    exhibition = db.session.scalar(select(Exhibition).where(Exhibition.key == values["key"]))
    sectors = list(db.session.scalars(select(Sector).where(Sector.code.in_(values["sector_codes"])))) if values["sector_codes"] else []
    if exhibition is None:
        exhibition = Exhibition(key=values["key"])
        db.session.add(exhibition)
        outcome = "created"
        before = None
    else:
        before = _snapshot(exhibition)
        outcome = "updated"
    for column in ("title_fa", "title_ru", "title_en", "venue", "halls", "start_date", "end_date",
                   "opening_time", "closing_time", "status"):
        setattr(exhibition, column, values[column])
    for column in ("venue_fa", "venue_ru"):
        if column in values:
            setattr(exhibition, column, values[column])
    exhibition.mark = values.get("mark") or exhibition.mark or "illustrative"
    exhibition.basis = values.get("basis") or exhibition.basis
    exhibition.sectors = sectors
    if before is not None:
        after = _snapshot(exhibition)
        changes = {name: [_jsonable(before[name]), _jsonable(after[name])] for name in TRACKED_FIELDS if before[name] != after[name]}
        if not changes:
            return exhibition, "unchanged"
        exhibition.sequence = (exhibition.sequence or 0) + 1
        exhibition.revisions.append(ExhibitionRevision(changes=changes, changed_by_id=changed_by_id, note=note))
    db.session.flush()
    return exhibition, outcome


def import_exhibitions(data: bytes | str, changed_by_id: int | None = None) -> UploadReport:
    """All or nothing: when any row is bad, nothing is written and every error is reported.

    `data` is the uploaded file's bytes (any encoding decode_upload accepts) or text already read.
    A file that cannot be decoded at all is reported as one error on line 1.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        rows, errors, encoding = parse_exhibitions_csv(raw)
    except UploadRefused as refused:
        return UploadReport(errors=[RowError(1, None, refused.message)])
    report = UploadReport(errors=errors, encoding=encoding)
    if errors:
        return report
    for values in rows:
        _, outcome = save_exhibition(values, changed_by_id=changed_by_id, note="CSV import")
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def list_exhibitions(sector_prefix: str | None = None, upcoming_from: date | None = None) -> list[Exhibition]:
    """Exhibitions by start date, optionally those tagged with an ISIC code under `sector_prefix`."""
    query = select(Exhibition).order_by(Exhibition.start_date)
    if upcoming_from:
        query = query.where(Exhibition.end_date >= upcoming_from)
    exhibitions = list(db.session.scalars(query))
    if sector_prefix:
        exhibitions = [
            exhibition for exhibition in exhibitions
            if any(is_under("sector", sector.code, sector_prefix) for sector in exhibition.sectors)
        ]
    return exhibitions


@dataclass
class MonthDay:
    day: date
    in_month: bool
    exhibitions: list[Exhibition]


def month_grid(year: int, month: int, exhibitions: list[Exhibition], first_weekday: int = 5) -> list[list[MonthDay]]:
    """Weeks of a Gregorian month, starting on Saturday as Iranian calendars do."""
    cal = calendar.Calendar(firstweekday=first_weekday)
    weeks = []
    for week in cal.monthdatescalendar(year, month):
        weeks.append([
            MonthDay(day, day.month == month, [e for e in exhibitions if e.start_date <= day <= e.end_date])
            for day in week
        ])
    return weeks


def jalali_month_grid(year: int, month: int, exhibitions: list[Exhibition]) -> list[list[MonthDay]]:
    """Weeks of a Jalali month (Saturday first), as Persian calendars are laid out; each
    `MonthDay.day` is the Gregorian date, `in_month` tells whether it is in the Jalali month."""
    first = jdatetime.date(year, month, 1).togregorian()
    length = jdatetime.j_days_in_month[month - 1] + (1 if month == 12 and jdatetime.date(year, 1, 1).isleap() else 0)
    last = first + timedelta(days=length - 1)
    start = first - timedelta(days=(first.weekday() - 5) % 7)  # back to Saturday
    end = last + timedelta(days=(4 - last.weekday()) % 7)  # on to Friday
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    return [[MonthDay(day, first <= day <= last, [e for e in exhibitions if e.start_date <= day <= e.end_date])
             for day in days[week:week + 7]] for week in range(0, len(days), 7)]


def jalali_month_of(day: date) -> tuple[int, int]:
    """The Jalali (year, month) that `day` falls in."""
    j = jdatetime.date.fromgregorian(date=day)
    return j.year, j.month


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def exhibition_days(exhibition: Exhibition) -> list[date]:
    span = (exhibition.end_date - exhibition.start_date).days
    return [exhibition.start_date + timedelta(days=offset) for offset in range(span + 1)]
