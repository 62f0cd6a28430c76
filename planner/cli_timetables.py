"""Timetable and mail commands: `export-ics EVENT DIR`, `send-mail`."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.extensions import db


@click.command("export-ics")
@click.argument("event_key", metavar="EVENT")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", "locale", default=None, help="Language of the texts (default: each person's own).")
def export_ics_command(event_key: str, directory: Path, locale: str | None):
    """Write DIR/p<participant id>.ics for every participant of EVENT's published schedule.

    The file names use the participant ids of export-schedule's instance.json.
    """
    from planner.services.events import find_event
    from planner.services.meeting_ics import export_feeds

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


@click.command("send-mail")
@click.option("--limit", default=500, show_default=True)
def send_mail_command(limit: int):
    """Deliver queued messages and retry failed attempts now (e.g. after an SMTP outage)."""
    from flask import current_app

    from planner.services.mail import attempt_delivery, pending_messages

    if not current_app.config.get("MAIL_SERVER"):
        click.echo("MAIL_SERVER is not set; nothing was sent.", err=True)
        sys.exit(1)
    sent = failed = 0
    for message in pending_messages(limit):
        if attempt_delivery(message):
            sent += 1
        else:
            failed += 1
    db.session.commit()
    click.echo(f"Sent {sent}, not sent {failed}.")


COMMANDS = [export_ics_command, send_mail_command]
