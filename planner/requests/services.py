"""Meeting requests within an event: a small state machine, its limits, the inbox and the
organisers' demand view. Functions flush; the caller commits.

    pending ──accept──► accepted ──withdraw──► withdrawn   (a cancelled meeting)
       │ ──decline──► declined
       └──withdraw──► withdrawn

* accept / decline: a member of the target firm, or an organiser; in events with
  `request_mode == "organiser-approval"` only organisers accept.
* withdraw: the requesting firm while pending; either firm once accepted; or an organiser.
* `auto-accept` events accept a request when it is made; organisers may also create a
  request on a firm's behalf, accepted at once.
* Limits: `Event.max_open_requests` pending requests sent per firm; accepting never takes a
  firm past its maximum of meetings (registration's, else the event's); once the event is
  over (its last day has passed in its time zone) firms can neither request nor accept, while
  organisers may still record what happened.

Every illegal transition raises `ServiceError` (`NotAllowed` when the actor has no right).

Under concurrent requests the rules hold through the database, and a lost race gets the
sequential answer: one live request per pair is a unique constraint (`live_pair`); an answer
is a conditional UPDATE from the state the user saw, so one of eight simultaneous accepts
wins; limits that count (meetings, open requests) lock the firms' registrations first
(PostgreSQL) and are counted again after the write, when SQLite has serialised the writers.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from planner.errors import ServiceError
from planner.events.lifecycle import joining_refusal, round_over
from planner.extensions import db
from planner.matching.candidates import score_between
from planner.models import Event, EventRegistration, Firm, MeetingRequest, User
from planner.models.base import utcnow
from planner.models.enums import RequestPriority, RequestStatus
from planner.models.meetings import REQUEST_PRIORITIES, live_pair_key
from planner.notifications.notices import send_request_notice
from planner.signals import facts_changed
from planner.text.i18n import _, _l, current_locale, local_digits, ngettext

TRANSITIONS = {
    (RequestStatus.PENDING, "accept"): RequestStatus.ACCEPTED,
    (RequestStatus.PENDING, "decline"): RequestStatus.DECLINED,
    (RequestStatus.PENDING, "withdraw"): RequestStatus.WITHDRAWN,
    (RequestStatus.ACCEPTED, "withdraw"): RequestStatus.WITHDRAWN,
}
ACTIVE = (RequestStatus.PENDING, RequestStatus.ACCEPTED)
STATUS_LABELS = {
    RequestStatus.PENDING: _l("waiting for an answer"),
    RequestStatus.ACCEPTED: _l("accepted"),
    RequestStatus.DECLINED: _l("declined"),
    RequestStatus.WITHDRAWN: _l("withdrawn"),
}
PRIORITY_LABELS = {RequestPriority.MUST: _l("must meet"), RequestPriority.WOULD_LIKE: _l("would like to meet")}
ACTION_LABELS = {"accept": _l("accepted"), "decline": _l("declined"), "withdraw": _l("withdrawn")}
REQUEST_MODE_LABELS = {
    "mutual-accept": _l("the other firm accepts or declines"),
    "auto-accept": _l("requests are accepted at once"),
    "organiser-approval": _l("the organisers approve requests"),
}


class NotAllowed(ServiceError):
    """The actor may not do this to this request."""


def status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


def priority_label(code: str) -> str:
    return str(PRIORITY_LABELS.get(code, code))


def request_mode_label(code: str) -> str:
    return str(REQUEST_MODE_LABELS.get(code, code))


# --- queries ------------------------------------------------------------------------------

def registration(event: Event, firm_id: int) -> EventRegistration | None:
    return db.session.scalar(select(EventRegistration).where(
        EventRegistration.event_id == event.id, EventRegistration.firm_id == firm_id))


def meeting_bounds(event: Event, firm_id: int) -> tuple[int, int | None]:
    """(minimum, maximum) meetings for the firm: its registration's, else the event's."""
    return event.meeting_bounds(registration(event, firm_id))


def accepted_count(event: Event, firm_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(MeetingRequest).where(
        MeetingRequest.event_id == event.id, MeetingRequest.status == RequestStatus.ACCEPTED,
        or_(MeetingRequest.requester_firm_id == firm_id, MeetingRequest.target_firm_id == firm_id))) or 0


def open_sent_count(event: Event, firm_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(MeetingRequest).where(
        MeetingRequest.event_id == event.id, MeetingRequest.status == RequestStatus.PENDING,
        MeetingRequest.requester_firm_id == firm_id)) or 0


def pair_request(event: Event, firm_a: int, firm_b: int) -> MeetingRequest | None:
    """The live (pending or accepted) request between two firms, in either direction."""
    return db.session.scalar(select(MeetingRequest).where(
        MeetingRequest.event_id == event.id, MeetingRequest.status.in_(ACTIVE),
        or_((MeetingRequest.requester_firm_id == firm_a) & (MeetingRequest.target_firm_id == firm_b),
            (MeetingRequest.requester_firm_id == firm_b) & (MeetingRequest.target_firm_id == firm_a))))


def waiting_for_answer(firm_id: int) -> int:
    """Pending requests sent to the firm, in any event."""
    return db.session.scalar(select(func.count()).select_from(MeetingRequest).where(
        MeetingRequest.target_firm_id == firm_id, MeetingRequest.status == RequestStatus.PENDING)) or 0


def firm_requests(event: Event, firm_id: int) -> tuple[list[MeetingRequest], list[MeetingRequest]]:
    """(received, sent) requests of a firm in an event; pending first, newest first."""
    rows = list(db.session.scalars(select(MeetingRequest).where(
        MeetingRequest.event_id == event.id,
        or_(MeetingRequest.requester_firm_id == firm_id, MeetingRequest.target_firm_id == firm_id),
    ).order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())))
    rows.sort(key=lambda row: row.status != RequestStatus.PENDING)
    return ([row for row in rows if row.target_firm_id == firm_id],
            [row for row in rows if row.requester_firm_id == firm_id])


def events_of_firm(firm_id: int) -> list[Event]:
    """The rounds the firm registered for (whatever the status), archived ones left out."""
    return list(db.session.scalars(select(Event).join(EventRegistration, EventRegistration.event_id == Event.id)
                                   .where(EventRegistration.firm_id == firm_id, Event.archived_at.is_(None))
                                   .order_by(Event.start_date.desc())))


def all_events() -> list[Event]:
    """Every round not archived, newest first."""
    return list(db.session.scalars(select(Event).where(Event.archived_at.is_(None)).order_by(Event.start_date.desc())))


def pick_event(slug: str | None = None, firm_id: int | None = None) -> Event | None:
    """The event named by `slug`; else the firm's latest event; else the latest event."""
    if slug:
        return db.session.scalar(select(Event).where(Event.slug == slug))
    if firm_id is not None:
        events = events_of_firm(firm_id)
        if events:
            return events[0]
    return db.session.scalar(select(Event).where(Event.archived_at.is_(None)).order_by(Event.start_date.desc()).limit(1))


