"""Review: whether an event is still open for sign-up is decided on the event's own calendar,
not the server's (an event in Tehran is over at midnight Tehran time)."""
from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.extensions import db
from planner.firms.profiles import registrable_events
from tests import factories


@pytest.fixture
def server_far_west():
    """The server clock in UTC-12, so its date always lags an event at UTC+14 by a day or more."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Etc/GMT+12"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_an_event_over_in_its_own_zone_is_not_offered_for_sign_up(app, server_far_west):
    zone = "Etc/GMT-14"
    event_today = datetime.now(ZoneInfo(zone)).date()
    over = factories.make_event("over-there", start=event_today - timedelta(days=2), end=event_today - timedelta(days=1),
                                timezone=zone)
    coming = factories.make_event("coming", start=event_today + timedelta(days=30), end=event_today + timedelta(days=31))
    db.session.commit()
    offered = registrable_events()
    assert coming in offered
    assert over not in offered
