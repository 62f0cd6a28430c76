"""Round commands: `clone-event SOURCE NEW --exhibition KEY`. They call the same services as
the organiser's pages and commit once."""
from __future__ import annotations

import click
from sqlalchemy import select

from planner.commands import found_or_exit, unit_of_work
from planner.events.rounds import clone_event
from planner.events.services import find_event
from planner.extensions import db
from planner.models import Event, Exhibition


def event_or_exit(key: str) -> Event:
    """The round named by its id or slug (`find_event`), else a message and exit status 2;
    every command that takes an EVENT reads it here."""
    return found_or_exit(find_event(key), f"No event with id or slug {key!r}.")


@click.command("clone-event")
@click.argument("source_key", metavar="SOURCE")
@click.argument("slug", metavar="NEW")
@click.option("--exhibition", "exhibition_key", required=True, help="Key of the exhibition whose days the new round uses.")
def clone_event_command(source_key: str, slug: str, exhibition_key: str):
    """Make round NEW on an exhibition's days from round SOURCE's setup (sessions by weekday,
    slot length, tables, host tables, interpreters, rules)."""
    source = event_or_exit(source_key)
    exhibition = found_or_exit(db.session.scalar(select(Exhibition).where(Exhibition.key == exhibition_key)),
                               f"No exhibition {exhibition_key!r}.")
    event = unit_of_work(lambda: clone_event(source, slug, exhibition))
    click.echo(f"{event.slug}: {event.start_date} – {event.end_date}, {len(event.sessions)} sessions, "
               f"{sum(len(s.slots) for s in event.sessions)} slots, {len(event.tables)} tables, "
               f"{len(event.interpreters)} interpreters")


COMMANDS = [clone_event_command]
