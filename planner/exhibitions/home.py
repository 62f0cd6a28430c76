"""Home page and small site-wide routes."""

from flask import Blueprint, redirect, render_template, url_for
from sqlalchemy import func, select

from planner.exhibitions.services import list_exhibitions
from planner.extensions import db
from planner.models import Event, Firm, Region
from planner.text.i18n import local_today

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """What Karvan is, the upcoming exhibitions and how to take part."""
    upcoming = list_exhibitions(upcoming_from=local_today())[:6]
    firm_counts = dict(
        db.session.execute(select(Region.key, func.count(Firm.id)).join(Firm, Firm.region_id == Region.id).group_by(Region.key)).all()
    )
    # Current and coming rounds first, then the most recent past ones.
    today = local_today()
    events = sorted(db.session.scalars(select(Event).where(Event.archived_at.is_(None))),
                    key=lambda e: (e.end_date < today, abs((e.start_date - today).days)))[:3]
    return render_template("main/home.html", upcoming=upcoming, firm_counts=firm_counts, events=events)


@bp.route("/welcome")
def after_register():
    """Where a newly registered user goes next: their firm's profile form."""
    return redirect(url_for("firms.register"))
