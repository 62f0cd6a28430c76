"""Publishing a draft schedule: atomic, guarded by an optimistic version check, with a
diff (`timetables.changes`) against the version it replaces and the iCalendar
SEQUENCE of every meeting that changed.

`Event.schedule_revision` counts publishes. An organiser publishes "revision r"; the
UPDATE that raises it to r+1 matches no row when someone else published in between,
so two organisers publishing at once are told, never silently overwritten. The draft's
own `lock_version` (raised by every manual move) catches a board changed meanwhile.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select, update

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import Event, Meeting, MeetingRequest, Participant, ScheduleVersion
from planner.models.base import utcnow
from planner.models.enums import VersionStatus
from planner.notifications import invites
from planner.scheduling.board import violation_message
from planner.scheduling.translate import build_problem, version_assignments
from planner.scheduling.versions import add_numbered, published_version
from planner.text.i18n import _, _l, local_digits, ngettext
from planner.timetables import artefacts, changes
from planner.timetables.changes import ScheduleDiff
from planner.timetables.entries import recipient_locale
from planner.timetables.feeds import assign_uid
from solver.validate import check

VERSION_STATUS = {
    VersionStatus.DRAFT: _l("draft"),
    VersionStatus.PUBLISHED: _l("published"),
    VersionStatus.SUPERSEDED: _l("superseded"),
    VersionStatus.DISCARDED: _l("discarded"),
}


def version_status_label(code: str) -> str:
    return str(VERSION_STATUS.get(code, code))


class PublishConflict(ServiceError):
    """Someone published or changed the schedule since the organiser looked."""


def diff_versions(before: ScheduleVersion | None, after: ScheduleVersion) -> ScheduleDiff:
    """What `after` adds, moves and cancels compared with `before`: `timetables.changes`,
    the one diff (and the one meaning of "changed") that publishing and the e-mails share."""
    return changes.diff_versions(before, after)


def diff_counts(before: ScheduleVersion | None, after: ScheduleVersion) -> dict[str, int]:
    """`diff_versions(before, after).counts()` without loading the meetings (`changes.diff_counts`)."""
    return changes.diff_counts(before, after)


def _check_still_valid(version: ScheduleVersion) -> None:
    """The draft must still keep every hard rule against today's rows (a day may have been
    closed, a person's days changed); must-meets accepted since the solve do not block."""

    translation = build_problem(version.event, with_fixed=False)
    known = {m.id for m in translation.problem.meetings}
    slots = {s.id for s in translation.problem.slots}
    lost = [a for a in version_assignments(version) if a.meeting not in known or a.slot not in slots]
    if lost:
        raise ServiceError(ngettext(
            "%(num)s meeting of this draft is no longer possible (a request was withdrawn or a day was closed). "
            "Re-run the scheduler first.",
            "%(num)s meetings of this draft are no longer possible (a request was withdrawn or a day was closed). "
            "Re-run the scheduler first.", len(lost), num=local_digits(len(lost))))
    report = check(translation.problem, version_assignments(version))
    broken = [v for v in report.violations if v.code != "required_unscheduled"]
    if broken:
        raise ServiceError(violation_message(broken[0], version.event))


