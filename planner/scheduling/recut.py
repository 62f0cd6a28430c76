"""A new slot length (or break) for a round that has sessions: every session is cut again.

`plan_recut` says, without changing anything, what a new length does to each session: its
slots before and after, and the meetings that lose their slot (live meetings of the published
version and of drafts). The organiser sees that as a preview and confirms; `apply_recut` then
re-plans exactly what was shown (the preview's `digest` must still match, else nothing changes).

What a re-cut does:
- a slot whose start and end stay the same is kept (same id): its meetings stay where they are;
- every other slot leaves the session: deleted when no meeting of any version names it, else
  retired (`Slot.retired_at`), so called-off and earlier versions keep telling the truth;
- new slots are cut by `events.services.slot_times`, the one rule for cutting a session;
- an interpreter unavailable in a slot that leaves is unavailable in the new slots overlapping it;
- a draft's meetings in a slot that leaves are taken out of the draft and listed as unscheduled
  ("slot_changed"); the published version's are called off at once (`propagation`, reason
  `slot_changed`), which queues their CANCELs, and appear under "needs attention".
Functions flush; the view commits.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from planner.errors import ServiceError
from planner.events.services import event_sessions, slot_times
from planner.extensions import db
from planner.models import Event, EventSession, Meeting, ScheduleVersion, Slot
from planner.models.base import utcnow
from planner.models.enums import VersionStatus
from planner.models.shapes import UnscheduledEntry
from planner.scheduling.drafts import refresh_figures
from planner.signals import facts_changed
from planner.text.i18n import _, current_locale, format_clock, format_day, local_digits, ngettext

SLOT_CHANGED = "slot_changed"  # the reason code of a draft's meeting whose slot left the cut


@dataclass
class SessionCut:
    """One session before and after the re-cut."""

    session: EventSession
    before: list[Slot]
    after: list[tuple[datetime, datetime]]
    kept: set[int] = field(default_factory=set)  # ids of the slots whose times stay
    lost: list[Meeting] = field(default_factory=list)  # live draft and published meetings in slots that leave

    @property
    def before_times(self) -> list[tuple[datetime, datetime]]:
        return [(slot.start_dt, slot.end_dt) for slot in self.before]

    @property
    def leaving(self) -> list[Slot]:
        return [slot for slot in self.before if slot.id not in self.kept]

    @property
    def changed(self) -> bool:
        return bool(self.leaving) or len(self.after) != len(self.kept)


@dataclass
class RecutPlan:
    """What a new slot length does to a round, session by session."""

    event: Event
    slot_minutes: int
    break_minutes: int
    sessions: list[SessionCut]

    @property
    def lost_published(self) -> list[Meeting]:
        return [m for cut in self.sessions for m in cut.lost if m.version.status == VersionStatus.PUBLISHED]

    @property
    def lost_draft(self) -> list[Meeting]:
        return [m for cut in self.sessions for m in cut.lost if m.version.status == VersionStatus.DRAFT]

    @property
    def digest(self) -> str:
        """Fingerprint of the preview: the confirmation applies only the plan that was shown."""
        parts = [f"{self.slot_minutes}/{self.break_minutes}"]
        for cut in self.sessions:
            parts.append(f"{cut.session.id}:{','.join(str(s.id) for s in cut.before)}"
                         f":{','.join(str(m.id) for m in cut.lost)}")
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def _check(slot_minutes: int, break_minutes: int) -> None:
    if not 5 <= slot_minutes <= 240 or not 0 <= break_minutes <= 120:
        raise ServiceError(_("Slots last 5 to 240 minutes, breaks 0 to 120."), "slot_minutes")


def plan_recut(event: Event, slot_minutes: int, break_minutes: int) -> RecutPlan:
    """Each session's slots before and after a change to `slot_minutes` and `break_minutes`,
    and the meetings that would lose their slot; changes nothing. ServiceError (translated,
    field "slot_minutes") when a length is out of range or a session is shorter than one slot."""
    _check(slot_minutes, break_minutes)
    cuts = []
    for session in event_sessions(event):
        after = slot_times(session.start_dt, session.end_dt, slot_minutes, break_minutes)
        if not after:
            zone, locale = ZoneInfo(event.timezone), current_locale()
            raise ServiceError(ngettext("The session of %(day)s, %(start)s–%(end)s, is shorter than one slot of %(num)s minute.",
                                        "The session of %(day)s, %(start)s–%(end)s, is shorter than one slot of %(num)s minutes.",
                                        slot_minutes, day=format_day(session.start_dt.astimezone(zone).date(), locale, "medium"),
                                        start=format_clock(session.start_dt, event.timezone),
                                        end=format_clock(session.end_dt, event.timezone), num=local_digits(slot_minutes)),
                               "slot_minutes")
        before = list(session.slots)
        times = set(after)
        cuts.append(SessionCut(session, before, after, {s.id for s in before if (s.start_dt, s.end_dt) in times}))
    leaving = {slot.id: cut for cut in cuts for slot in cut.leaving}
    if leaving:
        lost = db.session.scalars(select(Meeting).join(ScheduleVersion).where(
            Meeting.slot_id.in_(list(leaving)), Meeting.cancelled_at.is_(None),
            ScheduleVersion.status.in_([VersionStatus.DRAFT, VersionStatus.PUBLISHED])).order_by(Meeting.id))
        for meeting in lost:
            leaving[meeting.slot_id].lost.append(meeting)
    return RecutPlan(event, slot_minutes, break_minutes, cuts)


def _carry_unavailability(event: Event, leaving: dict[int, Slot], added: list[Slot]) -> None:
    """An interpreter unavailable in a slot that leaves is unavailable in the new slots over it."""
    for interpreter in event.interpreters:
        gone = [slot for slot in interpreter.unavailable_slots if slot.id in leaving]
        if not gone:
            continue
        carried = [new for new in added if any(new.start_dt < old.end_dt and old.start_dt < new.end_dt for old in gone)]
        stays = [slot for slot in interpreter.unavailable_slots if slot.id not in leaving]
        interpreter.unavailable_slots = stays + [slot for slot in carried if slot not in stays]


def _take_out_of_drafts(meetings: list[Meeting]) -> dict[ScheduleVersion, set[int]]:
    """Drafts lose the meetings whose slot leaves; returns each draft with the requests it lost."""
    lost: dict[ScheduleVersion, set[int]] = {}
    for meeting in meetings:
        version = meeting.version
        lost.setdefault(version, set()).add(meeting.request_id)
        version.meetings.remove(meeting)
    for version in lost:
        version.lock_version += 1
    db.session.flush()
    return lost


def _list_as_unscheduled(lost: dict[ScheduleVersion, set[int]]) -> None:
    """The drafts' figures on the new cut; the requests they lost are unscheduled for that reason."""
    for version, requests in lost.items():
        refresh_figures(version)
        version.unscheduled = [UnscheduledEntry(**dict(entry, reason=SLOT_CHANGED)) if entry.get("request_id") in requests
                               else entry for entry in version.unscheduled]


