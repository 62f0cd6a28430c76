"""Writing a checked import plan: firms, people, offers and needs, the round's registrations and
days, delegation membership, accepted wishes and account invitations. All or nothing: the caller
commits once, or rolls back; functions only flush."""
from __future__ import annotations

from flask import current_app

from planner.accounts.services import invite_person
from planner.delegations.services import add_members, ensure_delegation
from planner.errors import ServiceError
from planner.events.attendance import set_attending_days
from planner.events.services import register_firms
from planner.extensions import db
from planner.models import Capability, Firm, MeetingRequest, Need, Participant
from planner.models.base import utcnow
from planner.models.enums import RequestStatus
from planner.onboarding.plan import NEW, UNCHANGED, FirmPlan, ImportPlan, PersonPlan
from planner.signals import facts_changed
from planner.text.i18n import _
from planner.text.scripts import script_locale


def _interests(cls, old: list, codes: list[tuple[str, str]]) -> list:
    """The firm's offers or needs with exactly `codes`; items already stored keep their notes."""
    kept = {(item.kind, item.code): item for item in old}
    result = []
    for kind, code in codes:
        item = kept.get((kind, code))
        if item is None:
            item = cls(product_code=code) if kind == "product" else cls(sector_code=code)
        result.append(item)
    return result


def _write_firm(plan: FirmPlan) -> Firm:
    values = plan.values
    firm = plan.firm
    if firm is None:
        firm = Firm(name_native=values["name_native"], name_latin=values["name_latin"], region=values["region"])
        db.session.add(firm)
    if plan.status == UNCHANGED:
        return firm
    firm.key = plan.key or firm.key
    firm.name_native, firm.name_latin, firm.region = values["name_native"], values["name_latin"], values["region"]
    if values["city"] is not None or plan.firm is None:
        firm.city = values["city"] or ""
    if values["website"] is not None:
        firm.website = values["website"]
    if values["languages"] is not None or plan.firm is None:
        firm.languages = values["languages"] or [values["region"].native_locale]
    if plan.offers is not None:
        firm.capabilities = _interests(Capability, list(firm.capabilities), plan.offers)
    if plan.needs is not None:
        firm.needs = _interests(Need, list(firm.needs), plan.needs)
    return firm


def _write_person(plan: PersonPlan, firm: Firm) -> Participant:
    values = plan.values
    person = plan.person
    if person is None:
        person = Participant(email=plan.email, first_name=values["first_name"], last_name=values["last_name"])
        firm.participants.append(person)
    for name in ("first_name", "last_name", "first_name_latin", "last_name_latin", "phone", "languages"):
        if values[name] is not None:
            setattr(person, name, values[name])
    if not person.languages:
        person.languages = list(firm.languages or [])
    if values["role"] is not None and values["role"] not in (person.role or {}).values():
        # The role is kept in the language it is written in (its script), beside the others.
        person.role = {**(person.role or {}), script_locale(values["role"]) or "en": values["role"]}
    return person


def _invitation_locale(person: Participant, firm: Firm) -> str:
    """The person's language for their invitation: their region's, else one they speak, else English."""
    supported = current_app.config["LANGUAGES"]
    for code in (firm.region.native_locale, *(person.languages or [])):
        if code in supported:
            return code
    return "en"


def _write_wishes(plan: ImportPlan, firms: dict[int, Firm], user_id: int | None) -> None:
    for wish in plan.wishes:
        if wish.status == UNCHANGED:
            continue
        requester = firms[id(wish.requester)] if isinstance(wish.requester, FirmPlan) else wish.requester
        target = firms[id(wish.target)] if isinstance(wish.target, FirmPlan) else wish.target
        request = wish.request
        if request is None:
            request = MeetingRequest(event=plan.event, requester_firm=requester, target_firm=target,
                                     created_by_id=user_id)
            db.session.add(request)
        # The organiser imports what both sides agreed with the chamber: accepted at once.
        request.priority, request.status = wish.priority, RequestStatus.ACCEPTED
        request.responded_by_id, request.responded_at = user_id, utcnow()


def apply_plan(plan: ImportPlan, user_id: int | None = None, invite: bool = True) -> dict[str, int]:
    """Write `plan` (which must have no errors); returns {"invited": n, "joined": n}.

    New people without an account get one and an invitation in their language (`invite`).
    """
    if not plan.ok:
        raise ServiceError(_("The file has errors; nothing was imported."))
    firms: dict[int, Firm] = {}
    new_people: list[tuple[Participant, Firm]] = []
    imported: list[Participant] = []
    for firm_plan in plan.firms:
        firm = _write_firm(firm_plan)
        firms[id(firm_plan)] = firm
        for person_plan in firm_plan.people:
            person = _write_person(person_plan, firm)
            imported.append(person)
            if person_plan.status == NEW:
                new_people.append((person, firm))
    db.session.flush()
    joined = 0
    if plan.event is not None:
        register_firms(plan.event, list(firms.values()))
        for firm_plan in plan.firms:
            for person_plan in firm_plan.people:
                person = next(p for p in imported if p.email == person_plan.email)
                if person.attending_days(plan.event.id) != person_plan.days:
                    set_attending_days(person, plan.event, person_plan.days)
        _write_wishes(plan, firms, user_id)
    if plan.delegation_key:
        delegation, _created = ensure_delegation(plan.delegation_key, plan.delegation_region, plan.event)
        joined = add_members(delegation, imported)
    invited = 0
    if invite:
        for person, firm in new_people:
            name = f"{person.first_name} {person.last_name}".strip()
            if invite_person(person.email, name, firm.id, _invitation_locale(person, firm)) is not None:
                invited += 1
    db.session.flush()
    if any(p.status != NEW and p.status != UNCHANGED for p in plan.people):
        facts_changed(plan.event.id if plan.event is not None else None)  # days may have changed
    return {"invited": invited, "joined": joined}

