"""The Mashhad exhibition calendar: list, month view, one page per show, ICS feed."""
from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import select

from planner.extensions import db
from planner.i18n import _, current_locale
from planner.models import Exhibition, Sector
from planner.services.calendar import exhibitions_ics
from planner.services.exhibitions import exhibition_days, list_exhibitions, month_grid, shift_month

bp = Blueprint("exhibitions", __name__)


def _sector_choices() -> list[Sector]:
    """Sections and divisions that at least one exhibition is tagged under."""
    tagged = {sector for exhibition in db.session.scalars(select(Exhibition)) for sector in exhibition.sectors}
    nodes = set()
    for sector in tagged:
        node = sector
        while node is not None:
            if node.level in ("section", "division"):
                nodes.add(node)
            node = node.parent
    return sorted(nodes, key=lambda s: (s.code.isdigit(), s.code))


@bp.route("/exhibitions/")
def index():
    sector = request.args.get("sector") or None
    exhibitions = list_exhibitions(sector_prefix=sector)
    return render_template("exhibitions/index.html", exhibitions=exhibitions, sectors=_sector_choices(), sector=sector)


@bp.route("/exhibitions/month")
@bp.route("/exhibitions/month/<int:year>/<int:month>")
def month(year: int | None = None, month: int | None = None):
    if year is None or month is None:
        upcoming = list_exhibitions(upcoming_from=date.today())
        anchor = upcoming[0].start_date if upcoming else date.today()
        year, month = anchor.year, anchor.month
    if not 1 <= month <= 12 or not 1900 < year < 2200:
        abort(404)
    sector = request.args.get("sector") or None
    weeks = month_grid(year, month, list_exhibitions(sector_prefix=sector))
    return render_template(
        "exhibitions/month.html", weeks=weeks, year=year, month=month, sector=sector, sectors=_sector_choices(),
        previous=shift_month(year, month, -1), following=shift_month(year, month, 1), first_day=date(year, month, 1),
    )


@bp.route("/exhibitions/<key>")
def detail(key: str):
    exhibition = db.session.scalar(select(Exhibition).where(Exhibition.key == key)) or abort(404)
    return render_template("exhibitions/detail.html", exhibition=exhibition, days=exhibition_days(exhibition))


@bp.route("/exhibitions.ics")
def feed():
    """The whole calendar as iCalendar, titles in the reader's language."""
    body = exhibitions_ics(list_exhibitions(), current_locale(), _("Mashhad exhibitions"))
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": 'inline; filename="exhibitions.ics"'})
