"""The organiser's scheduling pages: run the scheduler with a live progress bar, the board
(tables × slots per session) with moves, locks and hand placement, versions with their
diffs, and publishing."""
from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from planner.access import load_or_404, of_event, organiser_required
from planner.actions import attempt
from planner.errors import ServiceError
from planner.events.forms import MoveForm, PlaceForm, PublishForm, SolveForm, choices
from planner.events.services import event_sessions
from planner.extensions import db
from planner.models import Event, Meeting, MeetingRequest, MeetingTable, ScheduleVersion, Slot, SolveJob
from planner.models.enums import VersionStatus
from planner.notifications.outbox import delivery_counts, resend_failed
from planner.paging import page_url, requested_page
from planner.scheduling import board as board_service
from planner.scheduling import publishing, solving
from planner.scheduling.board_view import MOVE_LIST_MAX, board_view, left_out
from planner.scheduling.explain import unscheduled_text, zero_label
from planner.scheduling.propagation import cancel_reason_label, needs_attention
from planner.scheduling.versions import published_version
from planner.text.i18n import _, current_locale, format_clock, format_day, local_digits, ngettext
from planner.urls import database_int, safe_next

bp = Blueprint("scheduling", __name__, url_prefix="/organiser")


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/events/<int:event_id>/schedule")
@organiser_required
def overview(event_id: int):
    """The scheduler run (with progress), and every version of the event's schedule."""
    event = load_or_404(Event, event_id)
    solving.expire_stale_jobs(event)  # a run whose worker died ends here and the Run button returns
    db.session.commit()
    versions = db.session.scalars(select(ScheduleVersion).where(ScheduleVersion.event_id == event.id)
                                  .order_by(ScheduleVersion.number.desc())).all()
    published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    diffs = {v.id: publishing.diff_counts(published, v) for v in versions
             if v.status == VersionStatus.DRAFT and published is not None}
    job = solving.active_job(event)
    last_job = job or db.session.scalar(select(SolveJob).where(SolveJob.event_id == event.id)
                                        .order_by(SolveJob.id.desc()).limit(1))
    mail = delivery_counts([v.id for v in versions if v.published_at is not None])
    return render_template("scheduling/overview.html", event=event, versions=versions, published=published,
                           diffs=diffs, job=last_job, form=SolveForm(), job_state=solving.job_state(last_job) if last_job else None,
                           mail=mail, attention=needs_attention(published), cancel_reason_label=cancel_reason_label)


@bp.route("/events/<int:event_id>/replan", methods=["POST"])
@organiser_required
def replan(event_id: int):
    """One click after a change to the published schedule: a run that stays as close as it can
    to the published version, so the freed slots are filled with as few moves as possible."""
    event = load_or_404(Event, event_id)
    started = attempt(lambda: solving.start_solve(event, time_limit_s=solving.SOLVE_TIME_LIMIT_S, user_id=current_user.id),
                      _("The scheduler is re-planning; open the new draft when it is done."), category="info")
    if started.ok:
        solving.launch_solve(started.result)
    return redirect(url_for("scheduling.overview", event_id=event.id))


@bp.route("/versions/<int:version_id>/resend-mail", methods=["POST"])
@organiser_required
def resend_mail(version_id: int):
    """Queue the failed messages of a publish again."""
    version = load_or_404(ScheduleVersion, version_id)
    count = resend_failed(version.id)
    db.session.commit()
    flash(ngettext("%(num)s message queued again.", "%(num)s messages queued again.", count), "success")
    return redirect(url_for("scheduling.overview", event_id=version.event_id) + "#versions")


@bp.route("/events/<int:event_id>/solve", methods=["POST"])
@organiser_required
def solve(event_id: int):
    """Start a scheduler run in the background."""
    event = load_or_404(Event, event_id)
    form = SolveForm()
    if not form.validate_on_submit():
        flash(_("Please correct the highlighted fields."), "error")
    else:
        started = attempt(lambda: solving.start_solve(event, time_limit_s=form.time_limit.data, user_id=current_user.id,
                                                      method=form.method.data))
        if started.ok:
            solving.launch_solve(started.result)
    return redirect(url_for("scheduling.overview", event_id=event.id))


