"""The public firm directory and public firm profiles."""
from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from planner.extensions import db
from planner.models import Firm, Region
from planner.services.directory import directory_sections, search_firms

bp = Blueprint("firms", __name__, url_prefix="/firms")


@bp.route("/")
def directory():
    """Public directory; private fields (contacts, people) are never listed here."""
    region = request.args.get("region") or None
    sector = request.args.get("sector") or None
    text = request.args.get("q") or None
    firms = search_firms(region_key=region, sector_prefix=sector, text=text)
    regions = list(db.session.scalars(select(Region).order_by(Region.id)))
    return render_template("firms/directory.html", firms=firms, regions=regions, sections=directory_sections(),
                           region=region, sector=sector, q=text or "")


@bp.route("/<int:firm_id>")
def profile(firm_id: int):
    """Public profile; members of the firm and organisers also see contacts."""
    firm = db.session.get(Firm, firm_id) or abort(404)
    can_see_private = current_user.is_authenticated and current_user.can_manage_firm(firm.id)
    if not firm.public and not can_see_private:
        abort(404)
    return render_template("firms/profile.html", firm=firm, can_see_private=can_see_private)
