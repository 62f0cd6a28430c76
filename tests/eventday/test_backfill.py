"""Backfill after a no-show: past meetings stay exactly, present people's meetings stay, a freed
partner gets a meeting where a partner and a table are free, the draft passes solver.validate,
and publishing sends REQUEST to the new partner and CANCEL to the absent person."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from planner.eventday.attendance import mark_absent
from planner.eventday.backfill import backfill_day
from planner.extensions import db
from planner.models import EventRegistration, MeetingRequest, OutgoingMessage
from planner.notifications.outbox import compose
from planner.scheduling.publishing import publish_version
from planner.scheduling.translate import build_problem, version_assignments
from solver.validate import check
from tests import factories
from tests.eventday.helpers import scenario

DAY = date(2026, 11, 8)


def _placed(version) -> dict[int, tuple]:
    return {m.request_id: (m.slot_id, m.table_id, m.interpreter_id) for m in version.meetings}


def test_no_show_backfill_keeps_the_past_and_gives_the_freed_partner_a_meeting(app):
    data = scenario()
    event, slots, firms, published = data["event"], data["slots"], data["firms"], data["version"]
    # A second Russian firm, present, with an accepted request to Toos that the schedule left out.
    volga = factories.make_firm("chelyabinsk", languages=["ru", "fa"], name_latin="Volga Trade")
    event.registrations.append(EventRegistration(firm=volga))
    extra = factories.make_meeting_request(event, volga, firms["toos"])
    absent = firms["zlat"].participants[0]
    mark_absent(event, absent, DAY)
    start = slots[1].start_dt  # the meetings of slot 0 are past
    before = _placed(published)

    result = backfill_day(event, start, time_limit_s=3, workers=1)
    draft = result.version
    after = _placed(draft)
    past = {m.request_id for m in published.meetings if m.slot.start_dt < start}
    assert past and all(after[rid] == before[rid] for rid in past)  # kept exactly
    toos_zlat = data["requests"]["toos-zlat"].id
    assert result.released == [toos_zlat] and toos_zlat not in after
    assert extra.id in after and draft.meetings[[m.request_id for m in draft.meetings].index(extra.id)].slot.start_dt >= start
    assert firms["toos"].id in result.freed_firms
    for meeting in draft.meetings:  # the absent person is in no meeting from `start` on
        if meeting.slot.start_dt >= start:
            assert absent.id not in {p.id for p in meeting.participants}
    report = check(build_problem(event, with_fixed=False).problem, version_assignments(draft))
    assert not [v for v in report.violations if v.code != "required_unscheduled"], report.violations
    assert any(entry.get("reason") == "no_show" for entry in draft.unscheduled)

    publish_version(draft, expected_revision=event.schedule_revision)
    db.session.commit()
    # One iTIP message per meeting change (issue 12): gather each person's calendar parts.
    mails: dict[int, list] = {}
    for message in db.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)):
        mails.setdefault(message.participant_id, []).append(message)
    cancels = [part for message in mails[absent.id] for part in _calendars(compose(message))]
    assert cancels and all(method == "CANCEL" for method, _body in cancels)
    assert any(f"UID:{db.session.get(MeetingRequest, toos_zlat).ical_uid}" in body for _method, body in cancels)
    requests = [part for message in mails[volga.participants[0].id] for part in _calendars(compose(message))]
    assert any(method == "REQUEST" and f"UID:{db.session.get(MeetingRequest, extra.id).ical_uid}" in body
               for method, body in requests)


def _calendars(raw: bytes) -> list[tuple[str, str]]:
    """(METHOD, text) of every calendar part of an e-mail."""
    from email import message_from_bytes, policy

    mail = message_from_bytes(raw, policy=policy.default)
    return [(part.get_param("method"), part.get_content() if isinstance(part.get_content(), str) else part.get_content().decode())
            for part in mail.walk() if part.get_content_type() == "text/calendar"]


def test_backfill_refuses_without_absences_and_the_cli_prints_the_diff(runner):
    data = scenario()
    event = data["event"]
    refused = runner.invoke(args=["backfill", event.slug, "--from", "2026-11-08T09:00+03:30"])
    assert refused.exit_code == 1 and "Nobody is confirmed absent" in refused.output
    person = data["firms"]["zlat"].participants[0]
    assert runner.invoke(args=["no-show", event.slug, str(person.id), "--day", "2026-11-08"]).exit_code == 0
    result = runner.invoke(args=["backfill", event.slug, "--from", "2026-11-08T09:00+03:30", "--time-limit", "3"])
    assert result.exit_code == 0, result.output
    assert "meetings released" in result.output and "  - " in result.output
