"""Charts of a round's figures as server-rendered SVG (pygal), read at a glance in fa, ru and en.

Numbers on axes are in the reader's digits and decimal mark (`format_number`), dates in the
reader's calendar, counts on whole-number ticks. In Persian a chart reads from right to left:
`svg.mirror_for_rtl` draws it as in a mirror — the first category (the earliest day or week) on
the right, the value axis and its labels on the right, bars of horizontal charts growing
leftwards, the legend starting at the right — while every text stays the right way round. The
data keep their natural order, so the same chart reads left to right in Russian and English.
Pages get each SVG without inline `<style>`/`<script>` (the CSP allows neither) and link
`chart_stylesheet`; the PDF gets `printable` charts. The font list starts with fonts that shape
Persian; no script is loaded at all (pygal's tooltips are switched off).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, replace

import pygal
from pygal.style import Style
from sqlalchemy import select

from planner.extensions import db
from planner.models import Region, Sector
from planner.models.enums import FollowUp, RequestStatus
from planner.outcomes.services import follow_up_label
from planner.requests.services import status_label
from planner.statistics.figures import EventFigures, RoundRow
from planner.statistics.svg import drop_tooltips, for_print, mirror_for_rtl, split_styles
from planner.taxonomy.codes import code_title
from planner.text.i18n import _, format_day, jalali_date, text_direction
from planner.text.numbers import format_number
from planner.text.scripts import interpreter_name

# pygal appends a legacy import finder (for its map plugins, unused here) to sys.meta_path; on
# Python 3.11 every later import that reaches it raises an ImportWarning. Take it out again.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

PALETTE = ("#0f6b5c", "#d97706", "#b91c1c", "#64748b", "#2563eb", "#7c3aed")
LABEL_CHARS = 32
STATUS_ORDER = (RequestStatus.ACCEPTED, RequestStatus.PENDING, RequestStatus.DECLINED, RequestStatus.WITHDRAWN)


@dataclass(frozen=True)
class Chart:
    """A chart's title (also shown above it in HTML, so PDFs and screen readers have it as text),
    its SVG without inline styles or scripts, and the CSS it needs (`chart_stylesheet`)."""

    key: str
    title: str
    svg: str
    css: str = ""


def _style(locale: str) -> Style:
    fonts = "Vazirmatn, 'Noto Sans Arabic', 'Noto Naskh Arabic', Tahoma, sans-serif" if locale == "fa" \
        else "'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
    return Style(font_family=fonts, colors=PALETTE, background="white", plot_background="white",
                 title_font_size=16, label_font_size=12, major_label_font_size=12, legend_font_size=12,
                 value_font_size=11, tooltip_font_size=12)


def _number(locale: str):
    def formatter(value) -> str:
        if value is None:
            return ""
        whole = float(value).is_integer()
        return format_number(value, locale, decimals=0 if whole else 1)
    return formatter


def _chart(kind, locale: str, **options):
    chart = kind(js=[], disable_xml_declaration=True, style=_style(locale), value_formatter=_number(locale),
                 legend_at_bottom=True, legend_at_bottom_columns=3, print_values=False, width=720, height=360,
                 explicit_size=False, truncate_legend=40, truncate_label=28, min_scale=2, max_scale=8, **options)
    chart.add_xml_filter(drop_tooltips)
    if text_direction(locale) == "rtl":
        chart.add_xml_filter(mirror_for_rtl)
    return chart


def _axis_day(day, locale: str) -> str:
    """A day on a time axis, short: '۱۷ آبان' (Jalali) in Persian, '8 нояб.' / '8 Nov' elsewhere."""
    return jalali_date(day, with_year=False) if locale == "fa" else format_day(day, locale, "short")


def _short(label: str) -> str:
    """A category name cut to LABEL_CHARS characters: long ISIC titles would squeeze the plot."""
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"


def _whole_ticks(chart) -> None:
    """Counts get whole-number ticks: below 5, one tick per unit (pygal would draw 0.2 steps)."""
    if isinstance(chart, pygal.Pie) or not chart.raw_series:
        return
    columns = [list(values) for values, _options in chart.raw_series]
    numbers = [[value or 0 for value in column] for column in columns]
    stacked = isinstance(chart, pygal.StackedBar)  # HorizontalStackedBar is one too
    top = max((sum(row) for row in zip(*numbers)) if stacked else (max(column, default=0) for column in numbers),
              default=0)
    if top < 5:
        chart.y_labels = list(range(0, int(top) + 2))


def _render(key: str, title: str, chart) -> Chart:
    _whole_ticks(chart)
    chart.config.title = None  # the title is HTML beside the chart (text in the PDF, read in its language)
    # pygal names its legend anchors the same in every chart; a page holds several charts.
    svg, css = split_styles(chart.render(is_unicode=True).replace("activate-serie-", f"{key}-serie-"))
    return Chart(key, title, svg, css)


def requests_by_status(figures: EventFigures, locale: str) -> Chart:
    chart = _chart(pygal.Pie, locale, inner_radius=.45)
    for status in STATUS_ORDER:
        chart.add(status_label(status), figures.requests_by_status.get(status, 0))
    return _render("requests_status", _("Meeting requests by answer"), chart)


def _by_group(key: str, title: str, groups: dict, names: dict, locale: str) -> Chart:
    chart = _chart(pygal.HorizontalStackedBar, locale)
    chart.x_labels = [_short(names.get(group, group)) for group in groups]
    for status in STATUS_ORDER:
        chart.add(status_label(status), [groups[group].get(status, 0) for group in groups])
    return _render(key, title, chart)


def requests_by_region(figures: EventFigures, locale: str, region_names: dict) -> Chart:
    return _by_group("requests_region", _("Requests by the requesting firm's region"), figures.requests_by_region,
                     region_names, locale)


def requests_by_section(figures: EventFigures, locale: str, sections: dict) -> Chart:
    names = {code: f"{code} · {code_title(node, locale)}" for code, node in sections.items()}
    return _by_group("requests_sector", _("Requests by sector (ISIC section)"), figures.requests_by_section, names, locale)


def requests_over_time(figures: EventFigures, locale: str) -> Chart:
    chart = _chart(pygal.Bar, locale)
    weeks = figures.requests_by_week
    chart.x_labels = [_axis_day(week, locale) for week, _count in weeks]
    chart.add(_("Requests sent"), [count for _week, count in weeks])
    return _render("requests_time", _("Requests sent per week"), chart)


def meetings_per_day(figures: EventFigures, locale: str) -> Chart:
    chart = _chart(pygal.Bar, locale)
    days = figures.days
    chart.x_labels = [_axis_day(row.day, locale) for row in days]
    chart.add(_("scheduled"), [row.scheduled for row in days])
    chart.add(_("held"), [row.held for row in days])
    chart.add(_("not held"), [row.not_held for row in days])
    chart.add(_("people absent"), [row.absent_people for row in days])
    return _render("meetings_day", _("Meetings per day"), chart)


def interpreter_load(figures: EventFigures, locale: str, names: dict) -> Chart:
    chart = _chart(pygal.HorizontalBar, locale)
    chart.x_labels = [names[interpreter.id] for interpreter, _count in figures.interpreter_load]
    chart.add(_("meetings"), [count for _interpreter, count in figures.interpreter_load])
    return _render("interpreters", _("Interpreter load"), chart)


def usefulness(figures: EventFigures, locale: str) -> Chart:
    chart = _chart(pygal.Bar, locale)
    chart.x_labels = [format_number(n, locale, 0) for n in range(1, 6)]
    chart.add(_("answers"), [figures.ratings.get(n, 0) for n in range(1, 6)])
    return _render("usefulness", _("How useful the meetings were (1–5)"), chart)


def follow_ups(figures: EventFigures, locale: str) -> Chart:
    chart = _chart(pygal.HorizontalBar, locale)
    kinds = [kind for kind in FollowUp if kind != FollowUp.NONE]
    chart.x_labels = [follow_up_label(kind) for kind in kinds]
    chart.add(_("answers"), [figures.follow_ups.get(kind, 0) for kind in kinds])
    return _render("follow_ups", _("Follow-ups agreed"), chart)


def rounds_chart(rows: list[RoundRow], locale: str) -> Chart:
    chart = _chart(pygal.Bar, locale)
    rows = list(reversed(rows))  # oldest first, in reading order
    chart.x_labels = [row.event.slug for row in rows]
    chart.add(_("requests"), [row.requests for row in rows])
    chart.add(_("meetings scheduled"), [row.scheduled for row in rows])
    chart.add(_("meetings held"), [row.held for row in rows])
    return _render("rounds", _("Rounds compared"), chart)



def printable(chart: Chart) -> Chart:
    """`chart` for the PDF (WeasyPrint): its stylesheet inline, Persian texts in display order."""
    return replace(chart, svg=for_print(chart.svg, chart.css))


def chart_stylesheet(locale: str) -> str:
    """The CSS every chart of `locale` needs (fonts, colours, axes), scoped to `.pygal-chart`."""
    chart = _chart(pygal.Bar, locale)
    for colour in PALETTE:  # pygal writes a colour rule per series: as many as the palette has
        chart.add(colour, [1])
    return _render("style", "", chart).css


def event_charts(figures: EventFigures, locale: str) -> list[Chart]:
    """Every chart of a round, in the order the page and the report show them."""
    regions = {region.key: region.name(locale) for region in db.session.scalars(select(Region))}
    sections = {sector.code: sector for sector in db.session.scalars(
        select(Sector).where(Sector.code.in_(list(figures.requests_by_section))))}
    interpreters = {interpreter.id: interpreter_name(interpreter, locale) for interpreter, _n in figures.interpreter_load}
    return [requests_by_status(figures, locale), requests_by_region(figures, locale, regions),
            requests_by_section(figures, locale, sections), requests_over_time(figures, locale),
            meetings_per_day(figures, locale), interpreter_load(figures, locale, interpreters),
            usefulness(figures, locale), follow_ups(figures, locale)]
