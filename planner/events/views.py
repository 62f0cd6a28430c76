"""Event setup for organisers: the event's settings, days (holidays, Fridays and closures
blocked by default), sessions and slots, tables, interpreters and closures."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from planner.access import load_or_404, of_event, organiser_required
from planner.actions import attempt, on_field
from planner.errors import ServiceError
from planner.events import lifecycle, resources, undo
from planner.events import services as setup
from planner.events.forms import ClosureForm, EventForm, HostTableForm, InterpreterForm, SessionForm, TablesForm, choices
from planner.events.rounds import suggest_round
from planner.extensions import db
from planner.models import Closure, Event, EventRegistration, EventSession, Exhibition, Firm, Interpreter, MeetingTable, Region
from planner.models.enums import DeletedKind
from planner.paging import page_url, paginate_query, requested_page
from planner.text.fields import parse_whole_number
from planner.text.i18n import (
    _,
    current_locale,
    format_clock,
    format_day,
    format_day_range,
    local_digits,
    local_today,
    ngettext,
)
from planner.urls import database_int, parse_database_int

bp = Blueprint("events", __name__, url_prefix="/organiser/events")


def _exhibition_choices() -> list[tuple[int, str]]:
    """Upcoming exhibitions first, each with its dates; past ones after them, marked past."""
    locale, today = current_locale(), local_today()
    rows = list(db.session.scalars(select(Exhibition).order_by(Exhibition.start_date)))
    upcoming = [e for e in rows if e.end_date >= today]
    past = [e for e in reversed(rows) if e.end_date < today]
    label = "%(title)s — %(dates)s"
    return ([(0, _("— none (free dates) —"))]
            + [(e.id, label % {"title": e.title(locale), "dates": format_day_range(e.start_date, e.end_date, locale)})
               for e in upcoming]
            + [(e.id, _("%(title)s — %(dates)s (past)", title=e.title(locale),
                        dates=format_day_range(e.start_date, e.end_date, locale))) for e in past])


def _warn_if_past(start: date | None) -> None:
    """A round set in the past is allowed (to record one afterwards) but never silently."""
    if start is not None and start < local_today():
        flash(_("The round's dates are in the past; firms cannot send requests in it."), "warning")


def _settings(form: EventForm) -> dict:
    return {
        "name": {"fa": form.name_fa.data, "ru": form.name_ru.data, "en": form.name_en.data},
        "slot_minutes": form.slot_minutes.data, "break_minutes": form.break_minutes.data,
        "who_can_meet": form.who_can_meet.data, "min_meetings": form.min_meetings.data,
        "max_meetings": form.max_meetings.data, "request_mode": form.request_mode.data,
        "suggest_for_shortfall": form.suggest_for_shortfall.data,
    }


@bp.route("/")
@organiser_required
def index():
    """Every round not archived, newest first."""
    return render_template("events/index.html", events=lifecycle.current_events(), archived=len(lifecycle.archived_events()))


@bp.route("/new", methods=["GET", "POST"])
@organiser_required
def create():
    """A new event, on an exhibition's days or on free dates."""
    form = EventForm()
    form.exhibition_id.choices = choices(_exhibition_choices())
    exhibition = db.session.get(Exhibition, request.args.get("exhibition", 0, type=database_int) or 0)
    if request.method == "GET" and exhibition is not None:  # from an exhibition's page: its names, a free short name
        form.exhibition_id.data = exhibition.id
        form.slug.data, names = suggest_round(exhibition)
        form.name_fa.data, form.name_ru.data, form.name_en.data = names["fa"], names["ru"], names["en"]
    if form.validate_on_submit():
        exhibition = db.session.get(Exhibition, form.exhibition_id.data) if form.exhibition_id.data else None
        created = attempt(lambda: setup.create_event(slug=form.slug.data, exhibition=exhibition, start_date=form.start_date.data,
                                                     end_date=form.end_date.data, **_settings(form)),
                          _("The event was created. Now add its sessions, tables and interpreters."), refused=on_field(form))
        if created.ok:
            _warn_if_past(created.result.start_date)
            return redirect(url_for("events.setup_page", event_id=created.result.id))
    return render_template("events/form.html", form=form, event=None)


@bp.route("/<int:event_id>/settings", methods=["GET", "POST"])
@organiser_required
def settings(event_id: int):
    """Change the event's settings."""
    event = load_or_404(Event, event_id)
    form = EventForm(obj=event)
    form.exhibition_id.choices = choices(_exhibition_choices())
    if request.method == "GET":
        form.name_fa.data, form.name_ru.data, form.name_en.data = (event.name.get(k) for k in ("fa", "ru", "en"))
        form.exhibition_id.data = event.exhibition_id or 0
    if form.validate_on_submit():
        fields = _settings(form)
        # A new slot length re-cuts the sessions, after a preview (scheduling.recut); the rest is saved now.
        recut = bool(event.sessions) and (fields["slot_minutes"], fields["break_minutes"]) != (event.slot_minutes, event.break_minutes)
        if recut:
            fields.update(slot_minutes=event.slot_minutes, break_minutes=event.break_minutes)
        saved = attempt(lambda: setup.update_event(event, start_date=form.start_date.data or event.start_date,
                                                   end_date=form.end_date.data or event.end_date, **fields),
                        _("Settings saved."), refused=on_field(form))
        if saved.ok:
            _warn_if_past(event.start_date)
            if recut:
                flash(_("The other settings are saved; the new slot length waits for your confirmation."), "info")
                return redirect(url_for("recut.preview", event_id=event.id, slot_minutes=form.slot_minutes.data,
                                        break_minutes=form.break_minutes.data))
            return redirect(url_for("events.setup_page", event_id=event.id))
    return render_template("events/form.html", form=form, event=event)


