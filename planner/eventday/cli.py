"""Event-day commands: `check-in`, `no-show`, `backfill`, `create-helper`.

They call the same services as the desk and the organiser's pages and commit once; EVENT is the
event's id or slug, DATE an ISO date (2026-11-09), DATETIME an ISO instant with its offset
(2026-11-09T09:00+03:30; without an offset it is read in the event's zone).
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import click

from planner.accounts.cli import account_command
from planner.commands import found_or_exit, unit_of_work
from planner.eventday.attendance import check_in, default_day, mark_absent
from planner.eventday.backfill import backfill_day
from planner.events.cli import event_or_exit
from planner.extensions import db
from planner.models import Participant
from planner.models.enums import Role
from planner.scheduling.solving import SOLVE_TIME_LIMIT_S


def _participant(participant_id: int) -> Participant:
    return found_or_exit(db.session.get(Participant, participant_id), f"No participant {participant_id}.")


@click.command("check-in")
@click.argument("event_key", metavar="EVENT")
@click.argument("participant_id", type=int)
@click.option("--day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="ISO date (default: today, within the round).")
def check_in_command(event_key: str, participant_id: int, day: datetime | None):
    """Mark PARTICIPANT_ID present at EVENT on --day."""
    event = event_or_exit(event_key)
    person = _participant(participant_id)
    when: date = day.date() if day else default_day(event)
    unit_of_work(lambda: check_in(event, person, when))
    click.echo(f"{person.full_name_latin} ({person.firm.name_latin}) checked in at {event.slug} on {when.isoformat()}.")


@click.command("no-show")
@click.argument("event_key", metavar="EVENT")
@click.argument("participant_id", type=int)
@click.option("--day", type=click.DateTime(["%Y-%m-%d"]), required=True, help="ISO date, e.g. 2026-11-09.")
def no_show_command(event_key: str, participant_id: int, day: datetime):
    """Confirm PARTICIPANT_ID absent at EVENT on --day (their meetings that day are released)."""
    event = event_or_exit(event_key)
    person = _participant(participant_id)
    unit_of_work(lambda: mark_absent(event, person, day.date()))
    click.echo(f"{person.full_name_latin} ({person.firm.name_latin}) confirmed absent at {event.slug} on "
               f"{day.date().isoformat()}; run `backfill {event.slug} --from ...` to re-plan the day.")


def _instant(text: str, zone: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO date and time such as 2026-11-09T09:00+03:30") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))


@click.command("backfill")
@click.argument("event_key", metavar="EVENT")
@click.option("--from", "start", required=True, help="ISO date and time, e.g. 2026-11-09T09:00+03:30.")
@click.option("--time-limit", type=float, default=SOLVE_TIME_LIMIT_S, show_default=True, help="Seconds for the solver.")
def backfill_command(event_key: str, start: str, time_limit: float):
    """Re-plan the rest of the day from --from around confirmed no-shows; stores a validated draft and prints its diff."""
    event = event_or_exit(event_key)
    moment = _instant(start, event.timezone)
    result = unit_of_work(lambda: backfill_day(event, moment, time_limit_s=time_limit))
    version, diff = result.version, result.diff
    zone = ZoneInfo(event.timezone)

    def line(meeting) -> str:
        request = meeting.request
        when = meeting.slot.start_dt.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        mark = " (proposed on the day)" if request.proposed_on else ""
        return f"{request.requester_firm.name_latin} <-> {request.target_firm.name_latin} at {when}, {meeting.table.name}{mark}"

    click.echo(f"Draft version {version.number} of {event.slug}: {len(result.released)} meetings released, "
               f"{len(diff.added)} added, {len(diff.moved)} moved, {len(diff.cancelled)} cancelled, {diff.unchanged} unchanged.")
    for meeting in diff.added:
        click.echo(f"  + {line(meeting)}")
    for before, after in diff.moved:
        click.echo(f"  ~ {line(after)} (was {before.slot.start_dt.astimezone(zone).strftime('%H:%M')}, {before.table.name})")
    for meeting in diff.cancelled:
        click.echo(f"  - {line(meeting)}")
    click.echo(f"Publish it with `publish {event.slug}`.")


create_helper_command = account_command("create-helper", Role.HELPER, "Helper",
                                        "Create a check-in helper account (the desk only).")


COMMANDS = [check_in_command, no_show_command, backfill_command, create_helper_command]
