"""Flask CLI commands. They call the same services as the web views and commit once."""
from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from planner.accounts.cli import create_organiser_command
from planner.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from planner.demo.seed import seed_demo
from planner.eventday import cli as cli_eventday
from planner.events import cli as cli_events
from planner.exhibitions.services import import_exhibitions
from planner.extensions import db
from planner.jobs import TASK_MODULES, adopt_worker_app, queue_name, redis_connection
from planner.matching.candidates import firm_matches
from planner.matching.reasons import describe_reason, matches_as_json
from planner.models import Firm, User
from planner.notifications import cli as cli_notifications
from planner.onboarding import cli as cli_onboarding
from planner.requests.services import pick_event
from planner.scheduling import cli as cli_scheduling
from planner.statistics import cli as cli_statistics
from planner.taxonomy.reference import load_reference_data
from planner.text import catalogues
from planner.text.i18n import cli_locale
from planner.timetables import cli as cli_timetables


def _data_dir() -> Path:
    return Path(current_app.config["DATA_DIR"])


@click.command("seed-demo")
def seed_demo_command():
    """Load reference data, the exhibition calendar and the demo event (idempotent)."""

    counts = seed_demo(_data_dir())
    db.session.commit()
    added = {name: count for name, count in counts.items() if count}
    click.echo(f"Demo data loaded: {added or 'nothing new'}")
    click.echo(f"Demo log-ins (password {DEMO_PASSWORD}):")
    for who, email in DEMO_LOGINS:
        if db.session.scalar(db.select(User.id).where(User.email == email)) is not None:
            click.echo(f"  {who:<24} {email}")


@click.command("load-reference")
def load_reference_command():
    """Load ISIC Rev.4, HS 2022 and regions into an empty database."""

    counts = load_reference_data(_data_dir())
    db.session.commit()
    click.echo(f"Reference data: {counts}")


@click.command("import-exhibitions")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_exhibitions_command(csv_file: Path):
    """Validate the whole CSV, then import it; any bad row means nothing is written."""

    report = import_exhibitions(csv_file.read_bytes())
    if not report.ok:
        db.session.rollback()
        for error in report.errors:
            click.echo(f"{csv_file}: {error}", err=True)
        click.echo(f"Nothing imported: {len(report.errors)} error(s).", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Imported: {report.created} new, {report.updated} updated, {report.unchanged} unchanged.")


translate = AppGroup("translate", help="Translation catalogues, one per feature (wraps pybabel).")


@translate.command("update")
@click.argument("domains", nargs=-1)
def translate_update(domains: tuple[str, ...]):
    """Re-extract DOMAINS' messages (default: every catalogue) and merge them into fa, ru and en."""
    for domain in domains or catalogues.domains():
        catalogues.update_catalogue(domain)
        click.echo(f"{domain}: updated")


@translate.command("compile")
def translate_compile():
    """Compile every catalogue's .po files to .mo."""
    for domain in catalogues.compile_catalogues():
        click.echo(f"{domain}: compiled")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool):
    """Run an RQ worker for solves and e-mail (needs REDIS_URL)."""
    from rq import Queue, Worker

    if not current_app.config.get("REDIS_URL"):
        click.echo("REDIS_URL is not set; jobs run in-process and need no worker.", err=True)
        sys.exit(1)

    for module in TASK_MODULES:
        importlib.import_module(module)
    connection = redis_connection()
    adopt_worker_app(current_app._get_current_object())  # jobs (and forks) reuse this app
    Worker([Queue(queue_name(), connection=connection)], connection=connection).work(burst=burst)


COMMANDS = [worker_command, seed_demo_command, load_reference_command, import_exhibitions_command, create_organiser_command, translate]


def init_app(app) -> None:

    for command in (COMMANDS + cli_events.COMMANDS + cli_scheduling.COMMANDS + cli_timetables.COMMANDS
                    + cli_notifications.COMMANDS + cli_onboarding.COMMANDS + cli_eventday.COMMANDS + cli_statistics.COMMANDS):
        app.cli.add_command(command)


@click.command("matches")
@click.argument("firm_id", type=int)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 200), help="How many partners.")
@click.option("--event", "event_slug", default=None, help="Event slug (default: the firm's latest event).")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON instead of a table.")
def matches_command(firm_id: int, limit: int, event_slug: str | None, as_json: bool):
    """A firm's best partners with the reasons, as GET /api/v1/firms/<id>/matches returns them."""

    firm = db.session.get(Firm, firm_id)
    if firm is None:
        click.echo(f"No firm {firm_id}.", err=True)
        sys.exit(1)
    event = pick_event(event_slug, firm.id)
    if event_slug and event is None:
        click.echo(f"No event {event_slug}.", err=True)
        sys.exit(1)
    locale = cli_locale(current_app.config["LANGUAGES"])
    rows = matches_as_json(firm_matches(firm.id, event, limit), firm.id, locale)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for rank, row in enumerate(rows, 1):
        click.echo(f"{rank:>3}. {row['score']:>6.1f}  #{row['firm_id']} {row['firm_name']}")
        for reason in row["reasons"]:
            click.echo(f"         - {describe_reason(reason, locale)}")


COMMANDS.append(matches_command)
