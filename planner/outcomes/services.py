"""Outcomes of meetings, per meeting (request) and side (firm): held or not, marked at the table
during the day; usefulness, follow-up and a note from the feedback form after the round.

A side's answer is one `Outcome` row; either of the firm's people may change it (the last answer
counts and names who gave it) until the organiser closes feedback for the round. Feedback links
carry a signed token of (request, person): no log-in is needed, and a wrong or altered token is
refused.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import Event, Meeting, MeetingRequest, Outcome, Participant
from planner.models.base import utcnow
from planner.models.enums import FollowUp, OutcomeSource
from planner.text.i18n import _, _l
from planner.timetables.entries import published_version, version_meetings

FOLLOW_UP_LABELS = {
    FollowUp.NONE: _l("none"),
    FollowUp.SAMPLES: _l("samples"),
    FollowUp.OFFER: _l("price offer"),
    FollowUp.CONTRACT: _l("contract"),
    FollowUp.MOU: _l("memorandum of understanding"),
    FollowUp.VISIT: _l("visit"),
}
RATINGS = (1, 2, 3, 4, 5)


def follow_up_label(code: str | None) -> str:
    return str(FOLLOW_UP_LABELS.get(code, code or ""))


def side_of(request: MeetingRequest, participant: Participant) -> int:
    """The firm id of the person's side of the meeting; ServiceError when neither firm is theirs."""
    if participant.firm_id not in (request.requester_firm_id, request.target_firm_id):
        raise ServiceError(_("This meeting is not one of this person's meetings."))
    return participant.firm_id


def outcome_of(request_id: int, firm_id: int) -> Outcome | None:
    return db.session.scalar(select(Outcome).where(Outcome.request_id == request_id, Outcome.firm_id == firm_id))


def _side_row(request: MeetingRequest, firm_id: int) -> Outcome:
    """The side's row, created when missing; a concurrent creation is caught and re-read."""
    row = outcome_of(request.id, firm_id)
    if row is None:
        try:
            with db.session.begin_nested():
                row = Outcome(request_id=request.id, firm_id=firm_id, recorded_at=utcnow())
                db.session.add(row)
        except IntegrityError:
            row = outcome_of(request.id, firm_id)
    return row


def published_meeting(event: Event, request_id: int) -> Meeting | None:
    """The meeting of `request_id` in the published schedule of `event`."""
    version = published_version(event)
    if version is None:
        return None
    return db.session.scalar(select(Meeting).where(Meeting.version_id == version.id, Meeting.request_id == request_id))


def _require_open(event: Event) -> None:
    if event.feedback_closed_at is not None:
        raise ServiceError(_("Feedback for this round is closed."))


def record_held(event: Event, request: MeetingRequest, participant: Participant, held: bool) -> Outcome:
    """The person's side says whether the meeting took place (from their timetable at the table)."""
    if request.event_id != event.id or published_meeting(event, request.id) is None:
        raise ServiceError(_("This meeting is not in the published schedule."))
    _require_open(event)
    row = _side_row(request, side_of(request, participant))
    row.held, row.participant_id, row.updated_at = held, participant.id, utcnow()
    row.source = row.source or OutcomeSource.TABLE
    db.session.flush()
    return row


@dataclass
class FeedbackAnswer:
    held: bool
    rating: int | None
    follow_up: str | None
    note: str | None


def save_feedback(event: Event, request: MeetingRequest, participant: Participant, answer: FeedbackAnswer) -> Outcome:
    """Store the person's side's feedback (replacing an earlier answer); refused once closed.
    A meeting that was not held has no rating or follow-up."""
    _require_open(event)
    if answer.rating is not None and answer.rating not in RATINGS:
        raise ServiceError(_("Choose how useful the meeting was, from 1 to 5."), "rating")
    if answer.follow_up is not None and answer.follow_up not in tuple(FollowUp):
        raise ServiceError(_("Choose a follow-up from the list."), "follow_up")
    row = _side_row(request, side_of(request, participant))
    row.held = answer.held
    row.rating = answer.rating if answer.held else None
    row.follow_up = answer.follow_up if answer.held else None
    row.note = (answer.note or "").strip() or None
    row.participant_id, row.source, row.updated_at = participant.id, OutcomeSource.FORM, utcnow()
    db.session.flush()
    return row


def close_feedback(event: Event) -> None:
    """No more answers for `event` (links then show that feedback is closed)."""
    if event.feedback_closed_at is None:
        event.feedback_closed_at = utcnow()
    db.session.flush()


def reopen_feedback(event: Event) -> None:
    event.feedback_closed_at = None
    db.session.flush()


# --- feedback links -----------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="karvan-feedback")


def feedback_token(request_id: int, participant_id: int) -> str:
    """The secret of one person's feedback link for one meeting."""
    return _serializer().dumps([request_id, participant_id])


def read_feedback_token(token: str) -> tuple[MeetingRequest, Participant] | None:
    """(request, person) of a feedback link, or None for a wrong, altered or stale token."""
    try:
        request_id, participant_id = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    request = db.session.get(MeetingRequest, request_id)
    person = db.session.get(Participant, participant_id)
    if request is None or person is None or person.firm_id not in (request.requester_firm_id, request.target_firm_id):
        return None
    return request, person


def feedback_meetings(event: Event) -> dict[int, list[Meeting]]:
    """{participant id: published meetings to ask them about} — every meeting that neither side
    reported as not held."""
    meetings = version_meetings(published_version(event))
    not_held = set(db.session.scalars(select(Outcome.request_id).join(MeetingRequest).where(
        MeetingRequest.event_id == event.id, Outcome.held.is_(False))))
    result: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        if meeting.request_id in not_held:
            continue
        for person in meeting.participants:
            result.setdefault(person.id, []).append(meeting)
    return result
