"""Checking a whole firm file against the database before anything is written: every error by
line and column, and for every firm, person and wish whether it is new, updated or unchanged.

Matching: people by e-mail, firms by `firm_key`, then by Latin name (folded, so case, letter
forms and digits of any script do not matter). A cell left empty for an existing firm or person
keeps what is stored (an import never erases), except `attending_days`, where empty means every
day of the round, as on the firm's form. Reads only; `apply.apply_plan` writes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from planner.extensions import db
from planner.models import Delegation, Event, EventRegistration, Firm, MeetingRequest, Participant, Region
from planner.models.enums import RequestStatus, WhoCanMeet
from planner.onboarding.cells import KEY, firm_values, person_values, region_index
from planner.onboarding.columns import PERSON_COLUMNS
from planner.onboarding.columns import priority as read_priority
from planner.onboarding.reading import FirmFile
from planner.text.i18n import _, local_digits
from planner.text.search import fold
from planner.text.uploads import RowError, UploadRow

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"



@dataclass
class FirmPlan:
    line: int
    key: str | None
    values: dict  # name_native, name_latin, city, website, languages (list), region (Region)
    offers: list[tuple[str, str]] | None  # (kind, code); None: keep what is stored
    needs: list[tuple[str, str]] | None
    firm: Firm | None = None
    status: str = NEW
    people: list[PersonPlan] = field(default_factory=list)
    register: bool = False  # not yet registered for the round


@dataclass
class PersonPlan:
    line: int
    firm_plan: FirmPlan
    email: str
    values: dict  # first_name, last_name, first_name_latin, last_name_latin, phone, languages, role
    days: list[str] | None  # ISO days of the round; None: every day
    person: Participant | None = None
    status: str = NEW


@dataclass
class WishPlan:
    line: int
    requester: FirmPlan | Firm
    target: FirmPlan | Firm
    priority: str
    request: MeetingRequest | None = None
    status: str = NEW


@dataclass
class ImportPlan:
    """What an import would do; `errors` empty means it may be applied."""

    event: Event | None
    delegation_key: str | None
    firms: list[FirmPlan] = field(default_factory=list)
    wishes: list[WishPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    encoding: str | None = None
    delegation: Delegation | None = None
    delegation_region: Region | None = None
    delegation_joins: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def people(self) -> list[PersonPlan]:
        return [person for firm in self.firms for person in firm.people]

    def counts(self) -> dict[str, dict[str, int]]:
        """{"firms"|"people"|"wishes": {"new"|"updated"|"unchanged": n}}."""
        result = {}
        for name, items in (("firms", self.firms), ("people", self.people), ("wishes", self.wishes)):
            result[name] = {state: sum(1 for item in items if item.status == state) for state in (NEW, UPDATED, UNCHANGED)}
        return result

    @property
    def changes_nothing(self) -> bool:
        counts = self.counts()
        return (not any(counts[name][NEW] + counts[name][UPDATED] for name in counts)
                and not any(firm.register for firm in self.firms) and not self.delegation_joins
                and not (self.delegation_key and self.delegation is None))


def _stored_codes(items) -> set[tuple[str, str]]:
    return {(item.kind, item.code) for item in items}


def _firm_status(plan: FirmPlan) -> str:
    firm = plan.firm
    if firm is None:
        return NEW
    values = plan.values
    same = (firm.name_native == values["name_native"] and firm.name_latin == values["name_latin"]
            and firm.region_id == values["region"].id and firm.key == (plan.key or firm.key)
            and (values["city"] is None or firm.city == values["city"])
            and (values["website"] is None or firm.website == values["website"])
            and (values["languages"] is None or list(firm.languages or []) == values["languages"])
            and (plan.offers is None or _stored_codes(firm.capabilities) == set(plan.offers))
            and (plan.needs is None or _stored_codes(firm.needs) == set(plan.needs)))
    return UNCHANGED if same else UPDATED


def _person_status(plan: PersonPlan, event: Event | None) -> str:
    person = plan.person
    if person is None:
        return NEW
    values = plan.values
    same = all(value is None or getattr(person, name) == value for name, value in values.items() if name != "role")
    if values["role"] is not None and values["role"] not in (person.role or {}).values():
        same = False
    if event is not None and person.attending_days(event.id) != plan.days:
        same = False
    return UNCHANGED if same else UPDATED


def _same_firm_row(plan: FirmPlan, row: UploadRow, key, values, offers, needs, errors: list[RowError]) -> None:
    """A firm's later rows repeat its fields; an empty cell inherits, a different one is an error."""
    for column, stored, given in (("firm_name_native", plan.values["name_native"], values["name_native"]),
                                  ("region", plan.values["region"], values["region"]),
                                  ("city", plan.values["city"], values["city"]),
                                  ("website", plan.values["website"], values["website"]),
                                  ("firm_languages", plan.values["languages"], values["languages"]),
                                  ("offers", plan.offers, offers), ("needs", plan.needs, needs)):
        if row.values.get(column) and given is not None and given != stored and stored is not None:
            errors.append(RowError(row.line, column, _("Differs from the same firm's line %(line)s.",
                                                       line=local_digits(plan.line))))


