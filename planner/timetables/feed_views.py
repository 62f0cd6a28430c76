"""Calendar feeds at secret token URLs (per participant and per delegation), their issue and
revocation, and the single-meeting .ics download.

A feed URL is the only secret a calendar app can carry, so an unknown or revoked token
answers 404 — the same as a page that never existed. Feeds speak the owner's language unless
the URL asks for another with ?lang=.
"""
from flask import Blueprint, Response, abort, current_app, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from planner.access import event_by_slug, load_or_404
from planner.actions import attempt
from planner.extensions import db
from planner.models import Delegation, Participant
from planner.text.i18n import _, current_locale
from planner.timetables import artefacts
from planner.timetables import feeds as ics
from planner.timetables.entries import recipient_locale, region_locale
from planner.timetables.views import _is_head_of, can_see_firm, can_see_participant
from planner.urls import safe_next

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


def _ics(data: bytes, filename: str, *, download: bool = False) -> Response:
    disposition = "attachment" if download else "inline"
    return Response(data, mimetype="text/calendar", headers={
        "Content-Disposition": f'{disposition}; filename="{filename}"',
        "Cache-Control": "private, max-age=300",
        "X-Robots-Tag": "noindex",
    })


def _feed_locale(default: str) -> str:
    asked = request.args.get("lang")
    return asked if asked in current_app.config["LANGUAGES"] else default


def _feed(kind: str, owner_id: int, firm_ids, locale: str, build, filename: str) -> Response:
    """The feed built once per published state of the owner's rounds (those of `firm_ids`) and
    language (`artefacts`), with an ETag and Last-Modified; a calendar app asking again with
    either gets 304 and no body. Publishing a round the owner is not in changes none of it."""
    stamp, changed = artefacts.publish_stamp(firm_ids)
    etag = f"{kind}{owner_id}-{locale}-{stamp}"
    unchanged = request.if_none_match.contains(etag) if request.if_none_match else (
        changed is not None and request.if_modified_since is not None
        and request.if_modified_since >= changed.replace(microsecond=0))
    name = artefacts.feed_name(kind, owner_id, locale, stamp)
    data = b"" if unchanged else artefacts.store_feed(kind, owner_id, locale, stamp, build)
    accel = None if unchanged else artefacts.accel_redirect(name)
    response = _ics(b"" if accel else data, filename)
    if accel:
        response.headers["X-Accel-Redirect"] = accel
    response.set_etag(etag)
    if changed is not None:
        response.last_modified = changed
    if unchanged:
        response.status_code = 304
        response.set_data(b"")
    return response


@bp.route("/p/<token>.ics")
def participant_feed(token: str):
    """A person's meetings in every published schedule (METHOD:PUBLISH)."""
    person = ics.participant_by_token(token) or abort(404)
    locale = _feed_locale(recipient_locale(person))
    return _feed("p", person.id, [person.firm_id], locale, lambda: ics.participant_feed(person, locale),
                 f"karvan-p{person.id}.ics")


@bp.route("/d/<token>.ics")
def delegation_feed(token: str):
    """Every member's meetings, each meeting once (METHOD:PUBLISH)."""
    delegation = ics.delegation_by_token(token) or abort(404)
    default = recipient_locale(delegation.head) if delegation.head else region_locale(delegation.region)
    locale = _feed_locale(default)
    return _feed("d", delegation.id, artefacts.delegation_firms(delegation.id), locale,
                 lambda: ics.delegation_feed(delegation, locale),
                 f"karvan-delegation-{delegation.id}.ics")


@bp.route("/<slug>/meetings/<int:request_id>.ics")
@login_required
def meeting(slug: str, request_id: int):
    """One published meeting as a downloadable .ics in the reader's language."""
    event = event_by_slug(slug)
    entry = ics.find_entry(event, request_id, current_user.firm)
    if entry is None:
        abort(404)
    visible = [firm for firm in entry.firms if can_see_firm(firm)]
    if not visible:
        abort(404)
    if entry.own_firm is None and not current_user.is_organiser:
        # A delegation head reads it from their members' side: the other firm's mailboxes stay private.
        entry = ics.find_entry(event, request_id, visible[0])
    person = db.session.scalar(select(Participant).where(Participant.email == current_user.email))
    home = person.home_timezone if person is not None else (current_user.firm.region.timezone if current_user.firm else None)
    return _ics(ics.single_meeting_ics(event, entry, current_locale(), home), f"karvan-meeting-{request_id}.ics", download=True)


def _back() -> Response:
    """Back to the page the button was on (`next`), never off the site."""
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))


# The owners a feed URL belongs to, by the address's word, and who may change theirs.
_FEED_OWNERS = {"participants": (Participant, can_see_participant), "delegations": (Delegation, _is_head_of)}


@bp.route("/<any(participants, delegations):owners>/<int:owner_id>/<any(token, revoke):change>", methods=["POST"])
@login_required
def feed_token(owners: str, owner_id: int, change: str):
    """Create or replace (`token`) a person's or a delegation's feed URL, or switch it off
    (`revoke`); a replaced or revoked URL stops working at once."""
    model, allowed = _FEED_OWNERS[owners]
    owner = load_or_404(model, owner_id, allowed=allowed)
    if change == "token":
        attempt(lambda: ics.issue_feed_token(owner),
                _("A new calendar link was created. Links given out before no longer work."))
    else:
        attempt(lambda: ics.revoke_feed_token(owner), _("The calendar link was switched off."))
    return _back()
