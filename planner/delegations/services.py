"""Visiting regions and delegations (visits): saving, archiving, membership, and what a
head sees. Functions flush; the view or command commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import Delegation, Event, Firm, Interpreter, Participant, Region, User, delegation_members
from planner.text.i18n import _

# --- regions ------------------------------------------------------------------------------

def list_regions(include_archived: bool = True) -> list[Region]:
    query = select(Region).order_by(Region.archived, Region.id)
    if not include_archived:
        query = query.where(Region.archived.is_(False))
    return list(db.session.scalars(query))


def find_region(text: str | None) -> Region | None:
    """A region by its key or by its name in any language (case-insensitive), else None."""
    wanted = (text or "").strip().casefold()
    if not wanted:
        return None
    for region in list_regions():
        if wanted in {region.key.casefold(), region.name_fa.casefold(), region.name_ru.casefold(),
                      region.name_en.casefold()}:
            return region
    return None


def save_region(region: Region | None, data: dict) -> Region:
    """Create (None) or update a region from {key, name_fa, name_ru, name_en, country,
    timezone, native_locale}. ServiceError(field="key") when another region has the key."""
    taken = db.session.scalar(select(Region).where(Region.key == data["key"]))
    if taken is not None and taken is not region:
        raise ServiceError(_("Another region already has this key."), field="key")
    if region is None:
        region = Region(key=data["key"])
        db.session.add(region)
    for name in ("key", "name_fa", "name_ru", "name_en", "country", "timezone", "native_locale"):
        setattr(region, name, data[name])
    region.archived = bool(data.get("archived", region.archived or False))
    db.session.flush()
    return region


# --- delegations ----------------------------------------------------------------------------

def list_delegations(archived: bool = False) -> list[Delegation]:
    return list(db.session.scalars(select(Delegation).where(Delegation.archived.is_(archived))
                                   .order_by(Delegation.travel_start.desc(), Delegation.id.desc())))


def region_people(region: Region) -> list[Participant]:
    """People of the region's firms, by firm and name: who may join its delegations."""
    return list(db.session.scalars(select(Participant).join(Firm).where(Firm.region_id == region.id)
                                   .order_by(Firm.name_latin, Participant.last_name, Participant.id)))


def round_interpreters(events: list[Event]) -> list[Interpreter]:
    ids = [event.id for event in events]
    if not ids:
        return []
    return list(db.session.scalars(select(Interpreter).where(Interpreter.event_id.in_(ids)).order_by(Interpreter.id)))


def save_delegation(delegation: Delegation | None, data: dict) -> Delegation:
    """Create (None) or update a visit from {key, region (id), name {lang: text},
    travel_start, travel_end (dates or None), events, members, interpreters (ids), head
    (participant id or None)}. Members must be people of the region's firms; the head
    becomes a member; interpreters must work in one of its rounds."""
    region = db.session.get(Region, data["region"])
    if region is None:
        raise ServiceError(_("Please choose a region."), field="region")
    taken = db.session.scalar(select(Delegation).where(Delegation.key == data["key"]))
    if taken is not None and taken is not delegation:
        raise ServiceError(_("Another delegation already has this key."), field="key")
    start, end = data.get("travel_start"), data.get("travel_end")
    if start and end and end < start:
        raise ServiceError(_("The delegation cannot leave before it arrives."), field="travel_end")
    events = list(db.session.scalars(select(Event).where(Event.id.in_(data.get("events") or []))))
    people = {person.id: person for person in region_people(region)}
    wanted = [pid for pid in data.get("members") or [] if pid]
    if data.get("head"):
        wanted.append(data["head"])
    strangers = [pid for pid in wanted if pid not in people]
    if strangers:
        raise ServiceError(_("Only people of the region's firms can be members."), field="members")
    allowed = {item.id: item for item in round_interpreters(events)}
    if any(iid not in allowed for iid in data.get("interpreters") or []):
        raise ServiceError(_("An interpreter must work in one of the delegation's rounds."), field="interpreters")
    if delegation is None:
        delegation = Delegation(key=data["key"], region=region)
        db.session.add(delegation)
    delegation.key, delegation.region, delegation.name = data["key"], region, dict(data["name"])
    delegation.travel_start, delegation.travel_end = start, end
    delegation.events = events
    delegation.members = [people[pid] for pid in dict.fromkeys(wanted)]
    delegation.head = people.get(data.get("head") or 0)
    delegation.interpreters = [allowed[iid] for iid in data.get("interpreters") or []]
    db.session.flush()
    return delegation


def set_archived(delegation: Delegation, archived: bool) -> None:
    """Archive a finished visit (kept with its members and rounds) or bring it back."""
    delegation.archived = archived
    db.session.flush()


def ensure_delegation(key: str, region: Region, event: Event | None = None) -> tuple[Delegation, bool]:
    """The delegation `key`, created for `region` when missing (named after the region),
    attending `event` when given. Returns (delegation, created). ServiceError when it
    exists for another region."""
    delegation = db.session.scalar(select(Delegation).where(Delegation.key == key))
    created = delegation is None
    if created:
        name = {}
        for language in ("fa", "ru", "en"):
            with force_locale(language):
                name[language] = _("Delegation of %(region)s", region=region.name(language))
        delegation = Delegation(key=key, region=region, name=name)
        db.session.add(delegation)
    elif delegation.region_id != region.id:
        raise ServiceError(_("The delegation %(key)s belongs to another region.", key=key))
    if event is not None and not delegation.attends(event.id):
        delegation.events.append(event)
    db.session.flush()
    return delegation, created


def add_members(delegation: Delegation, people: list[Participant]) -> int:
    """Add the people of the delegation's region among `people`; returns how many joined."""
    added = 0
    for person in people:
        if person.firm.region_id == delegation.region_id and person not in delegation.members:
            delegation.members.append(person)
            added += 1
    db.session.flush()
    return added


# --- the head's view -----------------------------------------------------------------------

@dataclass(frozen=True)
class MemberDays:
    person: Participant
    days: dict[int, list[date] | None]  # event id -> the days attended (None: every day)


def headed_by(user: User) -> list[Delegation]:
    """The visits the user leads: their account's delegation, or where they are the head."""
    found = {d.id: d for d in db.session.scalars(select(Delegation).join(Participant, Delegation.head_id == Participant.id)
                                                 .where(Participant.email == user.email))}
    if user.delegation is not None:
        found.setdefault(user.delegation.id, user.delegation)
    return sorted(found.values(), key=lambda d: (d.archived, d.id))


def members_query(delegation: Delegation) -> Select:
    """The visit's members with their firms, regions and attended days, in the order of
    `Delegation.members`: the list on the visit's page, read a page at a time."""
    return (select(Participant).join(delegation_members, delegation_members.c.participant_id == Participant.id)
            .where(delegation_members.c.delegation_id == delegation.id).order_by(Participant.id)
            .options(selectinload(Participant.firm).selectinload(Firm.region), selectinload(Participant.attendances)))


def member_days(delegation: Delegation, people: list[Participant] | None = None) -> list[MemberDays]:
    """Each member's (or each of `people`'s) days in each round of the visit, within the travel window."""
    rows = []
    for person in delegation.members if people is None else people:
        days = {}
        for event in delegation.events:
            listed = person.attending_days(event.id)
            chosen = event.days if listed is None else [d for d in event.days if d.isoformat() in listed]
            inside = [d for d in chosen if not delegation.away_on(d)]
            days[event.id] = None if inside == event.days else inside
        rows.append(MemberDays(person, days))
    return rows
