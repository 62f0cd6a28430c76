"""Report command: `export-report EVENT FILE.xlsx|FILE.pdf`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from planner.events.cli import event_or_exit
from planner.extensions import db
from planner.outcomes.mail import queue_feedback_requests
from planner.statistics.report import FORMATS, write_report
from planner.text.i18n import cli_locale


@click.command("export-report")
@click.argument("event_key", metavar="EVENT")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["fa", "ru", "en"]), default=None,
              help="Language of the report (default: KARVAN_LOCALE or LANG, else English).")
def export_report_command(event_key: str, path: Path, lang: str | None):
    """Write the chamber's report of EVENT: FILE.xlsx (workbook) or FILE.pdf (printable, with charts)."""
    event = event_or_exit(event_key)
    if path.suffix.lower().lstrip(".") not in FORMATS:
        click.echo(f"FILE must end in .xlsx or .pdf, not {path.name!r}.", err=True)
        sys.exit(2)
    locale = lang or cli_locale(current_app.config["LANGUAGES"])
    kind = write_report(event, path, locale)
    click.echo(f"Wrote {path} ({kind}, {locale}, {path.stat().st_size} bytes).")


@click.command("send-feedback")
@click.argument("event_key", metavar="EVENT")
def send_feedback_command(event_key: str):
    """Queue the feedback forms of EVENT (each person once)."""
    event = event_or_exit(event_key)
    messages = queue_feedback_requests(event)
    db.session.commit()
    click.echo(f"{len(messages)} feedback messages queued.")


COMMANDS = [export_report_command, send_feedback_command]
