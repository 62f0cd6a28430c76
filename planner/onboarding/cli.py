"""`import-firms FILE [--event SLUG] [--delegation KEY] [--dry-run]` and `export-firms FILE
[--event SLUG]`: the organiser's import page on the command line (same services, one commit)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.errors import ServiceError
from planner.events.cli import event_or_exit
from planner.extensions import db
from planner.onboarding.apply import apply_plan
from planner.onboarding.export import export_csv, export_xlsx
from planner.onboarding.plan import build_plan
from planner.onboarding.reading import read_firm_file


def _event(key: str | None):
    """The round of --event, if one was given."""
    return event_or_exit(key) if key is not None else None


@click.command("import-firms")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--event", "event_slug", default=None, help="Round the firms register for (days and wishes apply to it).")
@click.option("--delegation", "delegation_key", default=None, help="Visit the visiting region's people join (created when missing).")
@click.option("--dry-run", is_flag=True, help="Only print the preview.")
def import_firms_command(path: Path, event_slug: str | None, delegation_key: str | None, dry_run: bool):
    """Import firms, people, offers, needs, days and meeting wishes from an .xlsx or .csv; the
    whole file is checked first and nothing is written when any row is wrong (exit 1)."""
    event = _event(event_slug)
    try:
        plan = build_plan(read_firm_file(path.name, path.read_bytes()), event, delegation_key)
    except ServiceError as error:
        click.echo(f"{path}: {error.message}", err=True)
        sys.exit(1)
    if not plan.ok:
        for error in plan.errors:
            click.echo(f"{path}: {error}", err=True)
        click.echo(f"Nothing imported: {len(plan.errors)} error(s).", err=True)
        sys.exit(1)
    for name, counts in plan.counts().items():
        click.echo(f"{name}: {counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged")
    if event is not None:
        click.echo(f"registrations for {event.slug}: {sum(1 for firm in plan.firms if firm.register)} new")
    if plan.delegation_key:
        state = "exists" if plan.delegation is not None else "will be created"
        click.echo(f"delegation {plan.delegation_key} ({state}): {plan.delegation_joins} joining")
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing written.")
        return
    done = apply_plan(plan)
    db.session.commit()
    click.echo(f"Imported; {done['invited']} invitation(s) queued, {done['joined']} joined the delegation.")


@click.command("export-firms")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--event", "event_slug", default=None, help="Only the round's firms, with their days and accepted wishes.")
def export_firms_command(path: Path, event_slug: str | None):
    """Write firms and people in the import's format (.xlsx with a meetings sheet, or .csv)."""
    event = _event(event_slug)
    path.write_bytes(export_csv(event) if path.suffix.lower() == ".csv" else export_xlsx(event))
    click.echo(f"Wrote {path}.")


COMMANDS = [import_firms_command, export_firms_command]