def _polled_job(job_id: int) -> tuple[SolveJob, dict]:
    """The run and its state for a poll; a run whose worker died is ended here (and committed),
    so every poller sees the same answer."""
    job = load_or_404(SolveJob, job_id)
    if solving.end_if_orphaned(job):
        db.session.commit()
    return job, solving.job_state(job)


@bp.route("/jobs/<int:job_id>.json")
@organiser_required
def job_json(job_id: int):
    """Progress of a run, polled by the progress bar."""
    job, state = _polled_job(job_id)
    if job.result_version_id:
        state["board_url"] = url_for("scheduling.board", version_id=job.result_version_id)
    return jsonify(state)


@bp.route("/jobs/<int:job_id>/progress")
@organiser_required
def job_progress(job_id: int):
    """The run's progress as a fragment, polled by htmx; a finished run says so (HX-Trigger)."""
    job, state = _polled_job(job_id)
    response = make_response(render_template("scheduling/_job.html", job=job, job_state=state))
    if state["finished"]:
        response.headers["HX-Trigger"] = "solve-finished"
    return response


@bp.route("/jobs/<int:job_id>/cancel", methods=["POST"])
@organiser_required
def cancel(job_id: int):
    job = load_or_404(SolveJob, job_id)
    cancelled = attempt(lambda: solving.request_cancel(job), _("The run is being cancelled."), category="info",
                        quiet=_wants_json())
    if not _wants_json():
        # the page the cancel came from (the event day's backfill run), else the scheduler's page
        return redirect(safe_next(request.form.get("next"), url_for("scheduling.overview", event_id=job.event_id)))
    if not cancelled.ok:
        return jsonify(ok=False, error=cancelled.error.message), 409
    return jsonify(ok=True, state=solving.job_state(job))


def _slot_label(slot: Slot, event: Event) -> str:

    locale = current_locale()
    local = slot.start_dt.astimezone(ZoneInfo(event.timezone))
    return f"{format_day(local.date(), locale, 'medium')} {format_clock(slot.start_dt, event.timezone)}"


@bp.route("/versions/<int:version_id>")
@organiser_required
def board(version_id: int):
    """The board of one version: grids, filter, unscheduled meetings, figures, publish."""
    version = load_or_404(ScheduleVersion, version_id)
    event = version.event
    participant_id = request.args.get("participant", type=database_int)
    all_tables = request.args.get("tables") == "all"
    day = request.args.get("day") or None
    view = board_view(version, day=_parse_day(day), all_days=day == "all", all_tables=all_tables,
                      participant_id=participant_id, find=request.args.get("find"), locale=current_locale(),
                      tables_page_number=requested_page("tables_page"))
    rest = left_out(version, requested_page("unscheduled_page"), requested_page("zero_page"))
    slots = [slot for session in event_sessions(event) for slot in session.slots]
    slot_choices = choices([(slot.id, _slot_label(slot, event)) for slot in slots])
    table_choices = choices([(table.id, table.name) for table in event.tables])
    move_form = MoveForm(expected_lock=version.lock_version)
    move_form.slot_id.choices, move_form.table_id.choices = slot_choices, table_choices
    place_form = PlaceForm(expected_lock=version.lock_version)
    place_form.slot_id.choices, place_form.table_id.choices = slot_choices, table_choices
    published = published_version(event)
    diff = publishing.diff_counts(published, version) if published is not None and published.id != version.id else None
    publish_form = PublishForm(expected_revision=event.schedule_revision, expected_lock=version.lock_version)
    return render_template("scheduling/board.html", version=version, event=event, grids=view.grids,
                           all_tables=all_tables, participant_id=participant_id, highlighted=view.highlighted,
                           movable=view.movable, board=view, find=request.args.get("find", ""),
                           board_day=(view.day.isoformat() if view.day else ("all" if day == "all" else None)),
                           sides=rest.sides, unscheduled=rest.unscheduled, requests=rest.requests, zero=rest.zero,
                           firms=rest.firms, unscheduled_url=page_url("unscheduled_page", "unscheduled"),
                           zero_url=page_url("zero_page", "zero"), tables_url=page_url("tables_page", "board"),
                           move_form=move_form,
                           place_form=place_form, publish_form=publish_form, diff=diff, published=published,
                           unscheduled_text=unscheduled_text, zero_label=zero_label, move_list_max=MOVE_LIST_MAX,
                           attention=needs_attention(version), cancel_reason_label=cancel_reason_label)


