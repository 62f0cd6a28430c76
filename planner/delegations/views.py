"""Visiting regions and delegations: organiser pages to list, create, edit and archive them,
and the delegation head's view of their visit."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from planner.access import organiser_required
from planner.delegations import services
from planner.delegations.forms import NATIVE_LOCALES, DelegationForm, RegionForm
from planner.errors import ServiceError
from planner.events.forms import choices
from planner.extensions import db
from planner.models import Delegation, Event, Region
from planner.paging import page_url, paginate_query, requested_page
from planner.text.i18n import _, current_locale
from planner.text.labels import language_label
from planner.text.scripts import interpreter_name, participant_name

bp = Blueprint("delegations", __name__)


def _refuse(form, error: ServiceError) -> None:
    db.session.rollback()
    field = getattr(form, error.field or "", None)
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


# --- regions --------------------------------------------------------------------------------

@bp.route("/regions/")
@organiser_required
def regions():
    """Every visiting region with the language of its firms' native names."""
    return render_template("delegations/regions.html", regions=services.list_regions())


@bp.route("/regions/new", methods=["GET", "POST"], defaults={"region_id": None})
@bp.route("/regions/<int:region_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit_region(region_id: int | None):
    """Create or edit a region: names in three languages, country, time zone, script."""
    region = db.session.get(Region, region_id) or abort(404) if region_id else None
    form = RegionForm(obj=region)
    form.native_locale.choices = choices((code, language_label(code)) for code in NATIVE_LOCALES)
    if form.validate_on_submit():
        try:
            region = services.save_region(region, {name: getattr(form, name).data for name in (
                "key", "name_fa", "name_ru", "name_en", "country", "timezone", "native_locale")})
        except ServiceError as error:
            _refuse(form, error)
        else:
            db.session.commit()
            flash(_("The region is saved."), "success")
            return redirect(url_for(".regions"))
    return render_template("delegations/region_form.html", form=form, region=region), 422 if form.errors else 200


# --- delegations ----------------------------------------------------------------------------

@bp.route("/delegations/")
@organiser_required
def index():
    """Current visits, and the archived ones below."""
    return render_template("delegations/index.html", current=services.list_delegations(),
                           archived=services.list_delegations(archived=True))


def _delegation_form(delegation: Delegation | None) -> DelegationForm:
    form = DelegationForm(obj=delegation)
    locale = current_locale()
    regions = services.list_regions(include_archived=False)
    form.region.choices = choices((region.id, region.name(locale)) for region in regions)
    attached = {event.id for event in delegation.events} if delegation is not None else set()
    events = [event for event in db.session.scalars(select(Event).order_by(Event.start_date.desc()))
              if event.archived_at is None or event.id in attached]  # archived rounds stay on visits that attend them
    form.events.choices = choices((event.id, event.display_name(locale)) for event in events)
    region = delegation.region if delegation is not None else (db.session.get(Region, form.region.data or 0)
                                                             if request.method == "POST" else None)
    people = services.region_people(region) if region is not None else []
    form.members.choices = choices((p.id, f"{participant_name(p, locale)} — {p.firm.display_name(locale)}") for p in people)
    form.head.choices = choices([(0, "—")] + [(p.id, participant_name(p, locale)) for p in people])
    shown = delegation.events if delegation is not None else []
    form.interpreters.choices = choices((i.id, f"{interpreter_name(i, locale)} — {i.event.display_name(locale)}")
                                        for i in services.round_interpreters(shown))
    if request.method == "GET" and delegation is not None:
        form.name_fa.data, form.name_ru.data, form.name_en.data = (delegation.name.get(k) for k in ("fa", "ru", "en"))
        form.region.data = delegation.region_id
        form.events.data = [event.id for event in delegation.events]
        form.members.data = [person.id for person in delegation.members]
        form.head.data = delegation.head_id or 0
        form.interpreters.data = [item.id for item in delegation.interpreters]
    return form


@bp.route("/delegations/new", methods=["GET", "POST"], defaults={"delegation_id": None})
@bp.route("/delegations/<int:delegation_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit(delegation_id: int | None):
    """Create or edit a visit: region, names, travel window, rounds, members, head, interpreters."""
    delegation = db.session.get(Delegation, delegation_id) or abort(404) if delegation_id else None
    form = _delegation_form(delegation)
    if form.validate_on_submit():
        data = {"key": form.key.data, "region": form.region.data, "travel_start": form.travel_start.data,
                "travel_end": form.travel_end.data, "events": form.events.data, "members": form.members.data,
                "head": form.head.data, "interpreters": form.interpreters.data,
                "name": {k: getattr(form, f"name_{k}").data for k in ("fa", "ru", "en") if getattr(form, f"name_{k}").data}}
        try:
            delegation = services.save_delegation(delegation, data)
        except ServiceError as error:
            _refuse(form, error)
        else:
            db.session.commit()
            flash(_("The delegation is saved."), "success")
            return redirect(url_for(".detail", delegation_id=delegation.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("delegations/form.html", form=form, delegation=delegation), status


@bp.route("/delegations/<int:delegation_id>")
@login_required
def detail(delegation_id: int):
    """A visit: its rounds, travel window, interpreters and each member's days. Organisers and
    the delegation's head."""
    delegation = db.session.get(Delegation, delegation_id) or abort(404)
    if not current_user.is_organiser and delegation not in services.headed_by(current_user):
        abort(403)
    members = paginate_query(services.members_query(delegation), requested_page())
    return render_template("delegations/detail.html", delegation=delegation, members=members, url_for_page=page_url(),
                           rows=services.member_days(delegation, members.items))


@bp.route("/delegations/<int:delegation_id>/archive", methods=["POST"])
@organiser_required
def archive(delegation_id: int):
    """Archive the visit, or bring it back (`restore=1`)."""
    delegation = db.session.get(Delegation, delegation_id) or abort(404)
    restore = request.form.get("restore") == "1"
    services.set_archived(delegation, not restore)
    db.session.commit()
    flash(_("The delegation is back among the current ones.") if restore else _("The delegation is archived."), "success")
    return redirect(url_for(".index"))


@bp.route("/delegations/mine")
@login_required
def mine():
    """The signed-in delegation head's visits."""
    visits = services.headed_by(current_user)
    if len(visits) == 1:
        return redirect(url_for(".detail", delegation_id=visits[0].id))
    return render_template("delegations/mine.html", visits=visits)
