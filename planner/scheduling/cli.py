"""Scheduling commands: `solve EVENT`, `publish EVENT`, `export-schedule EVENT DIR`.

They call the same services as the organiser's pages and commit once; EVENT is the
event's id or slug.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import select

from planner.commands import unit_of_work
from planner.events.cli import event_or_exit
from planner.extensions import db
from planner.models import ScheduleVersion
from planner.models.enums import JobStatus, VersionStatus
from planner.scheduling.drafts import export_version
from planner.scheduling.publishing import publish_version
from planner.scheduling.solving import job_error_label, solve_now
from planner.scheduling.versions import published_version
from solver.io import dumps


@click.command("solve")
@click.argument("event_key", metavar="EVENT")
@click.option("--time-limit", type=float, default=30.0, show_default=True, help="Seconds for the solver.")
@click.option("--method", type=click.Choice(["cp-sat", "greedy"]), default="cp-sat", show_default=True)
def solve_command(event_key: str, time_limit: float, method: str):
    """Schedule EVENT and store the result as a draft version."""

    event = event_or_exit(event_key)
    job = unit_of_work(lambda: solve_now(event, time_limit_s=time_limit, method=method))
    if job.status != JobStatus.DONE:
        detail = (job.progress or {}).get("detail")
        click.echo(f"Solve {job.status}: {job_error_label(job.error)}{f' ({detail})' if detail else ''}", err=True)
        sys.exit(1)

    version = db.session.get(ScheduleVersion, job.result_version_id)
    stats = version.stats
    click.echo(f"Draft version {version.number} of {event.slug}: {stats.get('status')} in {stats.get('wall_s')} s — "
               f"{stats.get('scheduled')} meetings scheduled, {len(version.unscheduled or [])} unscheduled, "
               f"{stats.get('holes')} holes, {stats.get('moved')} moved, {len(stats.get('zero_firms', []))} firms without a meeting.")


@click.command("publish")
@click.argument("event_key", metavar="EVENT")
def publish_command(event_key: str):
    """Publish the newest draft of EVENT."""

    event = event_or_exit(event_key)
    draft = db.session.scalar(select(ScheduleVersion).where(ScheduleVersion.event_id == event.id,
                                                            ScheduleVersion.status == VersionStatus.DRAFT)
                              .order_by(ScheduleVersion.number.desc()).limit(1))
    if draft is None:
        click.echo(f"{event.slug} has no draft to publish; run `solve {event.slug}` first.", err=True)
        sys.exit(1)
    diff = unit_of_work(lambda: publish_version(draft, expected_revision=event.schedule_revision))
    counts = diff.counts()
    click.echo(f"Published version {draft.number} of {event.slug}: {counts['added']} added, {counts['moved']} moved, "
               f"{counts['interpreter']} with another interpreter, {counts['people']} with other attendees, "
               f"{counts['cancelled']} cancelled, {counts['unchanged']} unchanged.")


@click.command("export-schedule")
@click.argument("event_key", metavar="EVENT")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_schedule_command(event_key: str, directory: Path):
    """Write the published schedule of EVENT as DIR/instance.json and DIR/solution.json."""

    event = event_or_exit(event_key)
    version = published_version(event)
    if version is None:
        click.echo(f"{event.slug} has no published schedule.", err=True)
        sys.exit(1)
    instance, solution = export_version(version)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "instance.json").write_text(dumps(instance) + "\n", encoding="utf-8")
    (directory / "solution.json").write_text(dumps(solution) + "\n", encoding="utf-8")
    click.echo(f"Wrote {directory / 'instance.json'} and {directory / 'solution.json'} "
               f"(version {version.number}, {len(solution['assignments'])} meetings).")


COMMANDS = [solve_command, publish_command, export_schedule_command]
