"""Firm profiles: saving a registration or an edit, the code picker's search and the
marketplace of everyone's needs and offers. Functions flush; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from planner.errors import ServiceError
from planner.events.attendance import set_attending_days
from planner.events.lifecycle import joining_refusal, new_registration_status
from planner.extensions import db
from planner.matching.candidates import firm_matches
from planner.models import (
    Capability,
    Event,
    EventRegistration,
    Firm,
    MeetingRequest,
    Need,
    Participant,
    Region,
    Sector,
    User,
)
from planner.models.base import localized
from planner.models.enums import RequestStatus
from planner.requests.services import event_over
from planner.signals import facts_changed, people_leaving
from planner.text.i18n import _, current_locale
from planner.text.scripts import name_key
from planner.text.search import fold, matches_all, query_words

# --- profiles -----------------------------------------------------------------------------

def registrable_events() -> list[Event]:
    """Events a firm may sign up for: the ones still to come, else the latest one."""

    events = list(db.session.scalars(select(Event).where(Event.archived_at.is_(None)).order_by(Event.start_date.desc())))
    upcoming = [event for event in events if not event_over(event)]
    return upcoming or events[:1]


def event_days(events: list[Event]) -> list[date]:
    """Every day of any of `events`, in order (`Event.days` of each, once)."""
    return sorted({day for event in events for day in event.days})


def _localized_update(texts: dict | None, locale: str, value: str | None) -> dict:
    """Set the reader's language in a {lang: text} mapping, keeping the other languages."""
    result = dict(texts or {})
    if value:
        result[locale] = value
    else:
        result.pop(locale, None)
    return result


def profile_form_data(firm: Firm, locale: str) -> dict:
    """The stored profile in the form's shape (texts in the reader's language)."""

    def interest(item):
        return {"kind": item.kind, "code": item.code, "note": localized(item.note, locale),
                "volume": item.volume or "", "certification": item.certification or ""}

    registered = set(db.session.scalars(select(EventRegistration.event_id).where(EventRegistration.firm_id == firm.id)))
    shown = [event for event in registrable_events() if event.id in registered]
    return {
        "name_native": firm.name_native, "name_latin": firm.name_latin, "region": firm.region_id,
        "city": firm.city, "city_latin": firm.city_latin or "", "website": firm.website or "", "size": firm.size,
        "founded": firm.founded, "description": localized(firm.description, locale), "languages": list(firm.languages),
        "public": firm.public, "events": sorted(event.id for event in shown),
        "activities": [{"code": sector.code} for sector in firm.sectors],
        "capabilities": [interest(item) for item in firm.capabilities],
        "needs": [interest(item) for item in firm.needs],
        "participants": [{
            "first_name": person.first_name, "last_name": person.last_name,
            "first_name_latin": person.first_name_latin or "", "last_name_latin": person.last_name_latin or "",
            "role": localized(person.role, locale), "email": person.email, "phone": person.phone or "",
            "languages": list(person.languages), "attending_days": shown_days(person, shown),
        } for person in firm.participants],
    }


def shown_days(person: Participant, events: list[Event]) -> list[str]:
    """The days ticked for `person` on the profile form, which lists the days of `events`:
    none when they attend every day of each; otherwise each round's chosen days, and every
    day of a round they attend in full (so saving the form unchanged changes nothing)."""
    per_event = [(event, person.attending_days(event.id)) for event in events]
    if all(days is None for _event, days in per_event):
        return []
    ticked = set()
    for event, days in per_event:
        ticked.update([day.isoformat() for day in event.days] if days is None else days)
    return sorted(ticked)


def _sync_attendance(firm: Firm, ticked: dict[str, list[str]], offered: list[Event]) -> None:
    """Each person's days for the rounds shown on the form (the offered rounds the firm takes
    part in): the ticked days of that round; none ticked at all means every day of each.
    Rounds not on the form keep their days."""
    registered = set(db.session.scalars(select(EventRegistration.event_id).where(EventRegistration.firm_id == firm.id)))
    for person in firm.participants:
        days = ticked.get(person.email.lower()) or []
        for event in offered:
            if event.id in registered:
                set_attending_days(person, event, days if days else None)


def _merged_rows(rows: list[dict]) -> list[dict]:
    """One row per code: a code listed twice keeps every note, volume and certification typed
    (joined with "; "), so nothing is lost when the form's own check is bypassed (API, CLI)."""
    merged: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row["kind"], row["code"])
        if key not in merged:
            merged[key] = dict(row)
            continue
        kept = merged[key]
        for name in ("note", "volume", "certification"):
            parts = [part for part in (kept.get(name), row.get(name)) if part]
            kept[name] = "; ".join(dict.fromkeys(parts)) or None
    return list(merged.values())


