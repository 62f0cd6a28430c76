"""Schedule versions of a round: which one is published, which one the organiser works on, numbering."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import Event, Firm, MeetingRequest, ScheduleVersion
from planner.models.enums import VersionStatus
from planner.text.i18n import _

# The one home of "the published version" is below this layer, where timetables read it too.
from planner.timetables.loading import published_version  # noqa: F401  (re-exported for scheduling)


def next_version_number(event: Event) -> int:
    return (db.session.scalar(select(func.max(ScheduleVersion.number)).where(ScheduleVersion.event_id == event.id)) or 0) + 1


def add_numbered(version: ScheduleVersion, attempts: int = 5) -> ScheduleVersion:
    """Add `version` with the event's next number and flush it (only it, in a savepoint).

    Two drafts made at the same moment (copies, solves) read the same maximum; the unique
    (event, number) constraint refuses the second, which takes the next number and tries again.
    """
    for _attempt in range(attempts):
        event = db.session.get(Event, version.event_id)
        version.number = next_version_number(event)
        try:
            with db.session.begin_nested():
                db.session.add(version)
            return version
        except IntegrityError:  # the savepoint's rollback made `version` transient again
            continue
    raise ServiceError(_("Several versions were being made at once; please try again."))


def latest_version(event: Event) -> ScheduleVersion | None:
    """The version the organiser is working on: the newest draft, else the published one."""
    draft = db.session.scalar(select(ScheduleVersion).where(
        ScheduleVersion.event_id == event.id, ScheduleVersion.status == VersionStatus.DRAFT).order_by(ScheduleVersion.number.desc()).limit(1))
    return draft or published_version(event)


def firms_by_id(ids) -> dict[int, Firm]:
    ids = set(ids)
    return {firm.id: firm for firm in db.session.scalars(select(Firm).where(Firm.id.in_(ids))
                                                         .options(selectinload(Firm.region)))} if ids else {}


def requests_by_id(ids) -> dict[int, MeetingRequest]:
    ids = set(ids)
    if not ids:
        return {}
    firm = (selectinload(Firm.region), selectinload(Firm.participants))  # what the board shows of each side
    return {r.id: r for r in db.session.scalars(select(MeetingRequest).where(MeetingRequest.id.in_(ids)).options(
        selectinload(MeetingRequest.requester_firm).options(*firm), selectinload(MeetingRequest.target_firm).options(*firm)))}