# --- state changes ------------------------------------------------------------------------

def _firm_name(firm_id: int) -> str:
    firm = db.session.get(Firm, firm_id)
    return firm.display_name(current_locale()) if firm else str(firm_id)


def event_over(event: Event, now: datetime | None = None) -> bool:
    """Whether the event's last day has passed, in the event's own time zone (`events.lifecycle.round_over`)."""
    return round_over(event, now)


def closed_reason(event: Event, user: User) -> str | None:
    """Why this user may not make or accept requests in the event any more (firms, after
    the event); None while requests are open to them."""
    if user.is_organiser or not event_over(event):
        return None
    return _("%(event)s is over: firms can no longer make or accept meeting requests in it. "
             "The organisers can still record meetings.", event=event.display_name(current_locale()))


def sending_closed_reason(event: Event, user: User) -> str | None:
    """Why this user may not send requests in the event now: the event is over, or its
    registration deadline has passed or it is archived (`events.lifecycle`); None for organisers."""
    return closed_reason(event, user) or joining_refusal(event, user)


def _room_problem(event: Event, firm_id: int) -> str | None:
    _low, high = meeting_bounds(event, firm_id)
    if high is not None and accepted_count(event, firm_id) >= high:
        return ngettext("%(firm)s already has the maximum of %(num)s meeting in this event.",
                        "%(firm)s already has the maximum of %(num)s meetings in this event.", high,
                        firm=_firm_name(firm_id), num=local_digits(high))
    return None


def _check_room(event: Event, firm_id: int) -> None:
    problem = _room_problem(event, firm_id)
    if problem:
        raise ServiceError(problem)


def _lock_registrations(event: Event, firm_ids: list[int]) -> None:
    """Row locks on the firms' registrations (PostgreSQL; SQLite ignores FOR UPDATE and
    serialises writers instead), in firm order so two accepts never deadlock: counts read
    after this are not changed under us until we commit."""
    db.session.execute(select(EventRegistration.id).where(
        EventRegistration.event_id == event.id, EventRegistration.firm_id.in_(sorted(set(firm_ids))))
        .order_by(EventRegistration.firm_id).with_for_update())


