"""Loading the published schedule for one reader: only the meetings of the reader's firms
(a person's, a firm's, a delegation's members'), with everything a timetable, a feed or a PDF
shows loaded in a fixed number of batched queries, so that a page costs what its reader's own
meetings cost and not what the whole event costs.

Who attends a meeting is `Meeting.participants`, or both firms' people when a version lists
none; both are reached from the meeting's two firms, so selecting meetings by firm finds every
meeting a person or delegation member attends.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from planner.extensions import db
from planner.models import (
    Capability,
    Delegation,
    Event,
    EventRegistration,
    Firm,
    Meeting,
    MeetingRequest,
    Need,
    Participant,
    ScheduleVersion,
)
from planner.models.enums import VersionStatus
from planner.models.firms import delegation_members


def published_version(event: Event) -> ScheduleVersion | None:
    """The version participants see: the highest-numbered published one."""
    return db.session.scalar(
        select(ScheduleVersion)
        .where(ScheduleVersion.event_id == event.id, ScheduleVersion.status == VersionStatus.PUBLISHED)
        .order_by(ScheduleVersion.number.desc()).limit(1)
    )


def latest_published_event(firm_id: int | None = None) -> Event | None:
    """The most recent event that has a published schedule (for "My timetable"); with
    `firm_id`, only among the events that firm takes part in."""
    query = (select(Event).join(ScheduleVersion, ScheduleVersion.event_id == Event.id)
             .where(ScheduleVersion.status == VersionStatus.PUBLISHED))
    if firm_id is not None:
        query = query.join(EventRegistration, EventRegistration.event_id == Event.id).where(EventRegistration.firm_id == firm_id)
    return db.session.scalar(query.order_by(Event.start_date.desc()).limit(1))


def _firm_options(firm_attr):
    """What a timetable, feed or PDF shows of a meeting's firm: people, region, and the offers
    and needs with their HS/ISIC nodes (titles), each in one batched query."""
    return firm_attr.options(
        selectinload(Firm.participants), selectinload(Firm.region),
        selectinload(Firm.capabilities).options(selectinload(Capability.product), selectinload(Capability.sector)),
        selectinload(Firm.needs).options(selectinload(Need.product), selectinload(Need.sector)),
    )


def _meeting_options():
    request = selectinload(Meeting.request)
    return (
        selectinload(Meeting.slot), selectinload(Meeting.table), selectinload(Meeting.interpreter),
        selectinload(Meeting.participants),
        _firm_options(request.selectinload(MeetingRequest.requester_firm)),
        _firm_options(selectinload(Meeting.request).selectinload(MeetingRequest.target_firm)),
    )


def _of_firms(firm_ids: Iterable[int]):
    """Meetings whose request is between one of `firm_ids` and anyone (uses the firm indexes)."""
    ids = sorted(set(firm_ids))
    return Meeting.request_id.in_(select(MeetingRequest.id).where(or_(
        MeetingRequest.requester_firm_id.in_(ids), MeetingRequest.target_firm_id.in_(ids))))


def version_meetings(version: ScheduleVersion | None, firm_ids: Iterable[int] | None = None, *,
                     table_id: int | None = None, table_ids: Iterable[int] | None = None) -> list[Meeting]:
    """The live meetings of `version` (none called off after publication; only those of
    `firm_ids`, or at `table_id` or `table_ids`, when given) with what a timetable shows loaded
    up front: a fixed number of queries, whatever the count."""
    if version is None:
        return []
    query = select(Meeting).where(Meeting.version_id == version.id, Meeting.cancelled_at.is_(None))
    if firm_ids is not None:
        query = query.where(_of_firms(firm_ids))
    if table_id is not None:
        query = query.where(Meeting.table_id == table_id)
    if table_ids is not None:
        query = query.where(Meeting.table_id.in_(list(table_ids)))
    return list(db.session.scalars(query.options(*_meeting_options())))


def published_meetings(firm_ids: Iterable[int], event: Event | None = None) -> dict[Event, list[Meeting]]:
    """Per event with a published schedule (only `event` when given), the meetings of
    `firm_ids` in its published version, loaded as `version_meetings` does. Events where
    these firms meet nobody are left out: a feed reads only the rounds its reader is in."""
    query = (select(Meeting).join(ScheduleVersion, Meeting.version_id == ScheduleVersion.id)
             .where(ScheduleVersion.status == VersionStatus.PUBLISHED, _of_firms(firm_ids), Meeting.cancelled_at.is_(None))
             .options(selectinload(Meeting.version).selectinload(ScheduleVersion.event).selectinload(Event.exhibition),
                      *_meeting_options()))
    if event is not None:
        query = query.where(ScheduleVersion.event_id == event.id)
    newest: dict[int, ScheduleVersion] = {}
    meetings = list(db.session.scalars(query))
    for meeting in meetings:  # one published version per event; the highest number if ever more
        version = meeting.version
        if version.event_id not in newest or version.number > newest[version.event_id].number:
            newest[version.event_id] = version
    grouped: dict[Event, list[Meeting]] = {}
    for meeting in meetings:
        if newest[meeting.version.event_id].id == meeting.version_id:
            grouped.setdefault(meeting.version.event, []).append(meeting)
    return dict(sorted(grouped.items(), key=lambda item: (item[0].start_date, item[0].id)))


def load_delegation(delegation: Delegation) -> list[Participant]:
    """The delegation's members with their firms and regions, in one batch (no query per member)."""
    return list(db.session.scalars(
        select(Participant).join(delegation_members, delegation_members.c.participant_id == Participant.id)
        .where(delegation_members.c.delegation_id == delegation.id)
        .options(selectinload(Participant.firm).selectinload(Firm.region))
    ))


def load_person(participant_id: int) -> Participant | None:
    """A participant with firm and region (what every timetable of theirs reads)."""
    return db.session.scalar(select(Participant).where(Participant.id == participant_id)
                             .options(selectinload(Participant.firm).selectinload(Firm.region)))