def _match_firm(plan: FirmPlan, errors: list[RowError]) -> None:
    firm = db.session.scalar(select(Firm).where(Firm.key == plan.key)) if plan.key else None
    if firm is None:
        wanted = fold(plan.values["name_latin"])
        firm = next((f for f in db.session.scalars(select(Firm)) if fold(f.name_latin) == wanted), None)
        if firm is not None and plan.key and firm.key and firm.key != plan.key:
            errors.append(RowError(plan.line, "firm_key", _("The firm with this Latin name has the key %(key)s.",
                                                            key=firm.key)))
    plan.firm = firm


def _people_rows(plan: ImportPlan, rows: list[UploadRow]) -> None:
    regions = region_index()
    by_identity: dict[str, FirmPlan] = {}
    emails: dict[str, int] = {}
    for row in rows:
        errors: list[RowError] = []
        key, values, offers, needs = firm_values(row, regions, plan.event, errors)
        has_person = any(row.values.get(name) for name in PERSON_COLUMNS)
        person = person_values(row, plan.event, errors) if has_person else None
        identity = key or fold(values["name_latin"])
        firm_plan = by_identity.get(identity)
        if firm_plan is None and not errors:
            firm_plan = FirmPlan(row.line, key, values, offers, needs)
            by_identity[identity] = firm_plan
            _match_firm(firm_plan, errors)
            plan.firms.append(firm_plan)
        elif firm_plan is not None:
            _same_firm_row(firm_plan, row, key, values, offers, needs, errors)
        if person is not None and not errors:
            email, person_cells, days = person
            if email in emails:
                errors.append(RowError(row.line, "email", _("This e-mail is already on line %(line)s.",
                                                            line=local_digits(emails[email]))))
            emails[email] = row.line
            existing = db.session.scalar(select(Participant).where(Participant.email == email)
                                         .order_by(Participant.id).limit(1))
            if existing is not None and firm_plan.firm is not None and existing.firm_id != firm_plan.firm.id \
                    or existing is not None and firm_plan.firm is None:
                errors.append(RowError(row.line, "email", _("This e-mail belongs to a person of %(firm)s.",
                                                            firm=existing.firm.name_latin)))
            firm_plan.people.append(PersonPlan(row.line, firm_plan, email, person_cells, days, existing))
        plan.errors += errors


def _wish_rows(plan: ImportPlan, rows: list[UploadRow]) -> None:
    """Wishes of the `meetings` sheet: firm keys of the file or of stored firms; they become
    accepted requests of the round."""
    if rows and plan.event is None:
        plan.errors.append(RowError(rows[0].line, "requester", _("Meeting wishes can only be imported into a round; choose the round.")))
        return
    in_file = {firm.key: firm for firm in plan.firms if firm.key}
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        errors: list[RowError] = []
        sides = []
        for column in ("requester", "target"):
            key = row.values.get(column, "").lower()
            side = in_file.get(key) or (db.session.scalar(select(Firm).where(Firm.key == key)) if key else None)
            if side is None:
                errors.append(RowError(row.line, column, _("There is no firm with the key “%(key)s”.", key=key)
                                       if key else _("This value is required.")))
            sides.append(side)
        wish_priority = read_priority(row.values.get("priority", ""))
        if wish_priority is None:
            errors.append(RowError(row.line, "priority", _("Write must or would_like.")))
        if not errors:
            requester, target = sides
            keys = (requester.key, target.key)
            region_ids = [side.values["region"].id if isinstance(side, FirmPlan) else side.region_id for side in sides]
            if keys[0] == keys[1]:
                errors.append(RowError(row.line, "target", _("A firm cannot meet itself.")))
            elif keys in seen or keys[::-1] in seen:
                errors.append(RowError(row.line, "target", _("This pair is already on line %(line)s.",
                                                             line=local_digits(seen.get(keys) or seen[keys[::-1]]))))
            elif plan.event.who_can_meet == WhoCanMeet.CROSS_REGION and region_ids[0] == region_ids[1]:
                errors.append(RowError(row.line, "target", _("Both firms are of one region, and this round only "
                                                             "arranges meetings between regions.")))
            seen[keys] = row.line
        if not errors:
            plan.wishes.append(WishPlan(row.line, requester, target, wish_priority))
        plan.errors += errors