def _parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text and text != "all" else None
    except ValueError:
        return None


def _board_redirect(version: ScheduleVersion):
    participant = request.form.get("participant") or None
    tables = "all" if request.form.get("tables") == "all" else None
    # the day shown: the form's, else the one the organiser was looking at (lock buttons carry none)
    day = request.form.get("day") or parse_qs(urlsplit(request.referrer or "").query).get("day", [None])[0]
    return redirect(url_for("scheduling.board", version_id=version.id, participant=participant, tables=tables,
                            day=day if day == "all" or _parse_day(day) else None))


def _change_result(version: ScheduleVersion, change, message: str):
    """One change on the board (`change`, a call of a board service): answered in JSON to a drag
    and drop, else flashed, back to the board where the organiser was."""
    changed = attempt(change, message, quiet=_wants_json())
    if not _wants_json():
        return _board_redirect(version)
    if not changed.ok:
        return jsonify(ok=False, error=changed.error.message), 409
    return jsonify(ok=True, message=message, lock_version=version.lock_version)


def _slot_and_table(form: MoveForm | PlaceForm, version: ScheduleVersion) -> tuple[Slot, MeetingTable]:
    """The slot and table a board form chose among the version's round's; a form that is not
    valid is refused like a broken rule, so a drag and drop hears it in JSON too."""
    form.slot_id.choices = choices([(s.id, "") for session in event_sessions(version.event) for s in session.slots])
    form.table_id.choices = choices([(t.id, "") for t in version.event.tables])
    if not form.validate_on_submit():
        raise ServiceError(_("Choose a slot and a table."))
    return db.session.get(Slot, form.slot_id.data), db.session.get(MeetingTable, form.table_id.data)


@bp.route("/versions/<int:version_id>/move", methods=["POST"])
@organiser_required
def move(version_id: int):
    """Move a meeting to another slot or table (drag and drop, or the form)."""
    version = load_or_404(ScheduleVersion, version_id)
    form = MoveForm()

    def change():
        slot, table = _slot_and_table(form, version)
        meeting = load_or_404(Meeting, form.meeting_id.data)
        if meeting.version_id != version.id:
            abort(404)
        board_service.move_meeting(meeting, slot, table, expected_lock=form.expected_lock.data)

    return _change_result(version, change, _("The meeting was moved."))


@bp.route("/versions/<int:version_id>/place", methods=["POST"])
@organiser_required
def place(version_id: int):
    """Schedule an unscheduled request by hand."""
    version = load_or_404(ScheduleVersion, version_id)
    form = PlaceForm()

    def change():
        slot, table = _slot_and_table(form, version)
        meeting_request = of_event(version.event, MeetingRequest, form.request_id.data)
        board_service.place_request(version, meeting_request, slot, table, expected_lock=form.expected_lock.data)

    return _change_result(version, change, _("The meeting was scheduled."))


@bp.route("/meetings/<int:meeting_id>/lock", methods=["POST"])
@organiser_required
def lock(meeting_id: int):
    """Lock a meeting in place (re-runs keep it), or unlock it."""
    meeting = load_or_404(Meeting, meeting_id)
    locked = request.form.get("locked") == "1"
    return _change_result(meeting.version, lambda: board_service.set_locked(meeting, locked),
                          _("The meeting is locked.") if locked else _("The meeting is unlocked."))