def publish_version(version: ScheduleVersion, *, expected_revision: int, expected_lock: int | None = None,
                    user_id: int | None = None) -> ScheduleDiff:
    """Make the draft `version` the published schedule of its event, atomically.

    Raises PublishConflict when the event's schedule revision is no longer
    `expected_revision` (or the draft's lock_version no longer `expected_lock`).
    """
    event = version.event
    if version.status != VersionStatus.DRAFT:
        raise ServiceError(_("Only a draft can be published."))
    claimed = db.session.execute(
        update(Event).where(Event.id == event.id, Event.schedule_revision == expected_revision)
        .values(schedule_revision=Event.schedule_revision + 1).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise PublishConflict(_("Another organiser published a schedule for this event in the meantime. "
                                "Reload the page to see it before publishing."))
    if expected_lock is not None:
        kept = db.session.execute(
            update(ScheduleVersion).where(ScheduleVersion.id == version.id, ScheduleVersion.lock_version == expected_lock,
                                          ScheduleVersion.status == VersionStatus.DRAFT)
            .values(lock_version=ScheduleVersion.lock_version + 1).execution_options(synchronize_session=False))
        if kept.rowcount != 1:
            raise PublishConflict(_("This draft was changed in the meantime. Reload the page to see the changes."))
    db.session.expire(event, ["schedule_revision"])
    db.session.expire(version, ["lock_version"])
    _check_still_valid(version)

    previous = published_version(event)
    diff = diff_versions(previous, version)
    requests = {r.id: r for r in db.session.scalars(select(MeetingRequest).where(MeetingRequest.id.in_(
        [m.request_id for m in version.meetings] + [m.request_id for m in diff.cancelled])))}
    changed = diff.changed_requests()
    for meeting in version.meetings:
        request = requests[meeting.request_id]
        if meeting.request_id in changed:
            request.ical_sequence += 1
        meeting.sequence = max(0, request.ical_sequence)
        assign_uid(request)
    for meeting in diff.cancelled:
        requests[meeting.request_id].ical_sequence += 1  # the CANCEL goes out with a higher SEQUENCE
    now = utcnow()
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
        db.session.flush()  # one published version at a time
    version.status, version.published_at, version.published_by_id = VersionStatus.PUBLISHED, now, user_id
    stats = dict(version.stats or {})
    stats["diff"] = {**diff.counts(), "against": previous.number if previous is not None else None}
    version.stats = stats
    db.session.flush()

    invites.queue_publish_notices(event.id, version.id, previous.id if previous is not None else None)
    artefacts.prebuild_after_commit(version.id)  # the feeds, built once, off the request
    return diff


def discard_version(version: ScheduleVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ServiceError(_("Only a draft can be discarded."))
    version.status = VersionStatus.DISCARDED
    db.session.flush()


def copy_version(version: ScheduleVersion, user_id: int | None = None) -> ScheduleVersion:
    """A new draft with the same meetings, to adjust by hand."""

    copy = ScheduleVersion(event_id=version.event_id, status=VersionStatus.DRAFT,
                           based_on_id=version.id, created_by_id=user_id, stats=dict(version.stats or {}),
                           unscheduled=list(version.unscheduled or []))
    copy.stats.pop("diff", None)
    add_numbered(copy)
    for meeting in version.live_meetings:
        clone = Meeting(request_id=meeting.request_id, slot_id=meeting.slot_id, table_id=meeting.table_id,
                        interpreter_id=meeting.interpreter_id, locked=meeting.locked, sequence=meeting.sequence)
        clone.participants = list(meeting.participants)
        copy.meetings.append(clone)
    db.session.flush()
    return copy


# --- the publish preview: who would be notified, before anything is queued -----------------

@dataclass
class PublishPreview:
    """People (not meetings) a publish concerns: how many get a new, a changed or a cancelled
    meeting (one person may be in several groups), how many e-mails are queued and in which
    languages, and who has no e-mail address to write to."""

    meetings: ScheduleDiff
    people_new: int = 0
    people_changed: int = 0
    people_cancelled: int = 0
    emails: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    without_email: list[Participant] = field(default_factory=list)


def publish_preview(version: ScheduleVersion) -> PublishPreview:
    """What publishing the draft `version` now would send (nothing is written)."""
    previous = published_version(version.event)
    if previous is not None and previous.id == version.id:
        previous = None
    preview = PublishPreview(meetings=diff_versions(previous, version))
    # The per-person comparison queue_publish_notices() makes after the publish: one source.
    languages: Counter[str] = Counter()
    for person_id, person_changes in preview.meetings.by_person().items():
        person = db.session.get(Participant, person_id)
        if person is None:
            continue
        preview.people_new += bool(person_changes.added)
        preview.people_changed += bool(person_changes.changed)
        preview.people_cancelled += bool(person_changes.removed)
        if not person.email:
            preview.without_email.append(person)
            continue
        # One iTIP message per meeting added, changed or removed for them, then their digest.
        messages = len(person_changes.added) + len(person_changes.changed) + len(person_changes.removed) + 1
        preview.emails += messages
        languages[recipient_locale(person)] += messages
    preview.languages = dict(languages.most_common())
    return preview
