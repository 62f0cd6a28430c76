"""Account commands: `create-organiser` here; features add accounts of their roles with
`account_command` (the event day's `create-helper`)."""
from __future__ import annotations

import getpass

import click

from planner.accounts.services import create_user
from planner.commands import unit_of_work
from planner.models.enums import Role


def account_command(name: str, role: Role, label: str, help_text: str) -> click.Command:
    """`flask <name> EMAIL [--password P] [--name N]`: create an account with `role` (the
    password is asked for when omitted) and print "<label> <email> created."."""

    @click.command(name, help=help_text)
    @click.argument("email")
    @click.option("--password", help="Password (asked for when omitted).")
    @click.option("--name", "full_name", default=None)
    def command(email: str, password: str | None, full_name: str | None):
        if password is None:
            password = getpass.getpass("Password: ")
        user = unit_of_work(lambda: create_user(email, password, role=role, name=full_name))
        click.echo(f"{label} {user.email} created.")

    return command


create_organiser_command = account_command("create-organiser", Role.ORGANISER, "Organiser", "Create an organiser account.")