@bp.route("/meetings/<int:meeting_id>/unschedule", methods=["POST"])
@organiser_required
def unschedule(meeting_id: int):
    """Take a meeting out of the draft (its request goes back to the unscheduled)."""
    meeting = load_or_404(Meeting, meeting_id)
    return _change_result(meeting.version, lambda: board_service.unschedule_meeting(meeting),
                          _("The meeting was taken out of the schedule."))


@bp.route("/versions/<int:version_id>/publish", methods=["GET", "POST"])
@organiser_required
def publish(version_id: int):
    """GET: who would be notified, and a confirmation. POST: publish the draft; refused when
    someone else published or changed it since the preview was shown."""
    version = load_or_404(ScheduleVersion, version_id)
    form = PublishForm()
    if request.method == "GET":
        if version.status != VersionStatus.DRAFT:
            return redirect(url_for("scheduling.board", version_id=version.id))
        form.expected_revision.data, form.expected_lock.data = str(version.event.schedule_revision), str(version.lock_version)
        return render_template("scheduling/publish.html", version=version, event=version.event, form=form,
                               preview=publishing.publish_preview(version))
    if not form.validate_on_submit() or not form.expected_revision.data.isdigit() or not form.expected_lock.data.isdigit():
        abort(400)
    attempt(lambda: publishing.publish_version(version, expected_revision=int(form.expected_revision.data),
                                               expected_lock=int(form.expected_lock.data), user_id=current_user.id),
            lambda diff: _published_message(version, diff.counts()))
    return redirect(url_for("scheduling.board", version_id=version.id))


def _published_message(version: ScheduleVersion, counts: dict) -> str:
    # an interpreter or attendee change is not a move: counted apart, as `timetables.changes` does
    return _("Version %(number)s is published: %(added)s added, %(moved)s moved, %(interpreter)s with another "
             "interpreter, %(people)s with other attendees, %(cancelled)s cancelled. Participants are being notified.",
             number=local_digits(version.number), added=local_digits(counts["added"]), moved=local_digits(counts["moved"]),
             interpreter=local_digits(counts["interpreter"]), people=local_digits(counts["people"]),
             cancelled=local_digits(counts["cancelled"]))


@bp.route("/versions/<int:version_id>/copy", methods=["POST"])
@organiser_required
def copy(version_id: int):
    """An editable draft copy of a version."""
    version = load_or_404(ScheduleVersion, version_id)
    copied = attempt(lambda: publishing.copy_version(version, user_id=current_user.id),
                     lambda draft: _("Draft %(number)s was made from version %(source)s.", number=draft.number,
                                     source=version.number))
    if not copied.ok:
        return redirect(url_for("scheduling.overview", event_id=version.event_id))
    return redirect(url_for("scheduling.board", version_id=copied.result.id))


@bp.route("/versions/<int:version_id>/discard", methods=["POST"])
@organiser_required
def discard(version_id: int):
    """Discard a draft."""
    version = load_or_404(ScheduleVersion, version_id)
    if not attempt(lambda: publishing.discard_version(version), _("The draft was discarded.")).ok:
        return redirect(url_for("scheduling.board", version_id=version.id))
    return redirect(url_for("scheduling.overview", event_id=version.event_id))


@bp.route("/versions/<int:version_id>/diff")
@organiser_required
def diff(version_id: int):
    """What a version changes against the one it replaced (or the published one)."""
    version = load_or_404(ScheduleVersion, version_id)
    against_id = request.args.get("against", type=database_int)
    if against_id:
        against = load_or_404(ScheduleVersion, against_id)
    elif version.status in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED):
        against = db.session.scalar(select(ScheduleVersion).where(
            ScheduleVersion.event_id == version.event_id, ScheduleVersion.number < version.number,
            ScheduleVersion.published_at.is_not(None)).order_by(ScheduleVersion.number.desc()).limit(1))
    else:
        against = published_version(version.event)
        if against is not None and against.id == version.id:
            against = None
    if against is not None and against.event_id != version.event_id:
        abort(404)
    changes = publishing.diff_versions(against, version)
    return render_template("scheduling/diff.html", version=version, against=against, changes=changes,
                           event=version.event, slot_label=_slot_label)
