"""A round's life cycle for organisers: the registration deadline and approval of firms, the
firms waiting for approval, a copy of the round on another exhibition's days, archiving and
restoring, deleting while nothing was published (after a page that says what goes)."""
from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from planner.access import organiser_required
from planner.errors import ServiceError
from planner.events import lifecycle, removal
from planner.events.forms import choices
from planner.events.lifecycle_forms import ActionForm, CloneForm, RegistrationRulesForm
from planner.events.rounds import clone_event
from planner.events.views import _exhibition_choices  # the round form's list: upcoming shows first, with dates
from planner.extensions import db
from planner.models import Event, EventRegistration, Exhibition
from planner.paging import paginate
from planner.text.i18n import _, current_locale, local_digits, ngettext
from planner.urls import database_int

bp = Blueprint("lifecycle", __name__, url_prefix="/organiser/events")
PER_PAGE = 50


def _event(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


def _field_error(form, error: ServiceError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


@bp.route("/<int:event_id>/round", methods=["GET", "POST"])
@organiser_required
def round_page(event_id: int):
    """The round's life cycle: its public page, registration rules, firms by status, copy,
    archive, delete."""
    event = _event(event_id)
    form = RegistrationRulesForm()
    if request.method == "GET":
        moment = lifecycle.local_deadline(event)
        form.deadline_day.data, form.deadline_time.data = (moment.date(), moment.time()) if moment else (None, None)
        form.approve_firms.data = event.approve_firms
    if form.validate_on_submit():
        deadline = lifecycle.deadline_from_local(event, form.deadline_day.data, form.deadline_time.data)
        try:
            released = lifecycle.set_registration_rules(event, deadline, form.approve_firms.data)
        except ServiceError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            flash(_("The registration rules are saved."), "success")
            if released:
                flash(ngettext("%(num)s firm that was waiting takes part now.",
                               "%(num)s firms that were waiting take part now.", released), "info")
            return redirect(url_for("lifecycle.round_page", event_id=event.id))
    counts = Counter(registration.status for registration in event.registrations)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("events/round.html", event=event, form=form, counts=counts, action=ActionForm(),
                           summary=removal.deletion_summary(event), closed=lifecycle.registration_closed(event)), status


@bp.route("/<int:event_id>/registrations")
@organiser_required
def registrations(event_id: int):
    """Every firm registered for the round, those waiting for approval first."""
    event = _event(event_id)
    page = paginate(lifecycle.registrations_by_status(event), request.args.get("page", type=database_int), PER_PAGE)
    return render_template("events/registrations.html", event=event, page=page, action=ActionForm(),
                           url_for_page=lambda n: url_for("lifecycle.registrations", event_id=event.id, page=n))


@bp.route("/<int:event_id>/registrations/<int:registration_id>/<decision>", methods=["POST"])
@organiser_required
def decide(event_id: int, registration_id: int, decision: str):
    """Approve or refuse one firm's registration."""
    event = _event(event_id)
    registration = db.session.get(EventRegistration, registration_id)
    if registration is None or registration.event_id != event.id or decision not in ("approve", "refuse"):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    changed = lifecycle.decide_registration(registration, decision == "approve")
    db.session.commit()
    firm = registration.firm.display_name(current_locale())
    if not changed:
        flash(_("Nothing changed: %(firm)s was already %(status)s.", firm=firm,
                status=lifecycle.registration_status_label(registration.status)), "info")
    elif decision == "approve":
        flash(_("%(firm)s takes part in the round now.", firm=firm), "success")
    else:
        flash(_("%(firm)s does not take part in the round.", firm=firm), "success")
    return redirect(url_for("lifecycle.registrations", event_id=event.id, page=request.args.get("page", type=database_int)))


@bp.route("/<int:event_id>/clone", methods=["GET", "POST"])
@organiser_required
def clone(event_id: int):
    """A new round with this round's setup on another exhibition's days."""
    source = _event(event_id)
    form = CloneForm()
    form.exhibition_id.choices = choices([(value, label) for value, label in _exhibition_choices() if value])
    if form.validate_on_submit():
        exhibition = db.session.get(Exhibition, form.exhibition_id.data) or abort(404)
        names = {"fa": form.name_fa.data, "ru": form.name_ru.data, "en": form.name_en.data}
        try:
            event = clone_event(source, form.slug.data, exhibition, name=names)
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            _field_error(form, error)
        except IntegrityError:  # the same short name taken at the same moment: the sequential answer
            db.session.rollback()
            form.slug.errors = list(form.slug.errors) + [_("This short name is already used by another event.")]
        else:
            flash(_("The new round has this round's sessions, tables and interpreters: %(sessions)s sessions, "
                    "%(tables)s tables, %(interpreters)s interpreters. Check its days below.",
                    sessions=local_digits(len(event.sessions)), tables=local_digits(len(event.tables)),
                    interpreters=local_digits(len(event.interpreters))), "success")
            return redirect(url_for("events.setup_page", event_id=event.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("events/clone.html", source=source, event=source, form=form), status


@bp.route("/<int:event_id>/archive", methods=["POST"])
@organiser_required
def archive(event_id: int):
    """Hide the round from lists and firms' pickers (organisers still read it)."""
    event = _event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    lifecycle.archive_event(event)
    db.session.commit()
    flash(_("%(event)s is archived. You find it under Archived rounds.", event=event.display_name(current_locale())),
          "success")
    return redirect(url_for("events.index"))


@bp.route("/<int:event_id>/restore", methods=["POST"])
@organiser_required
def restore(event_id: int):
    event = _event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    lifecycle.restore_event(event)
    db.session.commit()
    flash(_("%(event)s is back among the rounds.", event=event.display_name(current_locale())), "success")
    return redirect(url_for("lifecycle.round_page", event_id=event.id))


@bp.route("/archived")
@organiser_required
def archived():
    """Archived rounds, to read or restore."""
    return render_template("events/archived.html", events=lifecycle.archived_events(), action=ActionForm())


@bp.route("/<int:event_id>/delete", methods=["GET", "POST"])
@organiser_required
def delete(event_id: int):
    """What deleting the round takes with it; the round goes once the organiser confirms."""
    event = _event(event_id)
    form = ActionForm()
    if form.validate_on_submit():
        name = event.display_name(current_locale())
        try:
            removal.delete_event(event)
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("lifecycle.round_page", event_id=event_id) if db.session.get(Event, event_id)
                            else url_for("events.index"))
        db.session.commit()
        flash(_("%(event)s is deleted.", event=name), "success")
        return redirect(url_for("events.index"))
    return render_template("events/delete.html", event=event, summary=removal.deletion_summary(event), form=form)
