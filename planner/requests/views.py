"""Meeting requests: the firm's inbox, asking for a meeting, answering, and the organisers'
demand view with suggested partners for firms that have too few meetings."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from planner.access import organiser_required, require_firm_access
from planner.errors import ServiceError
from planner.extensions import db
from planner.matching.candidates import score_between, suggest_partners
from planner.models import Firm, MeetingRequest
from planner.models.enums import RequestStatus
from planner.paging import PER_PAGE, page_url, paginate, requested_page
from planner.requests import services as service
from planner.requests.demand import demand_rows
from planner.requests.forms import RequestForm, RespondForm
from planner.text.i18n import _, current_locale
from planner.urls import database_int, parse_database_int

bp = Blueprint("requests", __name__, url_prefix="/requests")
ACTIONS = ("accept", "decline", "withdraw")


def _event_or_404(firm_id: int | None = None):
    slug = request.args.get("event") or request.form.get("event")
    return service.pick_event(slug, firm_id) or abort(404)


@bp.route("/")
@login_required
def inbox():
    """Requests a firm received and sent in one event, with their state and the allowed answers."""
    firm_id = request.args.get("firm", type=database_int) if current_user.is_organiser else current_user.firm_id
    if firm_id is None:
        return redirect(url_for("requests.demand" if current_user.is_organiser else "firms.register"))
    firm = db.session.get(Firm, firm_id) or abort(404)
    require_firm_access(firm.id)
    event = _event_or_404(firm.id)
    received, sent = service.firm_requests(event, firm.id)
    return render_template("requests/inbox.html", firm=firm, event=event, received=received, sent=sent,
                           events=service.events_of_firm(firm.id), actions=service.allowed_actions,
                           accept_blocker=service.accept_blocker,
                           form=RespondForm(), low_high=service.meeting_bounds(event, firm.id),
                           accepted=service.accepted_count(event, firm.id))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Ask a firm for a meeting (organisers: on behalf of `?firm=`)."""
    requester_id = request.args.get("firm", type=database_int) if current_user.is_organiser else current_user.firm_id
    if requester_id is None:
        abort(404 if current_user.is_organiser else 403)
    requester = db.session.get(Firm, requester_id) or abort(404)
    require_firm_access(requester.id)
    form = RequestForm()
    if request.method == "GET":
        form.target.data = request.args.get("target", "")
    target_id = parse_database_int(form.target.data)
    target = db.session.get(Firm, target_id) if target_id is not None else None
    if target is None or (not target.public and not current_user.is_organiser):
        abort(404)
    event = _event_or_404(requester.id)
    if form.validate_on_submit():
        try:
            row = service.create_request(event, requester.id, target.id, current_user, priority=form.priority.data,
                                         message=form.message.data, accept=form.accept.data)
        except service.NotAllowed:
            abort(403)
        except ServiceError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            name = target.display_name(current_locale())
            flash(_("Meeting with %(firm)s accepted.", firm=name) if row.status == RequestStatus.ACCEPTED
                  else _("Request sent to %(firm)s.", firm=name), "success")
            if current_user.is_organiser:
                return redirect(url_for("requests.demand", event=event.slug))
            return redirect(url_for("requests.inbox", event=event.slug))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("requests/new.html", form=form, requester=requester, target=target, event=event,
                           pair=score_between(event, requester.id, target.id),
                           closed=service.sending_closed_reason(event, current_user)), status


@bp.route("/<int:request_id>/<action>", methods=["POST"])
@login_required
def respond(request_id: int, action: str):
    """Accept, decline or withdraw a request; other firms' requests are not found."""
    row = db.session.get(MeetingRequest, request_id) or abort(404)
    if action not in ACTIONS:
        abort(404)
    if not current_user.is_organiser and current_user.firm_id not in (row.requester_firm_id, row.target_firm_id):
        abort(404)
    form = RespondForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.respond_to_request(row, action, current_user, form.reason.data)
    except service.NotAllowed:
        abort(403)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash({"accept": _("Request accepted."), "decline": _("Request declined."),
               "withdraw": _("Request withdrawn.")}[action], "success")
    firm_id = current_user.firm_id or row.target_firm_id
    if request.form.get("next") == "demand" and current_user.is_organiser:
        return redirect(url_for("requests.demand", event=row.event.slug))
    return redirect(url_for("requests.inbox", event=row.event.slug,
                            firm=firm_id if current_user.is_organiser else None))


@bp.route("/demand")
@organiser_required
def demand():
    """Requests per firm; firms with no or few accepted meetings first."""
    event = _event_or_404()
    rows = demand_rows(event)
    return render_template("organiser_demand/index.html", event=event, rows=rows,
                           page=paginate(rows, requested_page(), PER_PAGE), url_for_page=page_url(),
                           events=service.all_events())


@bp.route("/demand/<int:firm_id>/suggest")
@organiser_required
def suggest(firm_id: int):
    """The best-scoring partners without a request yet, to request on the firm's behalf."""
    firm = db.session.get(Firm, firm_id) or abort(404)
    event = _event_or_404()
    if service.registration(event, firm.id) is None:
        abort(404)
    pairs = suggest_partners(event, firm.id, limit=10)
    partners = {partner.id: partner for partner in
                (db.session.get(Firm, pair.firm_b) for pair in pairs)}
    return render_template("organiser_demand/suggest.html", firm=firm, event=event, pairs=pairs, partners=partners,
                           accepted=service.accepted_count(event, firm.id),
                           bounds=service.meeting_bounds(event, firm.id))
