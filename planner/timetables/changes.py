"""What changed between two schedule versions: the one diff every caller uses.

Meetings are matched by their request (a request keeps its UID in every version), and only
live meetings count (a meeting called off after publication is already gone for its readers).
A meeting present in both versions is:

- **moved** when its time (slot) or its table differs;
- **re-staffed** when only its interpreter differs (shown apart from moves);
- **re-attended** when only the people attending differ (someone joins or leaves);
- unchanged otherwise.

"Changed" means any of the three: the meeting's calendar entry must be sent again with a higher
SEQUENCE. Per person, a meeting is *added* when the person attends it now and did not before,
*changed* when they attend it in both and it changed, *removed* when they attended it before
and do not now — either because the meeting is gone or because they no longer attend a meeting
that still happens (`PersonChanges.left`), which iTIP answers differently (RFC 5546 §3.2.5).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from planner.extensions import db
from planner.models import Meeting, ScheduleVersion
from planner.models.meetings import meeting_participants
from planner.timetables.entries import meeting_people


@dataclass
class PersonChanges:
    """One participant's view of a diff, as request ids (sorted)."""

    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)  # of `removed`: meetings that still happen without them

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass
class ScheduleDiff:
    """What `after` adds, changes and cancels compared with `before` (see the module docstring)."""

    added: list[Meeting] = field(default_factory=list)
    moved: list[tuple[Meeting, Meeting]] = field(default_factory=list)  # (before, after)
    restaffed: list[tuple[Meeting, Meeting]] = field(default_factory=list)
    reattended: list[tuple[Meeting, Meeting]] = field(default_factory=list)
    cancelled: list[Meeting] = field(default_factory=list)
    unchanged: int = 0
    before: dict[int, Meeting] = field(default_factory=dict)  # request id -> meeting
    after: dict[int, Meeting] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.moved or self.restaffed or self.reattended or self.cancelled)

    def changed_requests(self) -> set[int]:
        """Requests whose calendar entry must go out again (added or changed in any way)."""
        pairs = self.moved + self.restaffed + self.reattended
        return {m.request_id for m in self.added} | {after.request_id for _before, after in pairs}

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "moved": len(self.moved), "interpreter": len(self.restaffed),
                "people": len(self.reattended), "cancelled": len(self.cancelled), "unchanged": self.unchanged}

    def by_person(self) -> dict[int, PersonChanges]:
        """{participant id: their changes}, only people with at least one."""
        changed = self.changed_requests()
        now: dict[int, set[int]] = {}
        then: dict[int, set[int]] = {}
        for request_id, meeting in self.after.items():
            for person in meeting_people(meeting):
                now.setdefault(person.id, set()).add(request_id)
        for request_id, meeting in self.before.items():
            for person in meeting_people(meeting):
                then.setdefault(person.id, set()).add(request_id)
        result = {}
        for person_id in sorted(set(now) | set(then)):
            current, earlier = now.get(person_id, set()), then.get(person_id, set())
            removed = sorted(earlier - current)
            changes = PersonChanges(added=sorted(current - earlier), changed=sorted((current & earlier) & changed),
                                    removed=removed, left=[r for r in removed if r in self.after])
            if changes:
                result[person_id] = changes
        return result


def live_meetings(meetings: Iterable[Meeting]) -> list[Meeting]:
    return [m for m in meetings if m.cancelled_at is None]


def _people(meeting: Meeting) -> tuple[int, ...]:
    return tuple(sorted(p.id for p in meeting_people(meeting)))


def diff_meetings(before: Iterable[Meeting], after: Iterable[Meeting]) -> ScheduleDiff:
    """The diff of two lists of meetings (cancelled ones are ignored)."""
    old = {m.request_id: m for m in live_meetings(before)}
    new = {m.request_id: m for m in live_meetings(after)}
    diff = ScheduleDiff(before=old, after=new)
    for request_id, meeting in sorted(new.items()):
        previous = old.get(request_id)
        if previous is None:
            diff.added.append(meeting)
        elif (previous.slot_id, previous.table_id) != (meeting.slot_id, meeting.table_id):
            diff.moved.append((previous, meeting))
        elif previous.interpreter_id != meeting.interpreter_id:
            diff.restaffed.append((previous, meeting))
        elif _people(previous) != _people(meeting):
            diff.reattended.append((previous, meeting))
        else:
            diff.unchanged += 1
    diff.cancelled = [meeting for request_id, meeting in sorted(old.items()) if request_id not in new]
    return diff


def diff_counts(before: ScheduleVersion | None, after: ScheduleVersion | None) -> dict[str, int]:
    """`diff_versions(before, after).counts()` read from columns, without loading a meeting as
    an object: what the board and the versions list show beside a draft of a large round (two
    versions of thousands of meetings) in three queries. Same definitions as `diff_meetings`."""
    versions = [v.id for v in (before, after) if v is not None]
    rows = db.session.execute(
        select(Meeting.id, Meeting.version_id, Meeting.request_id, Meeting.slot_id, Meeting.table_id, Meeting.interpreter_id)
        .where(Meeting.version_id.in_(versions), Meeting.cancelled_at.is_(None))).all() if versions else []
    old = {r.request_id: r for r in rows if before is not None and r.version_id == before.id}
    new = {r.request_id: r for r in rows if after is not None and r.version_id == after.id}
    people: dict[int, list[int]] = {}
    for meeting_id, person_id in db.session.execute(
            select(meeting_participants.c.meeting_id, meeting_participants.c.participant_id)
            .join(Meeting, Meeting.id == meeting_participants.c.meeting_id)
            .where(Meeting.version_id.in_(versions), Meeting.cancelled_at.is_(None))) if versions else []:
        people.setdefault(meeting_id, []).append(person_id)

    def attendees(meeting_id: int) -> tuple[int, ...]:
        if meeting_id in people:
            return tuple(sorted(people[meeting_id]))
        return _people(db.session.get(Meeting, meeting_id))  # no stored people: both firms' (rare)

    counts = {"added": 0, "moved": 0, "interpreter": 0, "people": 0, "cancelled": 0, "unchanged": 0}
    for request_id, meeting in new.items():
        previous = old.get(request_id)
        if previous is None:
            counts["added"] += 1
        elif (previous.slot_id, previous.table_id) != (meeting.slot_id, meeting.table_id):
            counts["moved"] += 1
        elif previous.interpreter_id != meeting.interpreter_id:
            counts["interpreter"] += 1
        elif attendees(previous.id) != attendees(meeting.id):
            counts["people"] += 1
        else:
            counts["unchanged"] += 1
    counts["cancelled"] = len(old.keys() - new.keys())
    return counts


def diff_versions(before: ScheduleVersion | None, after: ScheduleVersion | None) -> ScheduleDiff:
    """What `after` adds, changes and cancels compared with `before` (None: an empty schedule)."""
    return diff_meetings(before.meetings if before is not None else [], after.meetings if after is not None else [])
