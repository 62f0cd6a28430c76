"""Meeting requests send e-mail notices to the other firm, in each person's language."""
from datetime import date, timedelta

from sqlalchemy import select

from planner.extensions import db
from planner.models.mail import OutgoingMessage
from planner.requests import services as service
from tests.factories import make_event, make_firm, make_user


def _messages():
    return db.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)).all()


def _setup():
    from planner.models import EventRegistration

    start = date.today() + timedelta(days=30)  # requests close for firms once an event is over
    event = make_event(request_mode="mutual-accept", start=start, end=start + timedelta(days=1))
    buyer = make_firm("khorasan-razavi", needs=["2601"], participants=2)
    seller = make_firm("chelyabinsk", offers=["260111"])
    for firm in (buyer, seller):
        db.session.add(EventRegistration(event=event, firm=firm))
    buyer_user = make_user(firm=buyer)
    seller_user = make_user(firm=seller)
    db.session.flush()
    return event, buyer, seller, buyer_user, seller_user


def test_create_accept_and_withdraw_notify_the_other_side(app):
    event, buyer, seller, buyer_user, seller_user = _setup()
    row = service.create_request(event, buyer.id, seller.id, buyer_user, priority="must", message="Pellets, 50 kt")
    created = _messages()
    assert {m.recipient for m in created} == {p.email for p in seller.participants}
    assert all(m.payload == {"request_id": row.id, "event": "created"} for m in created)
    assert created[0].locale == "ru", "Chelyabinsk participants read Russian"

    service.respond_to_request(row, "accept", seller_user)
    accepted = _messages()[len(created):]
    assert {m.recipient for m in accepted} == {p.email for p in buyer.participants}
    assert {m.payload["event"] for m in accepted} == {"accepted"} and accepted[0].locale == "fa"

    # The seller pulls out of the accepted meeting: the buyer hears of it.
    service.respond_to_request(row, "withdraw", seller_user, "plant shutdown")
    withdrawn = _messages()[len(created) + len(accepted):]
    assert {m.recipient for m in withdrawn} == {p.email for p in buyer.participants}
    assert {m.payload["event"] for m in withdrawn} == {"withdrawn"}


def test_notice_names_the_other_firm_in_the_readers_language(app):
    from planner.notifications.outbox import compose

    event, buyer, seller, buyer_user, seller_user = _setup()
    row = service.create_request(event, buyer.id, seller.id, buyer_user)
    service.respond_to_request(row, "decline", seller_user, "no capacity this year")
    notice = next(m for m in _messages() if m.payload["event"] == "declined")
    raw = compose(notice).decode("ascii")
    import email
    import email.policy

    parsed = email.message_from_string(raw, policy=email.policy.default)
    body = parsed.get_body(("plain",)).get_content()
    assert parsed["Content-Language"] == "fa"
    assert seller.name_latin in str(parsed["Subject"]) or seller.name_native in str(parsed["Subject"])
    assert "no capacity this year" in body
