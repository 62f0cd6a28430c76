"""A round's life cycle after its setup: the registration deadline, approval of firms by the
organiser, archiving. Who may join a round or send requests in it is decided here
(`joining_refusal`) for every caller — the firm's profile form, the request form, the API.
Deleting a round lives in `events.removal`, cloning one in `events.rounds`.
Functions flush; the view or command commits."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import Event, EventRegistration, Firm, User
from planner.models.base import utcnow
from planner.models.enums import RegistrationStatus
from planner.signals import facts_changed
from planner.text.i18n import _, _l, current_locale, format_clock, format_day
from planner.text.scripts import name_key

STATUS_LABELS = {
    RegistrationStatus.APPROVED: _l("taking part"),
    RegistrationStatus.PENDING: _l("waiting for the organisers' approval"),
    RegistrationStatus.REFUSED: _l("not accepted by the organisers"),
}


def registration_status_label(code: str) -> str:
    """A registration's status in the reader's words."""
    return str(STATUS_LABELS.get(code, code))


# --- the deadline -------------------------------------------------------------------------

def deadline_from_local(event: Event, day: date | None, clock: time | None) -> datetime | None:
    """The deadline typed as a day and a time in the round's zone (Asia/Tehran) as an aware
    datetime; the end of that day when no time is given; None without a day."""
    if day is None:
        return None
    return datetime.combine(day, clock or time(23, 59), ZoneInfo(event.timezone))


def local_deadline(event: Event) -> datetime | None:
    """The deadline in the round's own zone (what the organiser typed), or None."""
    if event.registration_deadline_dt is None:
        return None
    return event.registration_deadline_dt.astimezone(ZoneInfo(event.timezone))


def deadline_text(event: Event, locale: str | None = None) -> str:
    """'1 December 2026, 18:00' in the reader's calendar and digits (Jalali first in Persian),
    in the round's zone; empty without a deadline."""
    moment = local_deadline(event)
    if moment is None:
        return ""
    locale = locale or current_locale()
    return _("%(day)s, %(time)s", day=format_day(moment.date(), locale, "medium"),
             time=format_clock(moment, event.timezone, locale))


def round_over(event: Event, now: datetime | None = None) -> bool:
    """Whether the round's last day has passed, in the round's own time zone. The one home of
    this rule (requests: `requests.services.event_over`)."""
    zone = ZoneInfo(event.timezone or "Asia/Tehran")
    return event.end_date < (now or utcnow()).astimezone(zone).date()


def registration_closed(event: Event, now: datetime | None = None) -> bool:
    """Whether the round's registration deadline has passed (never, without one)."""
    deadline = event.registration_deadline_dt
    return deadline is not None and (now or utcnow()) >= deadline


def joining_refusal(event: Event, user: User | None, now: datetime | None = None) -> str | None:
    """Why `user` may not join `event` or send meeting requests in it now, in the reader's
    words; None when they may. Organisers always may (they add late firms and requests). A round
    that is over is no reason here: firms may still sign up for the latest round when none is to
    come (`firms.profiles.registrable_events`), and requests there are refused by
    `requests.services.closed_reason`."""
    if user is not None and user.is_organiser:
        return None
    name = event.display_name(current_locale())
    if event.archived_at is not None:
        return _("%(event)s is archived: it takes no new firms or requests.", event=name)
    if registration_closed(event, now):
        return _("Registration for %(event)s closed on %(when)s (Tehran time): firms can no longer join it or "
                 "send meeting requests in it. The organisers can still add firms and requests.",
                 event=name, when=deadline_text(event))
    return None


def set_registration_rules(event: Event, deadline: datetime | None, approve_firms: bool) -> int:
    """Set the deadline (aware, or None for none) and whether firms need approval. A deadline
    after the round's last day is refused (ServiceError on `deadline_day`). Turning approval
    off lets the firms still waiting take part; returns how many."""
    if deadline is not None:
        if deadline.tzinfo is None:
            raise ValueError("naive deadline")
        if deadline.astimezone(ZoneInfo(event.timezone)).date() > event.end_date:
            raise ServiceError(_("The deadline is after the round's last day."), "deadline_day")
    event.registration_deadline_dt = deadline
    released = 0
    if event.approve_firms and not approve_firms:
        released = db.session.execute(
            update(EventRegistration)
            .where(EventRegistration.event_id == event.id, EventRegistration.status == RegistrationStatus.PENDING)
            .values(status=RegistrationStatus.APPROVED, decided_at=utcnow())
            .execution_options(synchronize_session="fetch")).rowcount
    event.approve_firms = approve_firms
    db.session.flush()
    if released:
        facts_changed(event.id)
    return released