@bp.route("/<int:event_id>")
@organiser_required
def setup_page(event_id: int):
    """Days, sessions, tables, interpreters and closures of one event."""
    event = load_or_404(Event, event_id)
    days = setup.plan_days(event)
    sessions = setup.event_sessions(event)
    session_form = SessionForm()
    session_form.day.choices = choices([(d.day.isoformat(), format_day(d.day, current_locale(), "medium")) for d in days if d.usable])
    start, end = setup.default_session_hours(event)
    session_form.start.data, session_form.end.data = start, end
    host_form = HostTableForm()
    host_form.firm_id.choices = choices(_registered_firm_choices(event))
    interpreter_form = InterpreterForm()
    interpreter_form.unavailable.choices = choices(_session_choices(sessions))
    closure_form = ClosureForm()
    closure_form.region_key.choices = choices(_region_choices())
    closure_form.region_key.data = event.region_key
    closures = db.session.scalars(select(Closure).where(Closure.day.between(event.start_date, event.end_date))
                                  .order_by(Closure.day)).all()
    registrations = paginate_query(setup.registrations_query(event), requested_page("firms_page"))
    return render_template("events/setup.html", event=event, days=days, sessions=sessions, session_form=session_form,
                           tables_form=TablesForm(), host_form=host_form, interpreter_form=interpreter_form,
                           closure_form=closure_form, closures=closures, warnings=setup.travel_warnings(event),
                           registrations=registrations, registrations_url=page_url("firms_page", "firms"),
                           undo_offers=undo.offers(event, current_user.id))


def _registered_firm_choices(event: Event) -> list[tuple[int, str]]:
    locale = current_locale()
    # one query with the firms and their regions (not one per registration)
    firms = sorted((r.firm for r in db.session.scalars(setup.registrations_query(event))), key=lambda f: f.display_name(locale))
    return [(f.id, f.display_name(locale)) for f in firms]


def _session_choices(sessions: list[EventSession]) -> list[tuple[int, str]]:

    locale = current_locale()
    return [(s.id, f"{format_day(s.start_dt.astimezone(_zone(s)).date(), locale, 'medium')} "
                   f"{format_clock(s.start_dt, s.event.timezone)}–{format_clock(s.end_dt, s.event.timezone)}")
            for s in sessions]


def _zone(session: EventSession):

    return ZoneInfo(session.event.timezone)


def _region_choices() -> list[tuple[str, str]]:
    locale = current_locale()
    return [("", _("Whole country"))] + [(r.key, r.name(locale)) for r in db.session.scalars(select(Region).order_by(Region.key))]


def _back(event: Event, anchor: str = ""):
    # the page of the firms' list the form was sent from, so saving bounds on page 3 stays there
    page = request.form.get("firms_page", "")
    return redirect(url_for("events.setup_page", event_id=event.id, firms_page=page if page.isdecimal() else None)
                    + (f"#{anchor}" if anchor else ""))


def _attempt(event: Event, anchor: str, action, message):
    """Run one setup service (`actions.attempt`: commit and say `message`, a text or a function
    of the result, or nothing when None; or roll back and show the rule it broke); either way
    back to the setup tab `anchor`."""
    attempt(action, message)
    return _back(event, anchor)


def _deleted(event: Event, anchor: str, kind: str, row):
    """Delete `row` keeping it for undo; the setup page then offers the undo (`events.undo`), so
    the deletion itself says nothing."""
    return _attempt(event, anchor, lambda: undo.delete_with_undo(event, kind, row, current_user.id), None)


@bp.route("/<int:event_id>/days/<day>", methods=["POST"])
@organiser_required
def toggle_day(event_id: int, day: str):
    """Open a blocked day for meetings, or block it again."""
    event = load_or_404(Event, event_id)
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if when not in event.days:
        abort(404)
    opened = request.form.get("open") == "1"
    return _attempt(event, "days", lambda: setup.set_day_open(event, when, opened),
                    _("The day is open for meetings.") if opened else _("The day is blocked."))


@bp.route("/<int:event_id>/sessions/default", methods=["POST"])
@organiser_required
def default_sessions(event_id: int):
    """A morning session on every usable day without one."""
    event = load_or_404(Event, event_id)
    return _attempt(event, "sessions", lambda: setup.add_default_sessions(event),
                    lambda created: ngettext("%(num)s session added.", "%(num)s sessions added.", len(created),
                                             num=local_digits(len(created))))


