"""JSON interface, version 1: a firm's matches and the code picker's search.

Errors are JSON too: `{"error": message, "status": code}` with the message in the reader's
language, for 400, 401, 403 and 404.
"""
from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from planner.errors import ServiceError
from planner.extensions import db
from planner.matching.candidates import firm_matches
from planner.matching.reasons import matches_as_json
from planner.models import Firm
from planner.requests.services import pick_event
from planner.taxonomy.codes import search_codes
from planner.text.i18n import _, current_locale
from planner.urls import database_int

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_LIMIT = 200


class ApiError(HTTPException):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.code = status
        self.message = message


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return jsonify(error=error.message, status=error.code), error.code


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    messages = {400: _("The request could not be understood."), 401: _("Please log in."),
                403: _("You are not allowed to see this."), 404: _("Not found."),
                405: _("This method is not allowed here.")}
    status = error.code or 500
    return jsonify(error=messages.get(status, error.description), status=status), status


def _locale() -> str:
    asked = request.args.get("lang")
    return asked if asked in current_app.config["LANGUAGES"] else current_locale()


@bp.route("/firms/<int:firm_id>/matches")
def matches(firm_id: int):
    """That firm's ranked partners: its members and organisers only."""
    if not current_user.is_authenticated:
        raise ApiError(401, _("Please log in."))
    firm = db.session.get(Firm, firm_id)
    if firm is None:
        raise ApiError(404, _("There is no firm %(id)s.", id=firm_id))
    if not current_user.can_manage_firm(firm.id):
        raise ApiError(403, _("You may only see the matches of your own firm."))
    limit = request.args.get("limit", "20")
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_LIMIT:
        raise ApiError(400, _("limit must be a whole number from 1 to %(max)s.", max=MAX_LIMIT))
    slug = request.args.get("event")
    event = pick_event(slug, firm.id)
    if slug and event is None:
        raise ApiError(404, _("There is no event %(slug)s.", slug=slug))
    pairs = firm_matches(firm.id, event, int(limit), public_only=not current_user.is_organiser)
    return jsonify(matches_as_json(pairs, firm.id, _locale()))


@bp.route("/codes")
def codes():
    """Search-as-you-type over HS (kind=product) or ISIC (kind=sector) codes and titles."""
    try:
        found = search_codes(request.args.get("q", ""), request.args.get("kind", "product"), _locale(),
                             limit=min(request.args.get("limit", 15, type=database_int) or 15, 50))
    except ServiceError as error:
        raise ApiError(400, error.message) from error
    return jsonify(found)
