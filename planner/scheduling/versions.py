"""Schedule versions of a round: which one is published, which one the organiser works on, numbering."""
from __future__ import annotations

from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Event, Firm, MeetingRequest, ScheduleVersion
from planner.models.enums import VersionStatus


def published_version(event: Event) -> ScheduleVersion | None:
    return db.session.scalar(select(ScheduleVersion).where(
        ScheduleVersion.event_id == event.id, ScheduleVersion.status == VersionStatus.PUBLISHED))


def next_version_number(event: Event) -> int:
    return (db.session.scalar(select(func.max(ScheduleVersion.number)).where(ScheduleVersion.event_id == event.id)) or 0) + 1


def latest_version(event: Event) -> ScheduleVersion | None:
    """The version the organiser is working on: the newest draft, else the published one."""
    draft = db.session.scalar(select(ScheduleVersion).where(
        ScheduleVersion.event_id == event.id, ScheduleVersion.status == VersionStatus.DRAFT).order_by(ScheduleVersion.number.desc()).limit(1))
    return draft or published_version(event)


def firms_by_id(ids) -> dict[int, Firm]:
    ids = set(ids)
    return {firm.id: firm for firm in db.session.scalars(select(Firm).where(Firm.id.in_(ids)))} if ids else {}


def requests_by_id(ids) -> dict[int, MeetingRequest]:
    ids = set(ids)
    return {r.id: r for r in db.session.scalars(select(MeetingRequest).where(MeetingRequest.id.in_(ids)))} if ids else {}
