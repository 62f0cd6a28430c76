"""Timetable command: `export-ics EVENT DIR`."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.events.services import find_event
from planner.timetables.feeds import export_feeds


@click.command("export-ics")
@click.argument("event_key", metavar="EVENT")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", "locale", default=None, help="Language of the texts (default: each person's own).")
def export_ics_command(event_key: str, directory: Path, locale: str | None):
    """Write DIR/p<participant id>.ics for every participant of EVENT's published schedule.

    The file names use the participant ids of export-schedule's instance.json.
    """
    event = find_event(event_key)
    if event is None:
        click.echo(f"No event with id or slug {event_key!r}.", err=True)
        sys.exit(2)
    written = export_feeds(event, directory, locale)
    if written is None:
        click.echo(f"{event.slug} has no published schedule.", err=True)
        sys.exit(1)
    meetings = sum(count for count in written.values())
    click.echo(f"Wrote {len(written)} calendar(s) with {meetings} meeting entries to {directory}.")


COMMANDS = [export_ics_command]
