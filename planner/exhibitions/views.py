"""The Mashhad exhibition calendar: list, month view, one page per show, ICS feed."""
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.access import organiser_required
from planner.exhibitions.forms import ExhibitionForm, ExhibitionImportForm
from planner.exhibitions.services import (
    exhibition_days,
    import_exhibitions,
    jalali_month_grid,
    jalali_month_of,
    list_exhibitions,
    month_grid,
    save_exhibition,
    shift_month,
    validate_exhibition,
)
from planner.extensions import db
from planner.models import Exhibition, Sector
from planner.taxonomy.codes import code_tree, lineage
from planner.text.fields import JALALI_BEFORE
from planner.text.i18n import JALALI_MONTHS, _, current_locale, local_digits, local_today, parse_jalali_iso, persian_digits
from planner.timetables.ics import exhibitions_ics

bp = Blueprint("exhibitions", __name__)


def _sector_choices() -> list[Sector]:
    """Sections and divisions that at least one exhibition is tagged under."""
    tagged = {sector.code for exhibition in db.session.scalars(select(Exhibition).options(selectinload(Exhibition.sectors)))
              for sector in exhibition.sectors}
    tree = code_tree("sector")  # the ISIC tree walked once, in the cached tree: no query per parent
    codes = {code for tag in tagged for code in lineage("sector", tag) if tree[code].level in ("section", "division")}
    nodes = db.session.scalars(select(Sector).where(Sector.code.in_(codes))) if codes else []
    return sorted(nodes, key=lambda s: (s.code.isdigit(), s.code))


@bp.route("/exhibitions/")
def index():
    sector = request.args.get("sector") or None
    exhibitions = list_exhibitions(sector_prefix=sector)
    return render_template("exhibitions/index.html", exhibitions=exhibitions, sectors=_sector_choices(), sector=sector)


@bp.route("/exhibitions/month")
@bp.route("/exhibitions/month/<int:year>/<int:month>")
def month(year: int | None = None, month: int | None = None):
    """A month of the calendar: a Jalali month on Persian pages, a Gregorian one otherwise (an
    address in the other calendar shows the month it starts in)."""
    jalali = current_locale() == "fa"
    if year is None or month is None:
        upcoming = list_exhibitions(upcoming_from=local_today())
        anchor = upcoming[0].start_date if upcoming else local_today()
        year, month = jalali_month_of(anchor) if jalali else (anchor.year, anchor.month)
    if not 1 <= month <= 12 or not 1300 < year < 2200:
        abort(404)
    if jalali and year >= JALALI_BEFORE:
        year, month = jalali_month_of(date(year, month, 1))
    elif not jalali and year < JALALI_BEFORE:
        start = parse_jalali_iso(f"{year}-{month:02d}-01")
        year, month = start.year, start.month
    sector = request.args.get("sector") or None
    exhibitions = list_exhibitions(sector_prefix=sector)
    weeks = jalali_month_grid(year, month, exhibitions) if jalali else month_grid(year, month, exhibitions)
    title = f"{JALALI_MONTHS[month - 1]} {persian_digits(year)}" if jalali else None
    return render_template(
        "exhibitions/month.html", weeks=weeks, year=year, month=month, sector=sector, sectors=_sector_choices(),
        previous=shift_month(year, month, -1), following=shift_month(year, month, 1),
        first_day=None if jalali else date(year, month, 1), month_title=title,
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


@bp.route("/exhibitions/new", methods=["GET", "POST"])
@bp.route("/exhibitions/<key>/edit", methods=["GET", "POST"])
@organiser_required
def edit(key: str | None = None):
    """Create or change a show; a change of dates, place or status is kept as a revision."""
    exhibition = None
    if key is not None:
        exhibition = db.session.scalar(select(Exhibition).where(Exhibition.key == key)) or abort(404)
    form = ExhibitionForm(obj=exhibition)
    if request.method == "GET" and exhibition is not None:
        form.halls.data = "; ".join(exhibition.halls or [])
        form.sectors.data = ";".join(sector.code for sector in exhibition.sectors)
    if key is not None:
        form.key.data = key  # the key names the show in feeds and URLs; it never changes
    if form.validate_on_submit():
        values, errors = validate_exhibition(form.data)
        for field_name, message in errors:
            getattr(form, field_name).errors.append(message)
        if not errors:
            saved, outcome = save_exhibition(values, changed_by_id=current_user.id, note=form.note.data or None)
            db.session.commit()
            flash(_("The exhibition is saved.") if outcome != "unchanged" else _("Nothing changed."), "success")
            return redirect(url_for("exhibitions.detail", key=saved.key))
    return render_template("exhibitions/edit.html", form=form, exhibition=exhibition), (422 if form.errors else 200)


@bp.route("/exhibitions/import", methods=["GET", "POST"])
@organiser_required
def import_csv():
    """Upload a calendar CSV; the whole file is checked first and nothing is half-imported."""
    form = ExhibitionImportForm()
    report = None
    if form.validate_on_submit():
        report = import_exhibitions(form.file.data.read(), changed_by_id=current_user.id)
        if report.ok:
            db.session.commit()
            flash(_("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.",
                    created=local_digits(report.created), updated=local_digits(report.updated),
                    unchanged=local_digits(report.unchanged)), "success")
            return redirect(url_for("exhibitions.index"))
        db.session.rollback()
    status = 422 if (report and not report.ok) or form.errors else 200
    return render_template("exhibitions/import.html", form=form, report=report), status
