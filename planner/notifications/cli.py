"""Mail command: `send-mail` delivers whatever the outbox still holds."""
from __future__ import annotations

import sys

import click
from flask import current_app

from planner.notifications.outbox import attempt_delivery, pending_ids


@click.command("send-mail")
@click.option("--limit", default=500, show_default=True)
def send_mail_command(limit: int):
    """Deliver queued messages, retry failed attempts now (e.g. after an SMTP outage) and take
    over messages left "sending" by a deliverer that died (after MAIL_CLAIM_TIMEOUT_S)."""

    if not current_app.config.get("MAIL_SERVER"):
        click.echo("MAIL_SERVER is not set; nothing was sent.", err=True)
        sys.exit(1)
    sent = failed = 0
    for message_id in pending_ids(limit):
        outcome = attempt_delivery(message_id)  # each attempt commits its own outcome
        if outcome is True:
            sent += 1
        elif outcome is False:
            failed += 1
    click.echo(f"Sent {sent}, not sent {failed}.")


COMMANDS = [send_mail_command]