def _recheck_room(event: Event, firm_id: int) -> None:
    """After the write, counting it: over the maximum means a concurrent accept won the last place."""
    _low, high = meeting_bounds(event, firm_id)
    if high is not None and accepted_count(event, firm_id) > high:
        raise ServiceError(ngettext("%(firm)s already has the maximum of %(num)s meeting in this event.",
                                    "%(firm)s already has the maximum of %(num)s meetings in this event.", high,
                                    firm=_firm_name(firm_id), num=local_digits(high)))


def _too_many_open(event: Event) -> ServiceError:
    return ServiceError(ngettext(
        "Your firm already has %(num)s request waiting for an answer, the most this event allows. "
        "Withdraw it or wait for the answer.",
        "Your firm already has %(num)s requests waiting for an answer, the most this event allows. "
        "Withdraw one or wait for answers.", event.max_open_requests, num=local_digits(event.max_open_requests)))


def accept_blocker(row: MeetingRequest, user: User) -> str | None:
    """Why accepting this pending request would be refused now (event over, a firm at its
    maximum of meetings); None when it would go through or is not this user's to accept."""
    if row.status != RequestStatus.PENDING or not _may(row, "accept", user):
        return None
    return (closed_reason(row.event, user) or _room_problem(row.event, row.requester_firm_id)
            or _room_problem(row.event, row.target_firm_id))


def _pair_score(event: Event, requester_id: int, target_id: int) -> float | None:

    pair = score_between(event, requester_id, target_id)
    return pair.score if pair else None


def create_request(event: Event, requester_id: int, target_id: int, user: User, *, priority: str = RequestPriority.WOULD_LIKE,
                   message: str | None = None, accept: bool = False, score: float | None = None) -> MeetingRequest:
    """Ask for a meeting. `accept` (organisers only) records it as accepted on both firms' behalf."""
    if not user.can_manage_firm(requester_id):
        raise NotAllowed(_("You may only send requests for your own firm."))
    if accept and not user.is_organiser:
        raise NotAllowed(_("Only organisers can accept on a firm's behalf."))
    closed = sending_closed_reason(event, user)
    if closed:
        raise ServiceError(closed)
    if priority not in REQUEST_PRIORITIES:
        raise ServiceError(_("Choose a priority."), field="priority")
    if requester_id == target_id:
        raise ServiceError(_("A firm cannot request a meeting with itself."), field="target")
    requester, target = db.session.get(Firm, requester_id), db.session.get(Firm, target_id)
    if requester is None or target is None:
        raise ServiceError(_("This firm does not exist."), field="target")
    for firm in (requester, target):
        registered = registration(event, firm.id)
        if registered is None:
            raise ServiceError(_("%(firm)s does not take part in this event.", firm=_firm_name(firm.id)),
                               field="target")
        if not registered.takes_part:
            raise ServiceError(_("%(firm)s is not approved for this event by the organisers yet.",
                                 firm=_firm_name(firm.id)), field="target")
    if event.who_can_meet != "any" and requester.region_id == target.region_id:
        raise ServiceError(_("In this event firms meet partners from the other region only."), field="target")
    if pair_request(event, requester_id, target_id) is not None:
        raise ServiceError(_("There is already a request between these two firms."), field="target")
    row = db.session.scalar(select(MeetingRequest).where(
        MeetingRequest.event_id == event.id, MeetingRequest.requester_firm_id == requester_id,
        MeetingRequest.target_firm_id == target_id))
    if row is not None and row.status == RequestStatus.DECLINED and not user.is_organiser:
        raise ServiceError(_("%(firm)s has declined your request; the organisers can help.",
                             firm=_firm_name(target_id)), field="target")
    auto = accept or event.request_mode == "auto-accept"
    _lock_registrations(event, [requester_id, target_id] if auto else [requester_id])
    if not user.is_organiser and open_sent_count(event, requester_id) >= event.max_open_requests:
        raise _too_many_open(event)
    if auto:
        _check_room(event, requester_id)
        _check_room(event, target_id)
    score = score if score is not None else _pair_score(event, requester_id, target_id)  # queries: before the row
    if row is None:
        row = MeetingRequest(event_id=event.id, requester_firm_id=requester_id, target_firm_id=target_id)
        db.session.add(row)
    row.priority, row.message = priority, (message or "").strip() or None
    row.status, row.decline_reason, row.created_by_id = RequestStatus.PENDING, None, user.id
    row.responded_by_id, row.responded_at, row.created_at = None, None, utcnow()
    row.score = score
    if auto:
        row.status, row.responded_at = RequestStatus.ACCEPTED, utcnow()
        row.responded_by_id = user.id if accept else None
    try:
        db.session.flush()
    except IntegrityError:  # a request between the two was made at the same moment; the caller rolls back
        raise ServiceError(_("There is already a request between these two firms."), field="target") from None
    if not user.is_organiser and not auto and open_sent_count(event, requester_id) > event.max_open_requests:
        raise _too_many_open(event)
    if auto:
        _recheck_room(event, requester_id)
        _recheck_room(event, target_id)
    _notify(row, "created", to_firm_id=target_id)
    if accept:
        _notify(row, "accepted", to_firm_id=requester_id)  # the organiser answered for the target
    return row


