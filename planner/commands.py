"""What Karvan's `flask` commands do alike: stop with exit status 2 when what they name does not
exist, and run their one service call as the command's unit of work (commit once; a broken rule
rolls back, prints the rule and exits with status 1)."""
from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import click

from planner.errors import ServiceError
from planner.extensions import db

T = TypeVar("T")


def found_or_exit(row: T | None, message: str) -> T:
    """`row`, or `message` on stderr and exit status 2 when there is none to act on."""
    if row is None:
        click.echo(message, err=True)
        sys.exit(2)
    return row


def unit_of_work(action: Callable[[], T]) -> T:
    """Run `action` (one service call, which flushes) and commit once; a broken rule
    (`ServiceError`) rolls back, prints "Error: <rule>" on stderr and exits with status 1."""
    try:
        result = action()
    except ServiceError as error:
        db.session.rollback()
        click.echo(f"Error: {error.message}", err=True)
        sys.exit(1)
    db.session.commit()
    return result
