"""Signals between feature layers: a lower package says that something changed, a higher one
(scheduling) reacts, without the lower one importing it.

`schedule_facts_changed` is sent with the id of the round (or None for every round) whenever a
fact a published schedule rests on changes: a request leaves "accepted", a firm leaves the
round, a person's days or membership change, an interpreter becomes unavailable, a day is
closed. `scheduling.propagation` answers it by calling off the published meetings that can no
longer happen, in the sender's transaction.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
schedule_facts_changed = _signals.signal("schedule-facts-changed")
# Sent with a list of participant ids just BEFORE they are removed (their rows still exist,
# so they can still be told that they no longer attend their published meetings).
participants_leaving = _signals.signal("participants-leaving")


def facts_changed(event_id: int | None) -> None:
    """Tell the scheduling feature that round `event_id` (None: every round) changed."""
    schedule_facts_changed.send(event_id)


def people_leaving(participant_ids: list[int]) -> None:
    """Tell the scheduling feature that these participants are about to be removed."""
    if participant_ids:
        participants_leaving.send(list(participant_ids))