def _stored_firm(side: FirmPlan | Firm) -> Firm | None:
    return side.firm if isinstance(side, FirmPlan) else side


def _compare(plan: ImportPlan) -> None:
    event = plan.event
    registered = set() if event is None else set(db.session.scalars(
        select(EventRegistration.firm_id).where(EventRegistration.event_id == event.id)))
    for firm_plan in plan.firms:
        firm_plan.status = _firm_status(firm_plan)
        firm_plan.register = event is not None and (firm_plan.firm is None or firm_plan.firm.id not in registered)
        for person in firm_plan.people:
            person.status = _person_status(person, event)
    for wish in plan.wishes:
        requester, target = _stored_firm(wish.requester), _stored_firm(wish.target)
        if requester is not None and target is not None:
            wish.request = db.session.scalar(select(MeetingRequest).where(
                MeetingRequest.event_id == event.id, MeetingRequest.requester_firm_id == requester.id,
                MeetingRequest.target_firm_id == target.id))
        if wish.request is not None:
            same = wish.request.status == RequestStatus.ACCEPTED and wish.request.priority == wish.priority
            wish.status = UNCHANGED if same else UPDATED


def _delegation(plan: ImportPlan) -> None:
    """The visit `--delegation KEY` names: stored, or to be created for the file's one visiting
    region (a region other than the round's venue province); who of the file would join it."""
    key = plan.delegation_key
    if not key:
        return
    if not KEY.match(key):
        plan.errors.append(RowError(1, None, _("The delegation key: use lower-case Latin letters, digits and hyphens.")))
        return
    plan.delegation = db.session.scalar(select(Delegation).where(Delegation.key == key))
    if plan.delegation is not None:
        plan.delegation_region = plan.delegation.region
    else:
        venue = plan.event.region_key if plan.event is not None else None
        visiting = {firm.values["region"].id: firm.values["region"] for firm in plan.firms
                    if firm.values["region"].key != venue}
        if len(visiting) != 1:
            plan.errors.append(RowError(1, None, _("The delegation %(key)s does not exist and the file has no single "
                                                   "visiting region to create it for; create it on the delegations page "
                                                   "first.", key=key)))
            return
        plan.delegation_region = next(iter(visiting.values()))
    members = {person.id for person in plan.delegation.members} if plan.delegation is not None else set()
    plan.delegation_joins = sum(1 for firm in plan.firms if firm.values["region"].id == plan.delegation_region.id
                                for person in firm.people if person.person is None or person.person.id not in members)


def build_plan(upload: FirmFile, event: Event | None = None, delegation_key: str | None = None) -> ImportPlan:
    """Check every row of `upload` and compare it with the database; writes nothing.

    `event` (optional) is the round firms are registered for, their people's days apply to and
    wishes become accepted requests of; `delegation_key` the visit the visiting region's people join.
    """
    plan = ImportPlan(event=event, delegation_key=(delegation_key or "").strip().lower() or None,
                      errors=list(upload.errors), encoding=upload.encoding)
    _people_rows(plan, upload.people)
    if not plan.errors:
        _wish_rows(plan, upload.meetings)
    if not plan.errors:
        _delegation(plan)
    if not plan.errors:
        _compare(plan)
    plan.errors.sort(key=lambda error: (error.line, error.column or ""))
    return plan

