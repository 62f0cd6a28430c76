"""Published artefacts built once: calendar feeds and large PDFs are rendered once per
published state and language and kept as files (`KARVAN_ARTEFACT_DIR`, by default
instance/artefacts, which nginx may serve), so a calendar app polling every few minutes costs
two small queries and a file read, and nobody waits on WeasyPrint for a big PDF.

A feed's key is the published state of the rounds its reader takes part in (`publish_stamp`
of the reader's firms): a publish gives the feeds of that round's people a new key, and the
background job started by the publish builds them; everybody else's feed keeps its key, its
ETag and its stored file. Large PDFs (more than PDF_INLINE_MAX sheets) are built by a
background task; the page asking for one says it is being prepared until the file exists.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import Select, func, or_, select

from planner.extensions import db
from planner.jobs import enqueue, enqueue_after_commit, task
from planner.models import Delegation, Event, Meeting, MeetingRequest, Participant, ScheduleVersion, delegation_members
from planner.models.enums import VersionStatus
from planner.timetables import entries as tt
from planner.timetables import feeds

log = logging.getLogger(__name__)
PDF_INLINE_MAX = 20  # sheets (printed pages, about 0.1 s each in WeasyPrint) rendered while the reader waits


def artefact_dir() -> Path:
    return Path(current_app.config.get("KARVAN_ARTEFACT_DIR") or Path(current_app.instance_path) / "artefacts")


def publish_stamp(firm_ids: Select | Iterable[int] | None = None) -> tuple[str, datetime | None]:
    """(key of the published state, when it last changed): one query over the published versions
    of the rounds where `firm_ids` (ids, or a SELECT of ids) have a meeting request; of every
    round when None.

    The state changes with a publish and also without one: a meeting called off after
    publication (`cancelled_at`) or a person taken off it (its SEQUENCE rises) must not leave
    a stored feed stale, so both are part of the key."""
    query = (select(ScheduleVersion.id, ScheduleVersion.published_at, func.count(Meeting.cancelled_at),
                    func.max(Meeting.cancelled_at), func.coalesce(func.sum(Meeting.sequence), 0))
             .outerjoin(Meeting, Meeting.version_id == ScheduleVersion.id)
             .where(ScheduleVersion.status == VersionStatus.PUBLISHED))
    if firm_ids is not None:
        firms = firm_ids if isinstance(firm_ids, Select) else list(firm_ids)
        rounds = select(MeetingRequest.event_id).where(
            or_(MeetingRequest.requester_firm_id.in_(firms), MeetingRequest.target_firm_id.in_(firms)))
        query = query.where(ScheduleVersion.event_id.in_(rounds))
    rows = db.session.execute(query.group_by(ScheduleVersion.id, ScheduleVersion.published_at)
                              .order_by(ScheduleVersion.id)).all()
    # the publication times too: a database restored or rebuilt reuses ids, never these instants
    key = hashlib.sha256(",".join(f"{row[0]}@{row[1]}:{row[2]}:{row[3]}:{row[4]}" for row in rows).encode()).hexdigest()[:16]
    moments = [moment for row in rows for moment in (row[1], row[3]) if moment is not None]
    return key, max(moments, default=None)


def _write(path: Path, data: bytes) -> None:
    """Atomically: a reader sees the old file or the whole new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


def cached(name: str, build: Callable[[], bytes]) -> bytes:
    """The artefact `name` (a relative path), built by `build` and stored the first time."""
    path = artefact_dir() / name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        data = build()
        _write(path, data)
        return data


def accel_redirect(name: str) -> str | None:
    """The internal nginx location of a stored artefact when `KARVAN_ARTEFACT_URL` is set (e.g.
    "/artefacts/"): the app answers with X-Accel-Redirect and nginx sends the file."""
    prefix = current_app.config.get("KARVAN_ARTEFACT_URL")
    return f"{prefix.rstrip('/')}/{name}" if prefix else None


def feed_name(kind: str, owner_id: int, locale: str, stamp: str) -> str:
    return f"feeds/{kind}{owner_id}-{locale}-{stamp}.ics"