def _interests(cls, rows: list[dict], old: list, locale: str) -> list:
    previous = {(item.kind, item.code): item for item in old}
    result = []
    for row in _merged_rows(rows):
        key = (row["kind"], row["code"])
        before = previous.get(key)
        item = cls(note=_localized_update(before.note if before else None, locale, row.get("note")),
                   volume=row.get("volume") or None, certification=row.get("certification") or None)
        if row["kind"] == "product":
            item.product_code = row["code"]
        else:
            item.sector_code = row["code"]
        result.append(item)
    return result


def _sync_participants(firm: Firm, rows: list[dict], locale: str) -> None:
    """Update people matched by e-mail (their calendar links stay valid), add new ones, drop the rest."""
    existing = {person.email.lower(): person for person in firm.participants}
    keep = []
    for row in rows:
        email = row["email"].strip().lower()
        person = existing.pop(email, None) or Participant(email=email)
        person.first_name, person.last_name = row["first_name"], row["last_name"]
        person.first_name_latin = row.get("first_name_latin") or None
        person.last_name_latin = row.get("last_name_latin") or None
        person.role = _localized_update(person.role, locale, row.get("role"))
        person.phone = row.get("phone") or None
        person.languages = list(row.get("languages") or firm.languages)
        if person not in keep:
            keep.append(person)
    # People dropped from the firm are taken off its published meetings (and told) first.
    people_leaving([person.id for person in existing.values() if person.id is not None])
    firm.participants = keep


def _sync_events(firm: Firm, wanted: list[int], offered: list[Event], user: User | None) -> None:
    """Join the ticked rounds (where joining is open to `user`; pending where the round asks for
    approval) and leave the unticked ones that have no requests of the firm."""
    current = {reg.event_id: reg for reg in db.session.scalars(
        select(EventRegistration).where(EventRegistration.firm_id == firm.id))}
    for event in offered:
        if event.id in wanted and event.id not in current:
            refusal = joining_refusal(event, user)
            if refusal:
                raise ServiceError(refusal, field="events")
            db.session.add(EventRegistration(event=event, firm=firm, status=new_registration_status(event, user)))
        elif event.id not in wanted and event.id in current:
            has_requests = db.session.scalar(select(func.count()).select_from(MeetingRequest).where(
                MeetingRequest.event_id == event.id,
                (MeetingRequest.requester_firm_id == firm.id) | (MeetingRequest.target_firm_id == firm.id)))
            if has_requests:
                raise ServiceError(_("Your firm has meeting requests in %(event)s; ask the organisers to withdraw it.",
                                     event=event.display_name(current_locale())), field="events")
            db.session.delete(current[event.id])


def save_firm_profile(firm: Firm | None, data: dict, locale: str, user: User | None = None) -> Firm:
    """Create (firm None) or update a firm from the form's plain data.

    A firm member creating a firm becomes its member; texts are stored in `locale`, other
    languages' texts are kept.
    """
    if firm is None and user is not None and not user.is_organiser and user.firm_id is not None:
        raise ServiceError(_("Your account already belongs to a firm."))
    region = db.session.get(Region, data["region"])
    if region is None:
        raise ServiceError(_("Please choose a region."), field="region")
    emails = [row["email"].strip().lower() for row in data["participants"]]
    if len(emails) != len(set(emails)):
        raise ServiceError(_("Two people have the same e-mail."), field="participants")
    creating = firm is None
    if creating:
        firm = Firm(name_native=data["name_native"], name_latin=data["name_latin"], region=region)
        db.session.add(firm)
    firm.name_native, firm.name_latin, firm.region = data["name_native"], data["name_latin"], region
    firm.city, firm.city_latin = data["city"], data.get("city_latin") or None
    firm.website, firm.size, firm.founded = data.get("website") or None, data["size"], data.get("founded")
    firm.description = _localized_update(firm.description, locale, data.get("description"))
    firm.languages = list(data["languages"])
    firm.public = bool(data.get("public"))
    firm.sectors = list(db.session.scalars(
        select(Sector).where(Sector.code.in_(data["activities"])).order_by(Sector.code)))
    firm.capabilities = _interests(Capability, data["capabilities"], [] if creating else firm.capabilities, locale)
    firm.needs = _interests(Need, data["needs"], [] if creating else firm.needs, locale)
    _sync_participants(firm, data["participants"], locale)
    db.session.flush()
    offered = registrable_events()
    _sync_events(firm, list(data.get("events") or []), offered, user)
    db.session.flush()
    _sync_attendance(firm, {row["email"].strip().lower(): list(row.get("attending_days") or [])
                            for row in data["participants"]}, offered)
    if not creating:  # attending days may have changed: published meetings follow
        facts_changed(None)
    if creating and user is not None and not user.is_organiser:
        user.firm_id = firm.id
    db.session.flush()
    return firm


