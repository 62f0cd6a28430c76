"""Round commands: `clone-event SOURCE NEW --exhibition KEY`. They call the same services as
the organiser's pages and commit once."""
from __future__ import annotations

import sys

import click
from sqlalchemy import select

from planner.errors import ServiceError
from planner.events.rounds import clone_event
from planner.events.services import find_event
from planner.extensions import db
from planner.models import Exhibition


@click.command("clone-event")
@click.argument("source_key", metavar="SOURCE")
@click.argument("slug", metavar="NEW")
@click.option("--exhibition", "exhibition_key", required=True, help="Key of the exhibition whose days the new round uses.")
def clone_event_command(source_key: str, slug: str, exhibition_key: str):
    """Make round NEW on an exhibition's days from round SOURCE's setup (sessions by weekday,
    slot length, tables, host tables, interpreters, rules)."""
    source = find_event(source_key)
    exhibition = db.session.scalar(select(Exhibition).where(Exhibition.key == exhibition_key))
    if source is None or exhibition is None:
        click.echo(f"No event {source_key!r}." if source is None else f"No exhibition {exhibition_key!r}.", err=True)
        sys.exit(2)
    try:
        event = clone_event(source, slug, exhibition)
    except ServiceError as error:
        db.session.rollback()
        click.echo(f"Error: {error.message}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"{event.slug}: {event.start_date} – {event.end_date}, {len(event.sessions)} sessions, "
               f"{sum(len(s.slots) for s in event.sessions)} slots, {len(event.tables)} tables, "
               f"{len(event.interpreters)} interpreters")


COMMANDS = [clone_event_command]