def apply_recut(event: Event, slot_minutes: int, break_minutes: int, digest: str) -> RecutPlan:
    """Re-cut every session as `plan_recut` showed it (see the module). ServiceError when the
    round changed since the preview (`digest` differs): nothing is changed then."""
    plan = plan_recut(event, slot_minutes, break_minutes)
    if plan.digest != digest:
        raise ServiceError(_("The round changed since this preview; check the preview again."))
    now = utcnow()
    leaving = {slot.id: slot for cut in plan.sessions for slot in cut.leaving}
    drafts = _take_out_of_drafts(plan.lost_draft)
    named = set(db.session.scalars(select(Meeting.slot_id).where(Meeting.slot_id.in_(list(leaving))))) if leaving else set()
    added: list[Slot] = []
    for cut in plan.sessions:
        kept = {(s.start_dt, s.end_dt) for s in cut.before if s.id in cut.kept}
        for start, end in cut.after:
            if (start, end) not in kept:
                slot = Slot(start_dt=start, end_dt=end)
                cut.session.slots.append(slot)
                added.append(slot)
    db.session.flush()
    _carry_unavailability(event, leaving, added)
    for cut in plan.sessions:
        for slot in cut.leaving:
            if slot.id in named:
                slot.retired_at = now  # meetings (called off, or of earlier versions) still name it
            else:
                cut.session.slots.remove(slot)
        db.session.flush()
        db.session.expire(cut.session, ["slots"])
    event.slot_minutes, event.break_minutes = slot_minutes, break_minutes
    db.session.flush()
    _list_as_unscheduled(drafts)
    db.session.flush()
    facts_changed(event.id)  # the published meetings in retired slots are called off now
    return plan
