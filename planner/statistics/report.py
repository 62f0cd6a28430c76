"""The chamber's report of a round: an `.xlsx` workbook (summary, firms, requests, meetings,
outcomes, feedback; numbers as numbers, dates as dates, headers in the chosen language) and a
printable PDF with the charts, in fa, ru or en."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import render_template
from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from planner.models import Event
from planner.outcomes.services import follow_up_label
from planner.requests.services import status_label
from planner.scheduling.explain import zero_label
from planner.statistics.charts import event_charts, printable
from planner.statistics.figures import EventFigures, event_figures
from planner.text.i18n import _
from planner.text.scripts import interpreter_name
from planner.timetables.entries import render_pdf

CSS_PATH = Path(__file__).resolve().parent.parent / "static" / "css" / "report.css"
FORMATS = ("xlsx", "pdf")


def _local(moment, zone: ZoneInfo):
    """A naive local datetime for a spreadsheet cell (Excel has no time zones)."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list], rtl: bool, formats: dict | None = None):
    sheet = workbook.create_sheet(title[:31])
    sheet.sheet_view.rightToLeft = rtl
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for column, number_format in (formats or {}).items():
        for cell in sheet[column][1:]:
            cell.number_format = number_format
    for index, header in enumerate(headers, 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(header) + 4))
    sheet.freeze_panes = "A2"
    return sheet


def workbook_bytes(event: Event, locale: str, figures: EventFigures | None = None) -> bytes:
    """The report workbook in `locale`."""
    figures = figures or event_figures(event)
    zone = ZoneInfo(event.timezone)
    rtl = locale == "fa"
    with force_locale(locale):
        book = Workbook()
        book.remove(book.active)
        summary = [
            [_("Round"), event.display_name(locale)],
            [_("First day"), event.start_date], [_("Last day"), event.end_date],
            [_("Firms registered"), figures.registrations], [_("Profiles completed"), figures.profiles_completed],
            [_("People"), figures.people], [_("Meeting requests"), len(figures.requests)],
        ] + [[_("Requests: %(status)s", status=status_label(code)), count]
             for code, count in sorted(figures.requests_by_status.items())] + [
            [_("Meetings scheduled"), figures.scheduled], [_("Meetings held"), figures.held],
            [_("Meetings not held"), figures.not_held],
            [_("Firms without a meeting"), len(figures.firms_without_meeting)],
            [_("Feedback answers"), sum(1 for o in figures.outcomes if o.rating)],
            [_("Average usefulness (1–5)"), round(figures.average_rating, 2) if figures.average_rating else None],
            [_("Contracts or memoranda agreed"), len(figures.agreements)],
        ]
        sheet = _sheet(book, _("Summary"), [_("Figure"), _("Value")], summary, rtl)
        sheet["B3"].number_format = sheet["B4"].number_format = "yyyy-mm-dd"
        sheet.column_dimensions["A"].width = 36
        _sheet(book, _("Firms"), [_("Firm"), _("Name (Latin)"), _("Region"), _("Requests sent"), _("Requests received"),
                                  _("Meetings"), _("Held"), _("Why no meeting")],
               [[row.firm.display_name(locale), row.firm.name_latin, row.firm.region.name(locale), row.requests_sent,
                 row.requests_received, row.meetings, row.held, zero_label(row.zero_reason) if row.zero_reason else ""]
                for row in figures.firms], rtl)
        _sheet(book, _("Requests"), [_("Number"), _("Requesting firm"), _("Requested firm"), _("Answer"), _("Sent on"), _("Answered on"),
                                     _("Proposed by the scheduler")],
               [[r.id, r.requester_firm.display_name(locale), r.target_firm.display_name(locale), status_label(r.status),
                 _local(r.created_at, zone), _local(r.responded_at, zone), _yes_no(r.suggested)]
                for r in figures.requests], rtl, {"E": "yyyy-mm-dd hh:mm", "F": "yyyy-mm-dd hh:mm"})
        _sheet(book, _("Meetings"), [_("Request"), _("Start"), _("End"), _("Table"), _("Firm"), _("Firm"),
                                     _("Interpreter"), _("Held"), _("Proposed on the day")],
               [[row.meeting.request_id, _local(row.meeting.slot.start_dt, zone), _local(row.meeting.slot.end_dt, zone),
                 row.meeting.table.name, row.meeting.request.requester_firm.display_name(locale),
                 row.meeting.request.target_firm.display_name(locale),
                 interpreter_name(row.meeting.interpreter, locale) if row.meeting.interpreter else "",
                 _yes_no(row.held), row.meeting.request.proposed_on]
                for row in figures.meetings], rtl, {"B": "yyyy-mm-dd hh:mm", "C": "yyyy-mm-dd hh:mm", "I": "yyyy-mm-dd"})
        _sheet(book, _("Outcomes"), [_("Request"), _("Firm"), _("Held"), _("Usefulness (1–5)"), _("Follow-up"),
                                     _("Recorded")],
               [[o.request_id, o.firm.display_name(locale) if o.firm else "", _yes_no(o.held), o.rating,
                 follow_up_label(o.follow_up) if o.follow_up else "", _local(o.updated_at or o.recorded_at, zone)]
                for o in figures.outcomes], rtl, {"F": "yyyy-mm-dd hh:mm"})
        _sheet(book, _("Feedback"), [_("Request"), _("Firm"), _("Usefulness (1–5)"), _("Follow-up"), _("Comment")],
               [[o.request_id, o.firm.display_name(locale) if o.firm else "", o.rating,
                 follow_up_label(o.follow_up) if o.follow_up else "", o.note or ""]
                for o in figures.outcomes if o.rating or o.note or o.follow_up], rtl)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_html(event: Event, locale: str, figures: EventFigures | None = None) -> str:
    """The printable report (no request needed)."""
    figures = figures or event_figures(event)
    with force_locale(locale):
        charts = [printable(chart) for chart in event_charts(figures, locale)]  # drawn by WeasyPrint
        return render_template("statistics/report.html", event=event, figures=figures, charts=charts,
                               locale=locale, direction="rtl" if locale == "fa" else "ltr",
                               css=CSS_PATH.read_text(encoding="utf-8"))


def report_pdf(event: Event, locale: str) -> bytes:
    return render_pdf(report_html(event, locale))


def write_report(event: Event, path: Path, locale: str) -> str:
    """Write the workbook or the PDF, chosen by the file's suffix; returns the format.
    ValueError for another suffix."""
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValueError(kind)
    data = workbook_bytes(event, locale) if kind == "xlsx" else report_pdf(event, locale)
    path.write_bytes(data)
    return kind
