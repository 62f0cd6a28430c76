"""A round's public page (no log-in): its programme in Tehran time, the firms taking part, how to
join; and the one-click join of a firm member's firm. Archived rounds are shown to organisers only."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from planner.access import require_firm_access
from planner.errors import ServiceError
from planner.events import lifecycle
from planner.events.lifecycle_forms import ActionForm
from planner.events.services import event_delegations, plan_days
from planner.extensions import db
from planner.models import Event
from planner.models.enums import RegistrationStatus
from planner.text.i18n import _, current_locale

bp = Blueprint("rounds", __name__, url_prefix="/rounds")


def _round(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug)) or abort(404)
    if event.archived_at is not None and not (current_user.is_authenticated and current_user.is_organiser):
        abort(404)
    return event


def _reader():
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.route("/<slug>")
def public_page(slug: str):
    """Programme, firms taking part and how to join, for anyone."""
    event = _round(slug)
    locale = current_locale()
    firms, unlisted = lifecycle.listed_firms(event, locale)
    reader = _reader()
    firm_id = reader.firm_id if reader is not None and not reader.is_organiser else None
    return render_template(
        "events/public.html", event=event, days=plan_days(event), firms=firms, unlisted=unlisted,
        delegations=event_delegations(event), refusal=lifecycle.joining_refusal(event, reader),
        registration=lifecycle.registration_of(event, firm_id) if firm_id else None, firm_id=firm_id,
        deadline=lifecycle.deadline_text(event, locale), join=ActionForm())


@bp.route("/<slug>/join", methods=["POST"])
@login_required
def join(slug: str):
    """The signed-in member's firm joins the round (or waits for approval where the round asks)."""
    event = _round(slug)
    if current_user.firm_id is None:
        return redirect(url_for("firms.register"))
    if not current_user.is_organiser and not current_user.email_confirmed:
        return redirect(url_for("auth.unconfirmed"))  # acting for a firm needs a proven address
    require_firm_access(current_user.firm_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        registration = lifecycle.join_round(event, current_user.firm_id, current_user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("rounds.public_page", slug=event.slug))
    except IntegrityError:  # a second click joined at the same moment: answer as if it came after
        db.session.rollback()
        registration = lifecycle.registration_of(event, current_user.firm_id) or abort(409)
    if registration.status == RegistrationStatus.PENDING:
        flash(_("Your firm's registration waits for the organisers' approval. You will see it here."), "info")
        return redirect(url_for("rounds.public_page", slug=event.slug))
    if registration.status == RegistrationStatus.REFUSED:
        flash(_("The organisers did not accept your firm for this round."), "warning")
        return redirect(url_for("rounds.public_page", slug=event.slug))
    flash(_("Your firm takes part in %(event)s. Here are the partners who fit it best.",
            event=event.display_name(current_locale())), "success")
    return redirect(url_for("firms.matches", firm_id=current_user.firm_id, event=event.slug))