# --- approval -----------------------------------------------------------------------------

def new_registration_status(event: Event, user: User | None) -> str:
    """The status of a registration `user` makes: pending when the round asks organisers to
    approve firms and the user is no organiser, else approved."""
    if event.approve_firms and not (user is not None and user.is_organiser):
        return RegistrationStatus.PENDING
    return RegistrationStatus.APPROVED


def decide_registration(registration: EventRegistration, approve: bool) -> bool:
    """Approve or refuse a firm's registration (pending or already decided: an organiser may
    change their mind). Returns False when it already had that status (a repeated click). A
    firm that stops taking part leaves its published meetings (`planner.signals`)."""
    wanted = RegistrationStatus.APPROVED if approve else RegistrationStatus.REFUSED
    if registration.status == wanted:
        return False
    was_taking_part = registration.takes_part
    registration.status, registration.decided_at = wanted, utcnow()
    db.session.flush()
    if was_taking_part != registration.takes_part:
        facts_changed(registration.event_id)
    return True


def join_round(event: Event, firm_id: int, user: User) -> EventRegistration:
    """Register the firm for the round on `user`'s action (the caller checked that the user may
    act for the firm): pending when the round asks for approval, else taking part at once. The
    existing registration when there is one. ServiceError when joining is closed to the user.
    Two joins at the same moment meet the unique registration: the caller rolls back on the
    IntegrityError and reads the registration the other one made."""
    refusal = joining_refusal(event, user)
    if refusal:
        raise ServiceError(refusal)
    existing = registration_of(event, firm_id)
    if existing is not None:
        return existing
    registration = EventRegistration(event_id=event.id, firm_id=firm_id, status=new_registration_status(event, user))
    db.session.add(registration)
    db.session.flush()
    return registration


def registration_of(event: Event, firm_id: int) -> EventRegistration | None:
    """The firm's registration for the round, whatever its status; None when it has none."""
    return db.session.scalar(select(EventRegistration).where(
        EventRegistration.event_id == event.id, EventRegistration.firm_id == firm_id))


def firm_registrations(firm_id: int, *, archived: bool = False) -> list[EventRegistration]:
    """The firm's registrations, newest round first (archived rounds left out unless asked)."""
    query = (select(EventRegistration).join(Event, Event.id == EventRegistration.event_id)
             .where(EventRegistration.firm_id == firm_id).order_by(Event.start_date.desc()))
    if not archived:
        query = query.where(Event.archived_at.is_(None))
    return list(db.session.scalars(query))


def registrations_by_status(event: Event) -> list[EventRegistration]:
    """Every registration of the round: waiting ones first, then taking part, then refused;
    oldest first within each."""
    order = {RegistrationStatus.PENDING: 0, RegistrationStatus.APPROVED: 1, RegistrationStatus.REFUSED: 2}
    rows = db.session.scalars(select(EventRegistration).where(EventRegistration.event_id == event.id)
                              .options(selectinload(EventRegistration.firm).selectinload(Firm.region))
                              .order_by(EventRegistration.created_at, EventRegistration.id))
    return sorted(rows, key=lambda row: order.get(row.status, 3))


def listed_firms(event: Event, locale: str) -> tuple[list[Firm], int]:
    """The firms taking part that list themselves publicly, by region then by the name the
    reader sees; and how many others take part (counted, never named)."""
    firms = list(db.session.scalars(
        select(Firm).join(EventRegistration, EventRegistration.firm_id == Firm.id)
        .where(EventRegistration.event_id == event.id, EventRegistration.takes_part)
        .options(selectinload(Firm.region))))
    shown = sorted((firm for firm in firms if firm.public), key=lambda firm: (firm.region_id, name_key(firm, locale)))
    return shown, len(firms) - len(shown)


# --- archiving ----------------------------------------------------------------------------

def archive_event(event: Event) -> None:
    """Hide the round from lists and firms' pickers; organisers still read it, and restore it."""
    if event.archived_at is None:
        event.archived_at = utcnow()
        db.session.flush()


def restore_event(event: Event) -> None:
    event.archived_at = None
    db.session.flush()


def current_events() -> list[Event]:
    """Rounds not archived, newest first: what lists and pickers offer."""
    return list(db.session.scalars(select(Event).where(Event.archived_at.is_(None))
                                   .order_by(Event.start_date.desc(), Event.id.desc())))


def archived_events() -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.archived_at.is_not(None))
                                   .order_by(Event.start_date.desc(), Event.id.desc())))