@bp.route("/<int:event_id>/sessions", methods=["POST"])
@organiser_required
def add_session(event_id: int):
    event = load_or_404(Event, event_id)
    form = SessionForm()
    form.day.choices = choices([(d.isoformat(), d.isoformat()) for d in event.days])
    if not form.validate_on_submit():
        flash(_("Please correct the highlighted fields."), "error")
        return _back(event, "sessions")
    return _attempt(event, "sessions",
                    lambda: setup.add_session(event, date.fromisoformat(form.day.data), form.start.data, form.end.data, form.name.data),
                    _("Session added."))


@bp.route("/<int:event_id>/sessions/<int:session_id>/delete", methods=["POST"])
@organiser_required
def delete_session(event_id: int, session_id: int):
    event = load_or_404(Event, event_id)
    return _deleted(event, "sessions", DeletedKind.SESSION, of_event(event, EventSession, session_id))


@bp.route("/<int:event_id>/tables", methods=["POST"])
@organiser_required
def add_tables(event_id: int):
    event = load_or_404(Event, event_id)
    form = TablesForm()
    if not form.validate_on_submit():
        flash(_("Please correct the highlighted fields."), "error")
        return _back(event, "tables")
    return _attempt(event, "tables", lambda: resources.add_tables(event, form.count.data),
                    lambda created: ngettext("%(num)s table added.", "%(num)s tables added.", len(created),
                                             num=local_digits(len(created))))


@bp.route("/<int:event_id>/tables/host", methods=["POST"])
@organiser_required
def add_host_table(event_id: int):
    event = load_or_404(Event, event_id)
    form = HostTableForm()
    form.firm_id.choices = choices(_registered_firm_choices(event))
    if not form.validate_on_submit():
        flash(_("Please correct the highlighted fields."), "error")
        return _back(event, "tables")
    return _attempt(event, "tables", lambda: resources.add_table(event, form.name.data, host_firm=db.session.get(Firm, form.firm_id.data)),
                    _("Host table added."))


@bp.route("/<int:event_id>/tables/<int:table_id>/delete", methods=["POST"])
@organiser_required
def delete_table(event_id: int, table_id: int):
    event = load_or_404(Event, event_id)
    return _deleted(event, "tables", DeletedKind.TABLE, of_event(event, MeetingTable, table_id))


@bp.route("/<int:event_id>/interpreters", methods=["POST"])
@organiser_required
def add_interpreter(event_id: int):
    event = load_or_404(Event, event_id)
    form = InterpreterForm()
    sessions = setup.event_sessions(event)
    form.unavailable.choices = choices(_session_choices(sessions))
    if not form.validate_on_submit():
        flash(_("Please correct the highlighted fields."), "error")
        return _back(event, "interpreters")
    chosen = [s for s in sessions if s.id in set(form.unavailable.data or [])]
    return _attempt(event, "interpreters",
                    lambda: resources.add_interpreter(event, form.name.data, form.languages.data, name_latin=form.name_latin.data,
                                                  email=form.email.data, unavailable_sessions=chosen),
                    _("Interpreter added."))


@bp.route("/<int:event_id>/interpreters/<int:interpreter_id>/delete", methods=["POST"])
@organiser_required
def delete_interpreter(event_id: int, interpreter_id: int):
    event = load_or_404(Event, event_id)
    return _deleted(event, "interpreters", DeletedKind.INTERPRETER, of_event(event, Interpreter, interpreter_id))


@bp.route("/<int:event_id>/closures", methods=["POST"])
@organiser_required
def add_closure(event_id: int):
    """A short-notice closure (national or provincial); it blocks the day."""
    event = load_or_404(Event, event_id)
    form = ClosureForm()
    form.region_key.choices = choices(_region_choices())
    if not form.validate_on_submit():
        flash(_("Please correct the highlighted fields."), "error")
        return _back(event, "closures")
    return _attempt(event, "closures", lambda: setup.add_closure(form.day.data, form.reason.data, form.region_key.data or None,
                                                                 event=event), _("Closure added."))


@bp.route("/<int:event_id>/closures/<int:closure_id>/delete", methods=["POST"])
@organiser_required
def delete_closure(event_id: int, closure_id: int):
    event = load_or_404(Event, event_id)
    return _deleted(event, "closures", DeletedKind.CLOSURE, load_or_404(Closure, closure_id))


@bp.route("/<int:event_id>/registrations/<int:registration_id>", methods=["POST"])
@organiser_required
def set_bounds(event_id: int, registration_id: int):
    """A firm's own minimum and maximum number of meetings (empty: the event's)."""
    event = load_or_404(Event, event_id)
    registration = of_event(event, EventRegistration, registration_id)

    def number(name: str) -> int | None:
        try:
            value = parse_whole_number(request.form.get(name))
        except ValueError:
            value = -1
        if value is not None and (value < 0 or parse_database_int(str(value)) is None):
            raise ServiceError(_("Enter a whole number, such as %(example)s.", example=local_digits(30)), name)
        return value

    return _attempt(event, "firms", lambda: setup.set_meeting_bounds(registration, number("min_meetings"), number("max_meetings")),
                    _("Meeting bounds saved."))
