"""Firms: the public directory and profiles, registration and editing of a profile,
recommended partners with reasons, and the marketplace of needs and offers."""
from collections.abc import Callable

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from planner.access import load_or_404, require_firm_access
from planner.actions import attempt
from planner.errors import ServiceError
from planner.events.lifecycle import (
    deadline_text,
    firm_registrations,
    joining_refusal,
    registration_of,
    registration_status_label,
)
from planner.extensions import db
from planner.firms.directory import PER_PAGE, directory_sections, load_page, search_firms
from planner.firms.forms import FirmForm
from planner.firms.profiles import (
    event_days,
    profile_form_data,
    recommendations,
    registrable_events,
    save_firm_profile,
    search_marketplace,
)
from planner.models import Firm, Region
from planner.models.enums import RegistrationStatus
from planner.paging import paginate
from planner.requests.services import events_of_firm, pick_event, sending_closed_reason
from planner.text.i18n import _, current_locale, format_day

bp = Blueprint("firms", __name__, url_prefix="/firms")


def _regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.id)))


@bp.route("/")
def directory():
    """Public directory; private fields (contacts, people) are never listed here."""
    region = request.args.get("region") or None
    sector = request.args.get("sector") or None
    text = request.args.get("q") or None
    page = paginate(search_firms(region_key=region, sector_prefix=sector, text=text), request.args.get("page", type=int),
                    PER_PAGE)
    load_page(page.items)
    return render_template("firms/directory.html", firms=page.items, page=page, regions=_regions(),
                           sections=directory_sections(), region=region, sector=sector, q=text or "",
                           url_for_page=lambda n: url_for("firms.directory", region=region, sector=sector, q=text, page=n))


@bp.route("/<int:firm_id>")
def profile(firm_id: int):
    """Public profile; members of the firm and organisers also see contacts."""
    firm = load_or_404(Firm, firm_id)
    can_see_private = current_user.is_authenticated and current_user.can_manage_firm(firm.id)
    if not firm.public and not can_see_private:
        abort(404)
    return render_template("firms/profile.html", firm=firm, can_see_private=can_see_private,
                           rounds=firm_registrations(firm.id) if can_see_private else [])


def _round_choices(events, firm: Firm | None) -> list[tuple[int, str]]:
    """The rounds the form offers: those the firm is in (with its status unless it takes part)
    and those it may still join (with their deadline)."""
    locale = current_locale()
    statuses = {row.event_id: row.status for row in firm_registrations(firm.id)} if firm is not None else {}
    offered = []
    for event in events:
        status = statuses.get(event.id)
        if status is None and joining_refusal(event, current_user):
            continue
        label = event.display_name(locale)
        if status is not None and status != RegistrationStatus.APPROVED:
            label = f"{label} — {registration_status_label(status)}"
        elif status is None and event.registration_deadline_dt is not None:
            label = _("%(event)s — join by %(when)s", event=label, when=deadline_text(event, locale))
        offered.append((event.id, label))
    return offered


def _prepared_form(data: dict | None = None, firm: Firm | None = None) -> FirmForm:
    form = FirmForm(data=data)
    events = registrable_events()
    locale = current_locale()
    form.set_choices([(region.id, region.name(locale)) for region in _regions()], _round_choices(events, firm),
                     [(day.isoformat(), format_day(day, locale, "medium")) for day in event_days(events)])
    return form


def _saved_or_form(form: FirmForm, firm: Firm | None, done: str, after: Callable[[Firm], str]):
    """Save a valid profile (`save_firm_profile`; the new firm when `firm` is None) and go on to
    `after(saved firm)` with `done` flashed; else the form again with what was typed and its
    errors (422): a broken rule under the field it names, or above the form."""

    def refused(error: ServiceError) -> None:
        field = getattr(form, error.field or "", None)
        if field is not None and isinstance(field.errors, list) and field.type != "FieldList":
            field.errors.append(error.message)
        else:
            form.form_errors.append(error.message)

    if form.validate_on_submit():
        saved = attempt(lambda: save_firm_profile(firm, form.to_data(), current_locale(), current_user), done, refused=refused)
        if saved.ok:
            return redirect(after(saved.result))
    form.add_blank_rows()
    return render_template("firms/form.html", form=form, firm=firm), (422 if form.errors or form.form_errors else 200)


@bp.route("/register", methods=["GET", "POST"])
@login_required
def register():
    """A new firm's profile; the account that registers it becomes its member."""
    if not current_user.is_organiser and current_user.firm_id:
        return redirect(url_for("firms.edit", firm_id=current_user.firm_id))
    if not current_user.is_organiser and not current_user.email_confirmed:
        return redirect(url_for("auth.unconfirmed"))  # acting for a firm needs a proven address
    form = _prepared_form()
    if request.method == "GET":
        locale = current_locale()
        form.languages.data = [locale] if locale != "en" else ["en"]
        form.events.data = [choice.value for choice in form.events.choices]
        if not current_user.is_organiser:
            person = form.participants.entries[0].form
            person.email.data = current_user.email
            first, _sep, last = (current_user.name or "").partition(" ")
            person.first_name.data, person.last_name.data = first, last
            person.languages.data = list(form.languages.data)
    return _saved_or_form(form, None, _("Your firm's profile is saved. Here are the partners who fit it best."),
                          lambda firm: url_for("firms.matches", firm_id=firm.id))


@bp.route("/<int:firm_id>/edit", methods=["GET", "POST"])
@login_required
def edit(firm_id: int):
    """Edit a profile: the firm's own members, or organisers."""
    firm = load_or_404(Firm, firm_id)
    require_firm_access(firm.id)
    form = _prepared_form(profile_form_data(firm, current_locale()) if request.method == "GET" else None, firm)
    return _saved_or_form(form, firm, _("The profile is saved."), lambda saved: url_for("firms.profile", firm_id=saved.id))


@bp.route("/mine")
@login_required
def mine():
    """The signed-in member's firm, or the registration form when there is none yet."""
    if current_user.firm_id:
        return redirect(url_for("firms.profile", firm_id=current_user.firm_id))
    return redirect(url_for("firms.register"))


@bp.route("/<int:firm_id>/matches")
@login_required
def matches(firm_id: int):
    """Ranked partners with the reasons they fit, filters, and a request button each."""
    firm = load_or_404(Firm, firm_id)
    require_firm_access(firm.id)
    event = pick_event(request.args.get("event"), firm.id)
    if request.args.get("event") and event is None:
        abort(404)
    filters = {"region_key": request.args.get("region") or None, "text": request.args.get("q") or None,
               "mutual_only": request.args.get("mutual") == "1", "same_language": request.args.get("language") == "1"}
    items = recommendations(firm, event, public_only=not current_user.is_organiser, **filters)
    registration = registration_of(event, firm.id) if event is not None else None
    closed = sending_closed_reason(event, current_user) if event is not None else None
    return render_template("firms/matches.html", firm=firm, event=event, items=items, regions=_regions(),
                           filters=filters, events=events_of_firm(firm.id), registration=registration,
                           registered=registration is not None and registration.takes_part, closed=closed)


@bp.route("/marketplace")
def marketplace():
    """Everyone's needs and offers, searched by code or by words in any language."""
    text = request.args.get("q") or None
    side = request.args.get("side") if request.args.get("side") in ("need", "offer") else None
    region = request.args.get("region") or None
    include_private = current_user.is_authenticated and current_user.is_organiser
    entries = search_marketplace(text, side, region, include_private=include_private)
    return render_template("firms/marketplace.html", entries=entries, regions=_regions(), q=text or "", side=side,
                           region=region)
