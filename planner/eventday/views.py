"""The event day on screen: the check-in desk (organisers and helpers), a person's day (their
pass, meetings held or not, reporting their own absence) and the organiser's backfill."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from planner.access import event_by_slug, load_or_404, of_event, organiser_required, requires
from planner.actions import attempt
from planner.eventday import attendance
from planner.eventday.backfill_runs import backfill_start, is_backfill, launch_backfill, start_backfill
from planner.eventday.forms import BackfillForm
from planner.extensions import db
from planner.models import Event, MeetingRequest, Participant, SolveJob
from planner.models.enums import JobStatus
from planner.outcomes.services import outcome_of, record_held
from planner.scheduling.solving import active_job, end_if_orphaned, job_state
from planner.text.i18n import _, format_day
from planner.timetables.entries import latest_published_event

bp = Blueprint("eventday", __name__, url_prefix="/day")


# Organisers and check-in helpers only.
desk_required = requires(lambda user: user.works_the_desk)


def _day(event: Event) -> date:
    """?day= (ISO) when it is one of the round's days, else the default day."""
    try:
        day = date.fromisoformat(request.values.get("day", ""))
    except ValueError:
        return attendance.default_day(event)
    return day if day in event.days else attendance.default_day(event)


def _may_act_for(person: Participant) -> bool:
    """Organisers, or a member of the person's own firm."""
    return current_user.is_authenticated and current_user.can_manage_firm(person.firm_id)


# --- the desk -----------------------------------------------------------------------------

@bp.route("/desk")
@desk_required
def my_desk():
    """The desk of the latest round with a published schedule."""
    event = latest_published_event()
    if event is None:
        flash(_("No schedule has been published yet."), "warning")
        return redirect(url_for("main.home"))
    return redirect(url_for(".desk", slug=event.slug))


@bp.route("/<slug>/desk")
@desk_required
def desk(slug: str):
    """Scan or type a pass, or find a person by name; the people expected today and the late ones."""
    event = event_by_slug(slug)
    day = _day(event)
    query = request.args.get("q", "").strip()
    found = attendance.search_people(event, query) if query else []
    summary = attendance.desk_day(event, day)
    return render_template("eventday/desk.html", event=event, day=day, query=query, found=found,
                           summary=summary, checked_in=summary.checked_in())


@bp.route("/<slug>/desk/check-in", methods=["POST"])
@desk_required
def check_in(slug: str):
    """Check in by pass code (scanned or typed) or by the person chosen from a search."""
    event = event_by_slug(slug)
    day = _day(event)
    if request.form.get("participant_id", "").isdigit():
        person = load_or_404(Participant, int(request.form["participant_id"]))
        checked = attempt(lambda: attendance.check_in(event, person, day, user_id=current_user.id), _("Checked in."))
    else:
        code = request.form.get("code", "")
        checked = attempt(lambda: attendance.check_in_by_code(event, code, day, user_id=current_user.id), _("Checked in."))
    if not checked.ok:
        return redirect(url_for(".desk", slug=slug, day=day.isoformat()))
    return redirect(url_for(".person", slug=slug, participant_id=checked.result.participant_id, day=day.isoformat()))


@bp.route("/<slug>/desk/people/<int:participant_id>")
@desk_required
def person(slug: str, participant_id: int):
    """Who the person is, their firm, their meetings of the day, and whether they are in."""
    event = event_by_slug(slug)
    day = _day(event)
    person = load_or_404(Participant, participant_id)
    row = attendance.attendance_of(event, person.id, day)
    return render_template("eventday/person.html", event=event, day=day, person=person, attendance=row,
                           entries=attendance.day_entries(event, person, day))