# Which notice an answer sends (to the other side, in each person's language).
NOTICE_FOR_ACTION = {"accept": "accepted", "decline": "declined", "withdraw": "withdrawn"}


def _notify(row: MeetingRequest, what: str, to_firm_id: int | None = None) -> None:
    """Queue e-mail notices; they go out when the caller commits (see services/mail.py)."""

    send_request_notice(row.id, what, to_firm_id=to_firm_id)


def allowed_actions(row: MeetingRequest, user: User) -> list[str]:
    """The buttons this user gets on this request; no Accept when it would be refused
    (`accept_blocker` says why)."""
    actions = [action for (status, action) in TRANSITIONS if status == row.status and _may(row, action, user)]
    if "accept" in actions and accept_blocker(row, user):
        actions.remove("accept")
    return actions


def _may(row: MeetingRequest, action: str, user: User) -> bool:
    if user.is_organiser:
        return True
    if action == "accept":
        return user.firm_id == row.target_firm_id and row.event.request_mode != "organiser-approval"
    if action == "decline":
        return user.firm_id == row.target_firm_id
    if row.status == RequestStatus.PENDING:
        return user.firm_id == row.requester_firm_id
    return user.firm_id in (row.requester_firm_id, row.target_firm_id)


def _cannot(row: MeetingRequest, action: str) -> ServiceError:
    return ServiceError(_("This request is %(status)s; it cannot be %(action)s now.",
                          status=status_label(row.status), action=str(ACTION_LABELS.get(action, action))))


def _claim(row: MeetingRequest, new_status: str, user: User, reason: str | None) -> bool:
    """Move the row from the state this user saw to `new_status`, only if nobody else moved it
    first (a conditional UPDATE); False when someone did. The row is refreshed either way."""
    seen = row.status
    values = {"status": new_status, "responded_by_id": user.id, "responded_at": utcnow(),
              "live_pair": live_pair_key(row.requester_firm_id, row.target_firm_id) if new_status in ACTIVE else None}
    if new_status in (RequestStatus.DECLINED, RequestStatus.WITHDRAWN):
        values["decline_reason"] = (reason or "").strip() or None
    won = db.session.execute(update(MeetingRequest).where(MeetingRequest.id == row.id, MeetingRequest.status == seen)
                             .values(**values).execution_options(synchronize_session=False)).rowcount == 1
    db.session.refresh(row)
    return won


def respond_to_request(row: MeetingRequest, action: str, user: User, reason: str | None = None) -> MeetingRequest:
    """Accept, decline or withdraw; anything else from this state is a ServiceError — also when
    another answer came in at the same moment (only one answer per request ever counts)."""
    new_status = TRANSITIONS.get((row.status, action))
    if new_status is None:
        raise _cannot(row, action)
    if not _may(row, action, user):
        if action == "accept" and user.firm_id == row.target_firm_id:
            raise NotAllowed(_("In this event the organisers approve requests."))
        raise NotAllowed(_("You may not change this request."))
    if action == "accept":
        closed = closed_reason(row.event, user)
        if closed:
            raise ServiceError(closed)
        _lock_registrations(row.event, [row.requester_firm_id, row.target_firm_id])
        _check_room(row.event, row.requester_firm_id)
        _check_room(row.event, row.target_firm_id)
    if not _claim(row, new_status, user, reason):
        raise _cannot(row, action)
    if action == "accept":
        _recheck_room(row.event, row.requester_firm_id)
        _recheck_room(row.event, row.target_firm_id)
    if action == "withdraw":  # a published meeting of this request is called off at once
        facts_changed(row.event_id)
    if action in NOTICE_FOR_ACTION:
        # Tell the side that did not act. An organiser acts for the usual side (the target
        # answers, the requester withdraws), so the default recipient is right for them.
        if user.is_organiser or user.firm_id not in (row.requester_firm_id, row.target_firm_id):
            _notify(row, NOTICE_FOR_ACTION[action])
        else:
            other = row.target_firm_id if user.firm_id == row.requester_firm_id else row.requester_firm_id
            _notify(row, NOTICE_FOR_ACTION[action], to_firm_id=other)
    return row
