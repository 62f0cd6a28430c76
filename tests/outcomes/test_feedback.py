"""Outcomes at the table and the no-login feedback form: per meeting and side, changeable until
closed, refused when the link is wrong or feedback is closed; the feedback e-mails."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from planner.extensions import db
from planner.models import Outcome
from planner.models.enums import FollowUp
from planner.notifications.outbox import compose
from planner.outcomes.mail import queue_feedback_requests
from planner.outcomes.services import close_feedback, feedback_token
from tests.eventday.helpers import scenario

DAY = date(2026, 11, 8)


def _outcomes(request_id: int) -> dict[int, Outcome]:
    db.session.expire_all()
    return {o.firm_id: o for o in db.session.scalars(select(Outcome).where(Outcome.request_id == request_id))}


def test_a_participant_marks_a_meeting_held_from_their_day(client, auth):
    data = scenario()
    event, request = data["event"], data["requests"]["toos-ural"]
    person = data["firms"]["ural"].participants[0]
    auth.login("ural@firm.example")
    page = client.get(f"/day/{event.slug}/me/{person.id}?day={DAY.isoformat()}&lang=ru")
    assert page.status_code == 200 and "Состоялась" in page.get_data(as_text=True)
    client.post(f"/day/{event.slug}/me/{person.id}/meetings/{request.id}/held?day={DAY.isoformat()}", data={"held": "1"})
    assert _outcomes(request.id)[person.firm_id].held is True
    other = data["firms"]["toos"].participants[0]
    assert client.post(f"/day/{event.slug}/me/{other.id}/meetings/{request.id}/held", data={"held": "1"}).status_code == 403


def test_feedback_link_without_login_saves_per_side_and_can_change_until_closed(client):
    data = scenario()
    event, request = data["event"], data["requests"]["toos-ural"]
    ural, toos = data["firms"]["ural"].participants[0], data["firms"]["toos"].participants[0]
    url = f"/feedback/{feedback_token(request.id, ural.id)}"
    form = client.get(url + "?lang=fa")
    assert form.status_code == 200 and "ملاقات برگزار شد؟" in form.get_data(as_text=True)
    client.post(url, data={"held": "1", "rating": "4", "follow_up": FollowUp.SAMPLES, "note": "Образцы в декабре"})
    client.post(f"/feedback/{feedback_token(request.id, toos.id)}", data={"held": "1", "rating": "5", "follow_up": FollowUp.CONTRACT})
    sides = _outcomes(request.id)
    assert (sides[ural.firm_id].rating, sides[ural.firm_id].follow_up) == (4, FollowUp.SAMPLES)
    assert (sides[toos.firm_id].rating, sides[toos.firm_id].follow_up) == (5, FollowUp.CONTRACT)
    client.post(url, data={"held": "1", "rating": "2", "follow_up": FollowUp.OFFER})
    assert _outcomes(request.id)[ural.firm_id].rating == 2
    bad = client.post(url + "?lang=en", data={"held": "1", "rating": "9"})
    assert bad.status_code == 200 and _outcomes(request.id)[ural.firm_id].rating == 2

    assert client.get(url[:-3] + "xyz").status_code == 404
    assert client.get(f"/feedback/{feedback_token(request.id, data['firms']['sahand'].participants[0].id)}").status_code == 404
    close_feedback(event)
    db.session.commit()
    closed = client.post(url + "?lang=en", data={"held": "0"})
    assert closed.status_code == 410 and "is closed" in closed.get_data(as_text=True)
    assert _outcomes(request.id)[ural.firm_id].held is True


def test_feedback_mails_go_once_per_person_in_their_language_with_working_links(client, app):
    data = scenario()
    event = data["event"]
    messages = queue_feedback_requests(event)
    db.session.commit()
    people = {p.id for m in data["version"].meetings for p in m.participants}
    assert {m.participant_id for m in messages} == people
    assert queue_feedback_requests(event) == []
    ural = data["firms"]["ural"].participants[0]
    raw = compose(next(m for m in messages if m.participant_id == ural.id)).decode()
    assert "Content-Language: ru" in raw
    from email import message_from_string, policy

    body = message_from_string(raw, policy=policy.default).get_body(("plain",)).get_content()
    link = next(line.strip() for line in body.splitlines() if "/feedback/" in line)
    assert link.startswith("http://localhost/")  # KARVAN_BASE_URL
    assert client.get(link.removeprefix("http://localhost")).status_code == 200