@bp.route("/<slug>/people/<int:participant_id>/absent", methods=["POST"])
@login_required
def absent(slug: str, participant_id: int):
    """Confirm a person absent for the day: organisers, or the person's own firm."""
    event = event_by_slug(slug)
    day = _day(event)
    person = load_or_404(Participant, participant_id, allowed=_may_act_for)
    attempt(lambda: attendance.mark_absent(event, person, day, user_id=current_user.id),
            _("Marked absent. Their meetings of the day are released; the organisers re-plan the day."))
    if current_user.is_organiser and request.form.get("back") == "desk":
        return redirect(url_for(".desk", slug=slug, day=day.isoformat()))
    return redirect(url_for(".my_day", slug=slug, participant_id=person.id, day=day.isoformat()))


# --- a person's day -----------------------------------------------------------------------

@bp.route("/<slug>/me/<int:participant_id>")
@login_required
def my_day(slug: str, participant_id: int):
    """The pass to show at the desk, the day's meetings to mark held or not, and the absence button."""
    event = event_by_slug(slug)
    day = _day(event)
    person = load_or_404(Participant, participant_id, allowed=_may_act_for)
    entries = attendance.day_entries(event, person, day)
    outcomes = {e.meeting.request_id: outcome_of(e.meeting.request_id, person.firm_id) for e in entries}
    row = attendance.attendance_of(event, person.id, day)
    return render_template("eventday/my_day.html", event=event, day=day, person=person, entries=entries,
                           outcomes=outcomes, attendance=row)


@bp.route("/<slug>/me/<int:participant_id>/meetings/<int:request_id>/held", methods=["POST"])
@login_required
def held(slug: str, participant_id: int, request_id: int):
    """The person's side marks a meeting held (held=1) or not held (held=0)."""
    event = event_by_slug(slug)
    person = load_or_404(Participant, participant_id)
    meeting_request = load_or_404(MeetingRequest, request_id)
    if not _may_act_for(person):
        abort(403)
    if request.form.get("held") not in ("0", "1"):
        abort(400)
    attempt(lambda: record_held(event, meeting_request, person, request.form["held"] == "1"), _("Thank you, noted."))
    return redirect(url_for(".my_day", slug=slug, participant_id=person.id, day=_day(event).isoformat()))


# --- backfill -----------------------------------------------------------------------------

@bp.route("/<slug>/backfill", methods=["GET", "POST"])
@organiser_required
def backfill(slug: str):
    """Re-plan the rest of a day around the confirmed no-shows: the run goes to the background
    and its page shows it being prepared, then the draft's diff."""
    event = event_by_slug(slug)
    running = active_job(event)
    if request.method == "GET" and is_backfill(running):
        return redirect(url_for(".backfill_run", slug=slug, job_id=running.id))
    form = BackfillForm(day=_day(event).isoformat())
    form.day.choices = [(d.isoformat(), format_day(d)) for d in event.days]
    if form.validate_on_submit():
        start = datetime.combine(date.fromisoformat(form.day.data), form.start.data, ZoneInfo(event.timezone))
        started = attempt(lambda: start_backfill(event, start, user_id=current_user.id))
        if started.ok:
            launch_backfill(started.result)
            return redirect(url_for(".backfill_run", slug=slug, job_id=started.result.id))
    day = date.fromisoformat(form.day.data) if form.day.data in dict(form.day.choices) else _day(event)
    summary = attendance.desk_day(event, day)
    return render_template("eventday/backfill.html", event=event, form=form, day=day, summary=summary)


@bp.route("/<slug>/backfill/runs/<int:job_id>")
@organiser_required
def backfill_run(slug: str, job_id: int):
    """A backfill being prepared (progress, cancel); once done, its draft's diff; else why not."""
    event = event_by_slug(slug)
    job = of_event(event, SolveJob, job_id)
    if not is_backfill(job):
        abort(404)
    if end_if_orphaned(job):
        db.session.commit()
    if job.status == JobStatus.DONE and job.result_version_id:
        flash(_("A draft for the rest of the day is ready: check the changes, then publish it from the board."),
              "success")
        return redirect(url_for("scheduling.diff", version_id=job.result_version_id))
    start = backfill_start(job)
    return render_template("eventday/backfill_run.html", event=event, job=job, state=job_state(job), start=start,
                           day=start.astimezone(ZoneInfo(event.timezone)).date())
