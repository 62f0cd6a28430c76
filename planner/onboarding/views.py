"""The organiser's import page (upload → preview → confirm, all or nothing), the export and the
templates in each language."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from planner.access import organiser_required
from planner.errors import ServiceError
from planner.events.lifecycle import current_events
from planner.extensions import db
from planner.models import Event
from planner.onboarding.apply import apply_plan
from planner.onboarding.export import export_csv, export_xlsx
from planner.onboarding.forms import ConfirmForm, ImportForm
from planner.onboarding.plan import build_plan
from planner.onboarding.reading import read_firm_file
from planner.text.i18n import _, current_locale, local_digits

bp = Blueprint("onboarding", __name__, url_prefix="/onboarding")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pending(token: str) -> Path:
    # Between the preview and the confirmation the upload waits here, under a random name.
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / token


def _event_choices() -> list[tuple[str, str]]:
    return [("", _("No round"))] + [(event.slug, event.display_name(current_locale())) for event in current_events()]


def _round(slug: str) -> Event:
    return db.session.scalar(select(Event).where(Event.slug == slug)) or abort(404)


def _plan(name: str, raw: bytes, event_slug: str | None, delegation: str | None):
    event = _round(event_slug) if event_slug else None
    return build_plan(read_firm_file(name, raw), event, delegation)


@bp.route("/import", methods=["GET", "POST"])
@organiser_required
def import_file():
    """Upload a file; the whole file is checked and a preview shows what would change."""
    form = ImportForm()
    form.event.choices = _event_choices()
    plan, refused = None, None
    if form.validate_on_submit():
        raw = form.file.data.read()
        name = form.file.data.filename or "upload.csv"
        try:
            plan = _plan(name, raw, form.event.data or None, form.delegation.data or None)
        except ServiceError as error:
            refused = error.message
        db.session.rollback()
        if plan is not None and plan.ok:
            token = secrets.token_urlsafe(24)
            _pending(token).write_bytes(raw)
            confirm = ConfirmForm(formdata=None, token=token, name=name, event=form.event.data or "",
                                  delegation=form.delegation.data or "")
            return render_template("onboarding/preview.html", plan=plan, confirm=confirm, name=name)
    status = 422 if refused or (plan is not None and not plan.ok) or form.errors else 200
    return render_template("onboarding/import.html", form=form, plan=plan, refused=refused), status


@bp.route("/import/confirm", methods=["POST"])
@organiser_required
def confirm():
    """Write the previewed file, all or nothing, and forget the upload."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    path = _pending(form.token.data)
    if not path.exists():
        flash(_("This preview has expired or was already imported; upload the file again."), "warning")
        return redirect(url_for("onboarding.import_file"))
    try:
        plan = _plan(form.name.data, path.read_bytes(), form.event.data or None, form.delegation.data or None)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("onboarding.import_file"))
    if not plan.ok:
        db.session.rollback()
        flash(_("The data changed since the preview; check the file again."), "error")
        return redirect(url_for("onboarding.import_file"))
    counts = plan.counts()
    done = apply_plan(plan, user_id=current_user.id)
    db.session.commit()
    path.unlink(missing_ok=True)
    flash(_("Imported: %(firms)s new firms, %(people)s new people, %(wishes)s new meeting wishes; %(invited)s "
            "invitations sent.", firms=local_digits(counts["firms"]["new"]), people=local_digits(counts["people"]["new"]),
            wishes=local_digits(counts["wishes"]["new"]), invited=local_digits(done["invited"])), "success")
    return redirect(url_for("onboarding.import_file"))


@bp.route("/export")
@organiser_required
def export():
    """Firms and people (of a round, with ?event=) as .xlsx, or .csv with ?format=csv."""
    slug = request.args.get("event") or None
    event = _round(slug) if slug else None
    stem = f"firms-{event.slug}" if event is not None else "firms"
    if request.args.get("format") == "csv":
        return Response(export_csv(event), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'})
    return Response(export_xlsx(event), mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'})


@bp.route("/template/<locale>.xlsx")
@organiser_required
def template(locale: str):
    """An empty workbook whose headers are in `locale` (fa, ru or en)."""
    if locale not in current_app.config["LANGUAGES"]:
        abort(404)
    return Response(export_xlsx(None, locale, template=True), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="karvan-firms-{locale}.xlsx"'})
