"""The organiser's reminders: pick a round and the reasons, see who gets what, confirm once."""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from planner.access import organiser_required
from planner.events.forms import choices
from planner.events.lifecycle import current_events
from planner.extensions import db
from planner.models import Event
from planner.onboarding.forms import ReminderConfirmForm, ReminderForm
from planner.onboarding.reminders import AlreadySent, reason_label, reminder_lines, send_reminders, sent_batch
from planner.text.i18n import current_locale, ngettext

bp = Blueprint("reminders", __name__, url_prefix="/organiser/reminders")


def _round(slug: str | None) -> Event:
    return db.session.scalar(select(Event).where(Event.slug == (slug or ""))) or abort(404)


def _form() -> ReminderForm:
    form = ReminderForm()
    form.event.choices = choices([(event.slug, event.display_name(current_locale())) for event in current_events()])
    return form


@bp.route("/", methods=["GET", "POST"])
@organiser_required
def choose():
    """Pick the round and the reasons; a valid choice shows the preview (nothing is sent)."""
    form = _form()
    if request.method == "GET":
        form.event.data = request.args.get("event") or None
    if form.validate_on_submit():
        event = _round(form.event.data)
        lines = reminder_lines(event, form.reasons.data, current_locale())
        confirm = ReminderConfirmForm(formdata=None, token=secrets.token_urlsafe(24), event=event.slug,
                                      reasons=" ".join(form.reasons.data))
        return render_template("onboarding/reminders_preview.html", event=event, lines=lines, confirm=confirm,
                               people=len({line.person.id for line in lines}), reasons=form.reasons.data,
                               reason_label=reason_label)
    return render_template("onboarding/reminders.html", form=form), (422 if form.errors else 200)


@bp.route("/send", methods=["POST"])
@organiser_required
def send():
    """Queue the previewed reminders; the same preview confirmed again sends nothing more."""
    form = ReminderConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    event = _round(form.event.data)
    try:
        batch = send_reminders(event, form.reasons.data.split(), form.token.data, current_user.id)
        db.session.commit()
    except AlreadySent as done:
        db.session.rollback()
        batch, repeated = done.batch, True
    except IntegrityError:  # the same preview confirmed at the same moment: the other one sent it
        db.session.rollback()
        batch, repeated = sent_batch(form.token.data) or abort(409), True
    else:
        repeated = False
    if repeated:
        flash(ngettext("These reminders were already sent: %(num)s e-mail. Nothing was sent again.",
                       "These reminders were already sent: %(num)s e-mails. Nothing was sent again.", batch.messages),
              "info")
    else:
        flash(ngettext("%(num)s reminder is on its way, in its reader's language.",
                       "%(num)s reminders are on their way, each in its reader's language.", batch.messages), "success")
    return redirect(url_for("reminders.choose", event=event.slug))
