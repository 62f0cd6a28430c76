"""Flask CLI commands. They call the same services as the web views and commit once."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from planner.extensions import db


def _data_dir() -> Path:
    return Path(current_app.config["DATA_DIR"])


@click.command("seed-demo")
def seed_demo_command():
    """Load reference data, the exhibition calendar and the demo event (idempotent)."""
    from planner.models import User
    from planner.services.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo

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
    from planner.services.reference import load_reference_data

    counts = load_reference_data(_data_dir())
    db.session.commit()
    click.echo(f"Reference data: {counts}")


@click.command("import-exhibitions")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_exhibitions_command(csv_file: Path):
    """Validate the whole CSV, then import it; any bad row means nothing is written."""
    from planner.services.exhibitions import import_exhibitions

    report = import_exhibitions(csv_file.read_text(encoding="utf-8"))
    if not report.ok:
        db.session.rollback()
        for error in report.errors:
            click.echo(f"{csv_file}: {error}", err=True)
        click.echo(f"Nothing imported: {len(report.errors)} error(s).", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Imported: {report.created} new, {report.updated} updated, {report.unchanged} unchanged.")


@click.command("create-organiser")
@click.argument("email")
@click.option("--password", help="Password (asked for when omitted).")
@click.option("--name", default=None)
def create_organiser_command(email: str, password: str | None, name: str | None):
    """Create an organiser account."""
    from planner.services import ServiceError
    from planner.services.accounts import create_user

    if password is None:
        password = getpass.getpass("Password: ")
    try:
        user = create_user(email, password, role="organiser", name=name)
    except ServiceError as error:
        click.echo(f"Error: {error.message}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Organiser {user.email} created.")


translate = AppGroup("translate", help="Translation catalogues (wraps pybabel).")


@translate.command("update")
def translate_update():
    """Extract messages and merge them into every catalogue."""
    import subprocess

    root = Path(current_app.root_path).parent
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-o", "planner/translations/messages.pot", "--no-location", "--sort-output", "."], cwd=root, check=True)
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "update", "-i", "planner/translations/messages.pot",
                    "-d", "planner/translations", "--no-fuzzy-matching", "--ignore-obsolete"], cwd=root, check=True)


@translate.command("compile")
def translate_compile():
    """Compile the catalogues to .mo files."""
    import subprocess

    root = Path(current_app.root_path).parent
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-q", "-d", "planner/translations"], cwd=root, check=True)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool):
    """Run an RQ worker for solves and e-mail (needs REDIS_URL)."""
    from rq import Queue, Worker

    from planner.jobs import TASK_MODULES, redis_connection

    if not current_app.config.get("REDIS_URL"):
        click.echo("REDIS_URL is not set; jobs run in-process and need no worker.", err=True)
        sys.exit(1)
    import importlib

    for module in TASK_MODULES:
        importlib.import_module(module)
    connection = redis_connection()
    Worker([Queue("karvan", connection=connection)], connection=connection).work(burst=burst)


COMMANDS = [worker_command, seed_demo_command, load_reference_command, import_exhibitions_command, create_organiser_command, translate]


def init_app(app) -> None:
    from planner import cli_scheduling, cli_timetables

    for command in COMMANDS + cli_scheduling.COMMANDS + cli_timetables.COMMANDS:
        app.cli.add_command(command)


@click.command("matches")
@click.argument("firm_id", type=int)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 200), help="How many partners.")
@click.option("--event", "event_slug", default=None, help="Event slug (default: the firm's latest event).")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON instead of a table.")
def matches_command(firm_id: int, limit: int, event_slug: str | None, as_json: bool):
    """A firm's best partners with the reasons, as GET /api/v1/firms/<id>/matches returns them."""
    import json

    from planner.i18n import cli_locale
    from planner.models import Firm
    from planner.services.match_reasons import describe_reason, matches_as_json
    from planner.services.matching import firm_matches
    from planner.services.requests import pick_event

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
