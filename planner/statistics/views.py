"""Statistics for organisers: one round with its charts, all rounds compared, and the report."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template
from sqlalchemy import select

from planner.access import organiser_required
from planner.extensions import db
from planner.models import Event
from planner.statistics.charts import chart_stylesheet, event_charts, rounds_chart
from planner.statistics.figures import event_figures, rounds_overview
from planner.statistics.report import report_pdf, workbook_bytes
from planner.text.i18n import current_locale

bp = Blueprint("statistics", __name__, url_prefix="/statistics")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _event(slug: str) -> Event:
    return db.session.scalar(select(Event).where(Event.slug == slug)) or abort(404)


@bp.route("/charts-<locale>.css")
def chart_css(locale: str):
    """The charts' stylesheet for a language (public and cacheable: it holds no data)."""
    if locale not in current_app.config["LANGUAGES"]:
        abort(404)
    response = Response(chart_stylesheet(locale), mimetype="text/css")
    response.cache_control.public, response.cache_control.max_age = True, 86400
    return response


@bp.route("/")
@organiser_required
def overview():
    """Every round side by side."""
    rows = rounds_overview()
    return render_template("statistics/overview.html", rows=rows, chart=rounds_chart(rows, current_locale()) if rows else None)


@bp.route("/<slug>")
@organiser_required
def event(slug: str):
    """One round: registrations, requests, meetings, firms, interpreters and feedback, with charts."""
    event = _event(slug)
    figures = event_figures(event)
    return render_template("statistics/event.html", event=event, figures=figures,
                           charts=event_charts(figures, current_locale()))


@bp.route("/<slug>/report.<kind>")
@organiser_required
def report(slug: str, kind: str):
    """The chamber's report in the reader's language: `xlsx` workbook or `pdf`."""
    event = _event(slug)
    locale = current_locale()
    if kind == "xlsx":
        data, mimetype = workbook_bytes(event, locale), XLSX
    elif kind == "pdf":
        data, mimetype = report_pdf(event, locale), "application/pdf"
    else:
        abort(404)
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="report-{event.slug}-{locale}.{kind}"'})
