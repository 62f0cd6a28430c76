"""The demo round's published schedule: solved once when the demo is seeded."""
from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select

from planner.extensions import db
from planner.models import Event
from planner.scheduling.drafts import solve_event
from planner.scheduling.publishing import publish_version
from planner.scheduling.versions import published_version

log = logging.getLogger(__name__)


def seed_demo_schedule(slug: str = "demo", time_limit_s: float | None = None) -> dict[str, int]:
    """Solve and publish the demo event once (skipped when it already has a published version)."""

    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or published_version(event) is not None:
        return {}
    limit = time_limit_s or current_app.config.get("KARVAN_DEMO_SOLVE_S") or (2.0 if current_app.testing else 10.0)
    version, solution = solve_event(event, time_limit_s=limit)
    if version is None:
        log.warning("demo schedule: no schedule (%s)", solution.status.value)
        return {}
    publish_version(version, expected_revision=event.schedule_revision)
    return {"scheduled_meetings": len(version.meetings)}