# --- marketplace --------------------------------------------------------------------------

@dataclass(frozen=True)
class MarketEntry:
    side: str  # "need" | "offer"
    firm: Firm
    item: Capability | Need


def search_marketplace(text: str | None = None, side: str | None = None, region_key: str | None = None,
                       include_private: bool = False, limit: int = 200, locale: str | None = None) -> list[MarketEntry]:
    """Everyone's needs and offers, by code (either one within the other; digits in any
    script) or by words in notes, code titles and firm names, in any language; firms in the
    alphabetical order of the names the reader sees."""
    locale = locale or current_locale()
    words = query_words((text or "").replace(".", ""))
    digits = [word for word in words if word.isdigit()]
    texts = [word for word in words if not word.isdigit()]
    firm_query = select(Firm).options(
        selectinload(Firm.region),
        selectinload(Firm.needs).selectinload(Need.product), selectinload(Firm.needs).selectinload(Need.sector),
        selectinload(Firm.capabilities).selectinload(Capability.product),
        selectinload(Firm.capabilities).selectinload(Capability.sector),
    )
    if not include_private:
        firm_query = firm_query.where(Firm.public.is_(True))
    if region_key:
        firm_query = firm_query.join(Region, Firm.region_id == Region.id).where(Region.key == region_key)
    result = []
    for firm in sorted(db.session.scalars(firm_query), key=lambda firm: name_key(firm, locale)):
        names = f"{firm.name_native} {firm.name_latin}"
        sides = [("offer", firm.capabilities), ("need", firm.needs)]
        for side_name, items in sides:
            if side and side != side_name:
                continue
            for item in items:
                if digits and not any(item.code.startswith(d) or d.startswith(item.code) for d in digits):
                    continue
                if texts:
                    node = item.node
                    titles = [node.title_en, node.title_fa or "", node.title_ru or ""] if node else []
                    haystack = fold(" ".join([names, *(item.note or {}).values(), item.code, *titles]))
                    if not matches_all(texts, haystack):
                        continue
                result.append(MarketEntry(side_name, firm, item))
                if len(result) >= limit:
                    return result
    return result


# --- recommendations ----------------------------------------------------------------------

@dataclass(frozen=True)
class Recommendation:
    pair: object  # matching.PairScore seen from the firm
    partner: Firm
    request: MeetingRequest | None

    @property
    def needs_interpreter(self) -> bool:
        return any(reason.code == "interpreter_needed" for reason in self.pair.reasons)

    @property
    def mutual(self) -> bool:
        return any(reason.code == "mutual_interest" for reason in self.pair.reasons)


def recommendations(firm: Firm, event: Event | None, *, region_key: str | None = None, text: str | None = None,
                    mutual_only: bool = False, same_language: bool = False, limit: int = 50,
                    public_only: bool = True) -> list[Recommendation]:
    """Ranked partners of a firm with the request already made to or by each, filtered."""

    pairs = firm_matches(firm.id, event, limit=None, public_only=public_only)
    partners = {partner.id: partner for partner in db.session.scalars(
        select(Firm).where(Firm.id.in_([pair.firm_b for pair in pairs])).options(selectinload(Firm.region)))}
    requests: dict[int, MeetingRequest] = {}
    if event is not None:
        for row in db.session.scalars(select(MeetingRequest).where(
                MeetingRequest.event_id == event.id,
                (MeetingRequest.requester_firm_id == firm.id) | (MeetingRequest.target_firm_id == firm.id))):
            partner_id = row.target_firm_id if row.requester_firm_id == firm.id else row.requester_firm_id
            if partner_id not in requests or row.status in (RequestStatus.PENDING, RequestStatus.ACCEPTED):
                requests[partner_id] = row
    words = query_words(text)
    result = []
    for pair in pairs:
        partner = partners[pair.firm_b]
        item = Recommendation(pair, partner, requests.get(partner.id))
        if region_key and partner.region.key != region_key:
            continue
        if mutual_only and not item.mutual:
            continue
        if same_language and item.needs_interpreter:
            continue
        if words:
            haystack = fold(" ".join([partner.name_native, partner.name_latin, partner.city, partner.city_latin or "",
                                      *(reason.params.get("need", "") + " " + reason.params.get("offer", "")
                                        for reason in pair.reasons)]))
            if not matches_all(words, haystack):
                continue
        result.append(item)
        if len(result) >= limit:
            break
    return result