def delegation_firms(delegation_id: int) -> Select:
    """The firms of a delegation's members, as a SELECT (the rounds of its feed's key)."""
    return (select(Participant.firm_id).join(delegation_members, delegation_members.c.participant_id == Participant.id)
            .where(delegation_members.c.delegation_id == delegation_id))


def store_feed(kind: str, owner_id: int, locale: str, stamp: str, build: Callable[[], bytes]) -> bytes:
    """The owner's feed for the published state `stamp`, built and stored the first time; the
    owner's feeds of earlier states (never read again) are removed when a new one is stored."""
    name = feed_name(kind, owner_id, locale, stamp)
    if (artefact_dir() / name).exists():
        return cached(name, build)
    data = cached(name, build)
    for old in (artefact_dir() / "feeds").glob(f"{kind}{owner_id}-{locale}-*.ics"):
        if old.name != Path(name).name:
            old.unlink(missing_ok=True)
    return data


def pdf_name(name: str, locale: str, version: ScheduleVersion) -> str:
    return f"pdf/{name}-{locale}-v{version.id}.pdf"


def pdf_ready(name: str) -> Path | None:
    path = artefact_dir() / name
    return path if path.exists() else None


def request_pdf(name: str, *, kind: str, event_id: int, owner_id: int | None, locale: str) -> None:
    """Start building a large PDF in the background unless it is already being built."""
    marker = artefact_dir() / (name + ".building")
    if marker.exists():
        return
    _write(marker, b"")
    enqueue("timetables.pdf", artefact=name, kind=kind, event_id=event_id, owner_id=owner_id, locale=locale)


@task("timetables.pdf")
def build_pdf(artefact: str, kind: str, event_id: int, owner_id: int | None, locale: str) -> None:
    """Render a delegation's or the table sheets' PDF (`kind` "delegation" or "tables") to the
    stored file `artefact` (`pdf_name`)."""
    name = artefact
    event = db.session.get(Event, event_id)
    version = tt.published_version(event) if event is not None else None
    marker = artefact_dir() / (name + ".building")
    try:
        if version is None:
            return
        if kind == "delegation":
            delegation = db.session.get(Delegation, owner_id)
            members = tt.load_delegation(delegation)
            meetings = tt.version_meetings(version, {m.firm_id for m in members})
            sheets, title = tt.member_sheets(event, meetings, delegation, locale), delegation.display_name(locale)
        else:
            meetings = tt.version_meetings(version)
            sheets, title = tt.table_sheets(event, meetings, locale), tt.table_sheets_title(locale)
        _write(artefact_dir() / name, tt.sheets_pdf(event, title, sheets, locale, version, overview=kind == "delegation"))
    finally:
        marker.unlink(missing_ok=True)


# --- after a publish ----------------------------------------------------------------------

def prebuild_after_commit(version_id: int) -> None:
    """Build the version's feeds in the background once the publishing transaction commits
    (if that cannot be enqueued, each feed is built on its first request)."""
    enqueue_after_commit("timetables.prebuild", version_id=version_id)


@task("timetables.prebuild")
def prebuild(version_id: int) -> None:
    """Every participant's and delegation's feed in their own language, for the published state."""
    version = db.session.get(ScheduleVersion, version_id)
    if version is None or version.status != VersionStatus.PUBLISHED:
        return
    people = {p.id: p for m in feeds.version_meetings(version) for p in feeds.meeting_people(m)}
    delegations = set()
    for person in people.values():
        locale = feeds.recipient_locale(person)
        stamp, _changed = publish_stamp([person.firm_id])
        store_feed("p", person.id, locale, stamp, lambda person=person, locale=locale: feeds.participant_feed(person, locale))
        delegations.update(delegation.id for delegation in person.delegations)
    for delegation in db.session.scalars(select(Delegation).where(Delegation.id.in_(delegations))):
        locale = feeds.delegation_locale(delegation)
        stamp, _changed = publish_stamp(delegation_firms(delegation.id))
        store_feed("d", delegation.id, locale, stamp, lambda d=delegation, locale=locale: feeds.delegation_feed(d, locale))

