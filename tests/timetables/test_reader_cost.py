"""A page costs what its reader's own data costs: the SQL statements of a person's timetable,
calendar and PDF, of a firm's and of a delegation's pages, are the same in an event four
times larger (and with a larger unrelated round published beside it), and so are the
meetings and firms they read."""
from __future__ import annotations

import shutil

import pytest

from planner.extensions import db
from planner.models import Event, ScheduleVersion
from planner.timetables import artefacts
from planner.timetables.feeds import issue_feed_token
from tests.querycount import request_statements
from tests.scale_factories import grow, make_growing_round


@pytest.fixture
def growing(app):
    data = make_growing_round()
    issue_feed_token(data["person"])
    issue_feed_token(data["delegation"])
    db.session.commit()
    return data


def _urls(data) -> dict[str, tuple[str, str]]:
    slug, person, delegation = data["event"].slug, data["person"], data["delegation"]
    return {
        "person page": ("person", f"/timetables/{slug}/participants/{person.id}?lang=fa"),
        "person .ics": ("person", f"/timetables/{slug}/participants/{person.id}.ics?lang=ru"),
        "person PDF": ("person", f"/timetables/{slug}/participants/{person.id}.pdf?lang=fa"),
        "person feed": (None, f"/feeds/p/{person.feed_token}.ics"),
        "firm page": ("person", f"/timetables/{slug}/firms/{data['reader'].id}?lang=en"),
        "delegation page": ("head", f"/timetables/{slug}/delegations/{delegation.id}?lang=ru"),
        "delegation .ics": ("head", f"/timetables/{slug}/delegations/{delegation.id}.ics?lang=ru"),
        "delegation PDF": ("head", f"/timetables/{slug}/delegations/{delegation.id}.pdf?lang=ru"),
        "delegation feed": (None, f"/feeds/d/{delegation.feed_token}.ics"),
    }


def _measure(app, urls, emails) -> dict[str, tuple]:
    """Statements, body and rows loaded of each page, each asked by a fresh client as its reader.
    The artefact store starts empty: this measures building a feed, not reading it back."""
    shutil.rmtree(artefacts.artefact_dir(), ignore_errors=True)
    found = {}
    for name, (who, url) in urls.items():
        client = app.test_client()
        if who is not None:
            email = emails[who]
            client.post("/auth/login", data={"email": email, "password": "correct horse battery"})
        response, statements = request_statements(client, url)
        assert response.status_code == 200, (name, response.status_code)
        found[name] = (len(statements), response.get_data(), str(statements), statements.loaded)
    return found


def test_pages_of_a_reader_cost_the_same_in_a_four_times_larger_event(app, growing):
    urls, emails = _urls(growing), {"person": growing["person_user"].email, "head": growing["head_user"].email}
    ids = {key: growing[key].id for key in ("event", "other", "version", "other_version")}
    small = _measure(app, urls, emails)
    assert small["person page"][1].count(b"data-uid=") == 3
    assert small["delegation feed"][1].count(b"BEGIN:VEVENT") == 6
    grow({"event": db.session.get(Event, ids["event"]), "other": db.session.get(Event, ids["other"]), "units": 1,
          "version": db.session.get(ScheduleVersion, ids["version"]),
          "other_version": db.session.get(ScheduleVersion, ids["other_version"])}, 3)
    db.session.commit()
    large = _measure(app, urls, emails)
    for name in small:
        assert large[name][0] == small[name][0], f"{name}: {small[name][0]} -> {large[name][0]} statements\n{large[name][2]}"
        assert small[name][0] <= 30, f"{name}: {small[name][0]} statements\n{small[name][2]}"
        assert large[name][3]["Meeting"] == small[name][3]["Meeting"], f"{name} read meetings of other firms"
        assert large[name][3]["Firm"] == small[name][3]["Firm"], f"{name} read firms it does not show"
    assert large["person page"][1].count(b"data-uid=") == 3
    assert large["person feed"][1].count(b"BEGIN:VEVENT") == 3
    assert large["delegation .ics"][1].count(b"BEGIN:VEVENT") == 6


def _without_stamp(ics: bytes) -> bytes:
    """The feed without its DTSTAMP lines (the moment it was written)."""
    return b"\r\n".join(line for line in ics.split(b"\r\n") if not line.startswith(b"DTSTAMP"))


def test_a_demo_persons_feed_is_unchanged_by_another_published_round(demo_app, client):
    from sqlalchemy import func, select

    from planner.models import Meeting, Participant
    from planner.models.meetings import meeting_participants
    from planner.timetables.loading import published_version

    demo = db.session.scalar(select(Event).where(Event.slug == "demo"))
    version = published_version(demo)
    person_id, meetings = db.session.execute(
        select(meeting_participants.c.participant_id, func.count()).join(Meeting, Meeting.id == meeting_participants.c.meeting_id)
        .where(Meeting.version_id == version.id, Meeting.cancelled_at.is_(None))
        .group_by(meeting_participants.c.participant_id).order_by(func.count().desc()).limit(1)).one()
    url = f"/feeds/p/{issue_feed_token(db.session.get(Participant, person_id))}.ics"
    demo_size = len(version.meetings)
    db.session.commit()
    shutil.rmtree(artefacts.artefact_dir(), ignore_errors=True)
    before, built = request_statements(client, url)
    assert before.status_code == 200 and before.get_data().count(b"BEGIN:VEVENT") == meetings >= 3

    # another round, larger than the demo's, is published (two, in fact: the growing round's pair)
    data = make_growing_round()
    grow(data, 12)
    db.session.commit()
    assert len(data["version"].meetings) > demo_size

    again = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert again.status_code == 304, "calendar apps keep their copy"
    shutil.rmtree(artefacts.artefact_dir(), ignore_errors=True)
    after, rebuilt = request_statements(client, url)
    assert after.headers["ETag"] == before.headers["ETag"]
    assert _without_stamp(after.get_data()) == _without_stamp(before.get_data())
    assert len(rebuilt) == len(built), f"{len(built)} -> {len(rebuilt)} statements\n{rebuilt}"
    assert rebuilt.loaded["Meeting"] == built.loaded["Meeting"], "it read meetings of the other round"
