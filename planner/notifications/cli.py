"""Mail command: `send-mail` delivers whatever the outbox still holds."""
from __future__ import annotations

import sys

import click
from flask import current_app

from planner.extensions import db
from planner.notifications.outbox import attempt_delivery, pending_messages


@click.command("send-mail")
@click.option("--limit", default=500, show_default=True)
def send_mail_command(limit: int):
    """Deliver queued messages and retry failed attempts now (e.g. after an SMTP outage)."""

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


COMMANDS = [send_mail_command]
