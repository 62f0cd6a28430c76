"""Meeting requests: the state machine, its limits and modes (SQLite and PostgreSQL), the
inbox and the access matrix through the web."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import EventRegistration, MeetingRequest
from planner.requests import services as service
from planner.requests.demand import demand_rows
from tests import factories


def upcoming(days: int = 30) -> dict:
    """Dates of an event still ahead (requests close for firms once an event is over)."""
    start = date.today() + timedelta(days=days)
    return {"start": start, "end": start + timedelta(days=1)}


def _setup(**event_fields):
    event = factories.make_event(**{**upcoming(), **event_fields})
    kr = factories.make_firm("khorasan-razavi", needs=["870830"], offers=["720851"])
    ch = factories.make_firm("chelyabinsk", offers=["870830"], needs=["7208"])
    ch2 = factories.make_firm("chelyabinsk", offers=["8708"])
    kr2 = factories.make_firm("khorasan-razavi", offers=["870830"])
    for firm in (kr, ch, ch2, kr2):
        db.session.add(EventRegistration(event=event, firm=firm))
    users = {name: factories.make_user(firm=firm) for name, firm in (("kr", kr), ("ch", ch), ("ch2", ch2))}
    users["organiser"] = factories.make_user("organiser")
    db.session.flush()
    return event, (kr, ch, ch2, kr2), users


def test_request_accept_and_cancel(any_app):
    event, (kr, ch, _ch2, _kr2), users = _setup()
    row = service.create_request(event, kr.id, ch.id, users["kr"], priority="must", message="  Brake pads  ")
    assert (row.status, row.priority, row.message, row.created_by_id) == ("pending", "must", "Brake pads", users["kr"].id)
    assert row.score and row.score > 10
    assert service.allowed_actions(row, users["kr"]) == ["withdraw"]
    assert sorted(service.allowed_actions(row, users["ch"])) == ["accept", "decline"]
    service.respond_to_request(row, "accept", users["ch"])
    assert row.status == "accepted" and row.responded_by_id == users["ch"].id and row.responded_at is not None
    assert service.accepted_count(event, kr.id) == service.accepted_count(event, ch.id) == 1
    service.respond_to_request(row, "withdraw", users["ch"], reason="Travel cancelled")
    assert (row.status, row.decline_reason) == ("withdrawn", "Travel cancelled")


@pytest.mark.parametrize("path, action", [
    (["accept"], "accept"), (["accept"], "decline"), (["decline"], "accept"), (["decline"], "withdraw"),
    (["withdraw"], "accept"), (["withdraw"], "withdraw"), ([], "shout"),
])
def test_illegal_transitions_are_rejected(any_app, path, action):
    event, (kr, ch, _ch2, _kr2), users = _setup()
    row = service.create_request(event, kr.id, ch.id, users["kr"])
    for step in path:
        service.respond_to_request(row, step, users["organiser"])
    before = row.status
    with pytest.raises(ServiceError):
        service.respond_to_request(row, action, users["organiser"])
    assert row.status == before


def test_who_may_do_what(any_app):
    event, (kr, ch, ch2, _kr2), users = _setup()
    row = service.create_request(event, kr.id, ch.id, users["kr"])
    with pytest.raises(service.NotAllowed):
        service.respond_to_request(row, "accept", users["kr"])  # the requester cannot accept
    with pytest.raises(service.NotAllowed):
        service.respond_to_request(row, "decline", users["ch2"])  # a stranger cannot answer
    with pytest.raises(service.NotAllowed):
        service.respond_to_request(row, "withdraw", users["ch"])  # the target declines, not withdraws
    with pytest.raises(service.NotAllowed):
        service.create_request(event, ch.id, kr.id, users["ch2"])  # only for one's own firm
    assert row.status == "pending"
    service.respond_to_request(row, "decline", users["ch"], reason="We have a supplier")
    assert (row.status, row.decline_reason) == ("declined", "We have a supplier")


def test_request_rules(any_app):
    event, (kr, ch, ch2, kr2), users = _setup()
    with pytest.raises(ServiceError):
        service.create_request(event, kr.id, kr2.id, users["kr"])  # same region, cross-region event
    with pytest.raises(ServiceError):
        service.create_request(event, kr.id, kr.id, users["kr"])
    with pytest.raises(ServiceError):
        service.create_request(event, kr.id, ch.id, users["kr"], priority="urgent")
    service.create_request(event, kr.id, ch.id, users["kr"])
    with pytest.raises(ServiceError):
        service.create_request(event, kr.id, ch.id, users["kr"])  # already asked
    with pytest.raises(ServiceError):
        service.create_request(event, ch.id, kr.id, users["ch"])  # the other way round too
    outsider = factories.make_firm("chelyabinsk", offers=["870830"])
    with pytest.raises(ServiceError):
        service.create_request(event, kr.id, outsider.id, users["kr"])  # not registered
    event.who_can_meet = "any"
    assert service.create_request(event, kr.id, kr2.id, users["kr"]).status == "pending"


def test_declined_requests_can_only_be_renewed_by_organisers(any_app):
    event, (kr, ch, _ch2, _kr2), users = _setup()
    row = service.create_request(event, kr.id, ch.id, users["kr"])
    service.respond_to_request(row, "decline", users["ch"])
    with pytest.raises(ServiceError):
        service.create_request(event, kr.id, ch.id, users["kr"])
    again = service.create_request(event, kr.id, ch.id, users["organiser"])
    assert again.id == row.id and again.status == "pending" and again.decline_reason is None
    service.respond_to_request(again, "withdraw", users["kr"])
    assert service.create_request(event, kr.id, ch.id, users["kr"]).status == "pending"


def test_open_request_limit(any_app):
    event, (kr, ch, ch2, _kr2), users = _setup(max_open_requests=1)
    service.create_request(event, kr.id, ch.id, users["kr"])
    with pytest.raises(ServiceError) as error:
        service.create_request(event, kr.id, ch2.id, users["kr"])
    assert "1" in error.value.message
    assert service.create_request(event, kr.id, ch2.id, users["organiser"]).status == "pending"  # organisers may


def test_auto_accept_mode_and_meeting_maximum(any_app):
    event, (kr, ch, ch2, _kr2), users = _setup(request_mode="auto-accept", max_meetings=1)
    assert service.create_request(event, kr.id, ch.id, users["kr"]).status == "accepted"
    with pytest.raises(ServiceError):
        service.create_request(event, kr.id, ch2.id, users["kr"])  # kr is full
    assert db.session.scalar(select(MeetingRequest).where(MeetingRequest.target_firm_id == ch2.id)) is None


def test_accepting_never_passes_the_maximum(any_app):
    event, (kr, ch, ch2, _kr2), users = _setup(max_meetings=1)
    first = service.create_request(event, kr.id, ch.id, users["kr"])
    second = service.create_request(event, kr.id, ch2.id, users["kr"])
    service.respond_to_request(first, "accept", users["ch"])
    with pytest.raises(ServiceError):
        service.respond_to_request(second, "accept", users["ch2"])
    assert second.status == "pending"
    registration = service.registration(event, kr.id)
    registration.max_meetings = 2
    service.respond_to_request(second, "accept", users["ch2"])
    assert second.status == "accepted"


def test_organiser_approval_mode(any_app):
    event, (kr, ch, _ch2, _kr2), users = _setup(request_mode="organiser-approval")
    row = service.create_request(event, kr.id, ch.id, users["kr"])
    assert "accept" not in service.allowed_actions(row, users["ch"])
    with pytest.raises(service.NotAllowed):
        service.respond_to_request(row, "accept", users["ch"])
    service.respond_to_request(row, "accept", users["organiser"])
    assert row.status == "accepted"


def test_organisers_create_accepted_requests_on_a_firms_behalf(any_app):
    event, (kr, ch, _ch2, _kr2), users = _setup()
    with pytest.raises(service.NotAllowed):
        service.create_request(event, kr.id, ch.id, users["kr"], accept=True)
    row = service.create_request(event, kr.id, ch.id, users["organiser"], accept=True)
    assert row.status == "accepted" and row.responded_by_id == users["organiser"].id


def test_demand_rows_put_firms_without_meetings_first(any_app):
    event, (kr, ch, ch2, kr2), users = _setup(min_meetings=2)
    service.respond_to_request(service.create_request(event, kr.id, ch.id, users["kr"]), "accept", users["ch"])
    service.create_request(event, kr.id, ch2.id, users["kr"])
    rows = {row.firm.id: row for row in demand_rows(event)}
    assert rows[kr.id].accepted == 1 and rows[kr.id].pending_sent == 1 and rows[kr.id].level == "few"
    assert rows[ch2.id].pending_received == 1 and rows[ch2.id].level == "none"
    assert demand_rows(event)[-1].accepted == 1


# --- through the web ----------------------------------------------------------------------

@pytest.fixture
def web(app, client, auth):
    event, firms, users = _setup()
    db.session.commit()
    return event, firms, users


def test_request_flow_in_the_browserless_client(web, client, auth):
    event, (kr, ch, _ch2, _kr2), users = web
    auth.login(users["kr"].email)
    page = client.get(f"/requests/new?event={event.slug}&target={ch.id}&lang=en")
    assert page.status_code == 200 and "They offer 870830" in page.get_data(as_text=True)
    response = client.post(f"/requests/new?event={event.slug}",
                           data={"target": ch.id, "priority": "must", "message": "Hello"})
    assert response.status_code == 302
    row = db.session.scalar(select(MeetingRequest))
    assert (row.status, row.priority, row.message) == ("pending", "must", "Hello")
    auth.logout()
    auth.login(users["ch"].email)
    inbox = client.get(f"/requests/?event={event.slug}&lang=ru").get_data(as_text=True)
    assert "Hello" in inbox and f'data-request-id="{row.id}"' in inbox
    assert 'class="badge inbox-count"' in inbox  # one request waits for ch's answer
    assert client.post(f"/requests/{row.id}/accept").status_code == 302
    db.session.refresh(row)
    assert row.status == "accepted"


def test_form_errors_come_back_in_the_users_language(web, client, auth):
    event, (kr, ch, _ch2, kr2), users = web
    auth.login(users["kr"].email)
    response = client.post(f"/requests/new?event={event.slug}&lang=ru",
                           data={"target": kr2.id, "priority": "would_like", "message": "x" * 1200})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "x" * 1200 in html  # nothing typed is lost
    assert "1000" in html
    assert db.session.scalar(select(MeetingRequest)) is None


def test_access_matrix(web, client, auth):
    event, (kr, ch, ch2, _kr2), users = web
    row = service.create_request(event, kr.id, ch.id, users["kr"])
    db.session.commit()
    auth.login(users["ch2"].email)  # a third firm
    assert client.post(f"/requests/{row.id}/accept").status_code == 404
    assert client.post(f"/requests/{row.id}/withdraw").status_code == 404
    assert client.get(f"/requests/?firm={kr.id}").status_code == 200  # ignored: shows its own inbox
    assert f'data-request-id="{row.id}"' not in client.get(f"/requests/?firm={kr.id}").get_data(as_text=True)
    assert client.get(f"/api/v1/firms/{kr.id}/matches").status_code == 403
    assert client.get(f"/firms/{kr.id}/matches").status_code == 403
    assert client.get(f"/firms/{kr.id}/edit").status_code == 403
    assert client.post(f"/firms/{kr.id}/edit", data={"name_native": "Hacked"}).status_code == 403
    assert client.get("/requests/demand").status_code == 403
    assert client.get(f"/requests/demand/{kr.id}/suggest").status_code == 403
    private = client.get(f"/firms/{kr.id}").get_data(as_text=True)
    assert kr.participants[0].email not in private
    auth.logout()
    auth.login(users["kr"].email)
    assert client.post(f"/requests/{row.id}/accept").status_code == 403  # own request: cannot accept it
    db.session.refresh(row)
    assert row.status == "pending"
    assert client.get("/requests/nonsense").status_code in (404, 405)
    auth.logout()
    assert client.get(f"/requests/?event={event.slug}").status_code == 302  # log in first


def test_organiser_demand_view_and_suggestions(web, client, auth):
    event, (kr, ch, ch2, _kr2), users = web
    auth.login(users["organiser"].email)
    html = client.get(f"/requests/demand?event={event.slug}&lang=en").get_data(as_text=True)
    assert "demand-none" in html and f'data-firm-id="{kr.id}"' in html
    suggest = client.get(f"/requests/demand/{kr.id}/suggest?event={event.slug}&lang=en").get_data(as_text=True)
    assert f'data-firm-id="{ch.id}"' in suggest and f'data-firm-id="{ch2.id}"' in suggest
    response = client.post(f"/requests/new?event={event.slug}&firm={kr.id}",
                           data={"target": ch.id, "priority": "would_like", "accept": "y"})
    assert response.status_code == 302 and "/requests/demand" in response.headers["Location"]
    row = db.session.scalar(select(MeetingRequest))
    assert (row.requester_firm_id, row.status) == (kr.id, "accepted")
    suggest = client.get(f"/requests/demand/{kr.id}/suggest?event={event.slug}").get_data(as_text=True)
    assert f'data-firm-id="{ch.id}"' not in suggest


# --- after the event, and at the meeting maximum --------------------------------------------

def test_event_over_is_judged_in_the_events_time_zone(any_app):
    event = factories.make_event(start=date(2026, 11, 8), end=date(2026, 11, 11))
    # 21:00 UTC on the 11th is already the 12th in Tehran (+03:30), still the 11th in UTC.
    late = datetime(2026, 11, 11, 21, 0, tzinfo=UTC)
    assert service.event_over(event, late)
    assert not service.event_over(event, late.replace(hour=12))
    event.timezone = "UTC"
    assert not service.event_over(event, late)


def test_firms_cannot_request_or_accept_after_the_event_but_organisers_can(any_app):
    event, (kr, ch, ch2, _kr2), users = _setup()
    pending = service.create_request(event, kr.id, ch.id, users["kr"])
    event.start_date, event.end_date = date.today() - timedelta(days=20), date.today() - timedelta(days=17)
    db.session.flush()
    with pytest.raises(ServiceError, match="is over"):
        service.create_request(event, kr.id, ch2.id, users["kr"])
    assert "accept" not in service.allowed_actions(pending, users["ch"])
    assert "is over" in service.accept_blocker(pending, users["ch"])
    with pytest.raises(ServiceError, match="is over"):
        service.respond_to_request(pending, "accept", users["ch"])
    assert pending.status == "pending"
    # The organisers record what happened.
    assert service.accept_blocker(pending, users["organiser"]) is None
    service.respond_to_request(pending, "accept", users["organiser"])
    assert service.create_request(event, kr.id, ch2.id, users["organiser"], accept=True).status == "accepted"


def test_the_request_page_says_the_event_is_over_in_the_users_language(app, client, auth):
    event, (kr, ch, _ch2, _kr2), users = _setup(start=date.today() - timedelta(days=18),
                                                  end=date.today() - timedelta(days=15))
    db.session.commit()
    auth.login(users["kr"].email)
    page = client.get(f"/requests/new?event={event.slug}&target={ch.id}&lang=ru").get_data(as_text=True)
    request_form = page.split('action="/requests/new')[1].split("</form>")[0]
    assert "завершилось" in page and 'type="submit"' not in request_form
    response = client.post(f"/requests/new?event={event.slug}&lang=fa", data={"target": ch.id, "priority": "must"})
    assert response.status_code == 422 and "به پایان رسیده" in response.get_data(as_text=True)
    assert db.session.scalar(select(MeetingRequest)) is None
    matches = client.get(f"/firms/{kr.id}/matches?event={event.slug}&lang=en").get_data(as_text=True)
    assert "is over" in matches and "/requests/new" not in matches


def test_no_accept_button_when_a_firm_is_at_its_maximum(app, client, auth):
    event, (kr, ch, ch2, _kr2), users = _setup(max_meetings=1)
    service.respond_to_request(service.create_request(event, kr.id, ch.id, users["kr"]), "accept", users["ch"])
    second = service.create_request(event, kr.id, ch2.id, users["kr"])
    db.session.commit()
    assert service.allowed_actions(second, users["ch2"]) == ["decline"]
    auth.login(users["ch2"].email)
    html = client.get(f"/requests/?event={event.slug}&lang=en").get_data(as_text=True)
    card = html.split(f'data-request-id="{second.id}"')[1].split("</article>")[0]
    assert "/accept" not in card and "already has the maximum of 1 meeting in" in card and "/decline" in card
    service.registration(event, kr.id).max_meetings = 2
    db.session.commit()
    card = client.get(f"/requests/?event={event.slug}&lang=en").get_data(as_text=True).split(
        f'data-request-id="{second.id}"')[1].split("</article>")[0]
    assert f"/requests/{second.id}/accept" in card and "maximum" not in card
