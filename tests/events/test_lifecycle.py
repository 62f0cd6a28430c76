"""A round's life cycle from the organiser's pages: a new round from an exhibition, a copy onto
another exhibition's days, the registration deadline (Jalali entry in Persian), approval of
firms, archiving and restoring, deleting while nothing was published."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from planner.errors import ServiceError
from planner.events import lifecycle, removal
from planner.events.services import usable_days
from planner.extensions import db
from planner.matching.candidates import event_firm_ids, suggest_partners
from planner.models import (
    Attendance,
    DeletedSetupItem,
    Event,
    EventRegistration,
    EventSession,
    Exhibition,
    Firm,
    Interpreter,
    MeetingRequest,
    MeetingTable,
    OutgoingMessage,
    ScheduleVersion,
    Slot,
)
from planner.models.base import utcnow
from planner.requests.services import create_request
from planner.scheduling.translate import build_problem
from tests import factories

TEHRAN = ZoneInfo("Asia/Tehran")


def _organiser(auth, email: str = "org@karvan.example"):
    user = factories.make_user("organiser", email=email)
    db.session.commit()
    auth.login(user.email)
    return user


def _exhibition(key: str = "energy-test", start: date = date(2027, 1, 10), days: int = 4) -> Exhibition:
    exhibition = Exhibition(key=key, title_fa="نمایشگاه نیرو و آب", title_ru="Энергетика и вода", title_en="Power and Water",
                            venue="Mashhad International Exhibition Center", start_date=start,
                            end_date=start + timedelta(days=days - 1))
    db.session.add(exhibition)
    db.session.flush()
    return exhibition


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_new_round_from_an_exhibitions_page_takes_its_names_and_a_free_short_name(app, client, auth):
    exhibition = _exhibition()
    factories.make_event(slug="energy-test-b2b")
    _organiser(auth)
    assert f"/organiser/events/new?exhibition={exhibition.id}" in client.get("/exhibitions/energy-test").get_data(as_text=True)
    form = client.get(f"/organiser/events/new?exhibition={exhibition.id}&lang=fa").get_data(as_text=True)
    assert 'value="energy-test-b2b-2"' in form, "the first short name is taken, so the next free one is offered"
    assert 'value="نمایشگاه نیرو و آب"' in form and 'value="Энергетика и вода"' in form and 'value="Power and Water"' in form
    response = client.post("/organiser/events/new?lang=fa", data={
        "slug": "energy-test-b2b-2", "name_fa": "نمایشگاه نیرو و آب", "name_ru": "Энергетика и вода", "exhibition_id": exhibition.id,
        "slot_minutes": "۲۵", "break_minutes": "۵", "who_can_meet": "cross-region", "min_meetings": "0",
        "request_mode": "mutual-accept"})
    assert response.status_code == 302
    event = db.session.scalar(select(Event).where(Event.slug == "energy-test-b2b-2"))
    assert (event.start_date, event.end_date, event.exhibition_id) == (date(2027, 1, 10), date(2027, 1, 13), exhibition.id)
    # a huge or odd exhibition number is no exhibition, never an error
    assert client.get("/organiser/events/new?exhibition=99999999999999999999").status_code == 200


def test_a_round_is_copied_onto_another_exhibitions_days_from_its_page(app, client, auth):
    source = factories.make_event(slug="autumn", start=date(2026, 11, 8), end=date(2026, 11, 9), tables=3,
                                  approve_firms=True)
    host = factories.make_firm("khorasan-razavi")
    source.tables.append(MeetingTable(name="Stand Toos", position=9, host_firm=host))
    source.interpreters.append(Interpreter(name="مریم رضایی", languages=["fa", "ru"]))
    exhibition = _exhibition()
    _organiser(auth)
    page = client.get(f"/organiser/events/{source.id}/clone?lang=fa").get_data(as_text=True)
    assert "نمایشگاه نیرو و آب" in page and "۱۴۰۵" in page, "the shows are listed with Jalali dates in Persian digits"
    refused = client.post(f"/organiser/events/{source.id}/clone?lang=fa", data={"exhibition_id": "0", "slug": "winter"})
    assert refused.status_code == 422 and "یک نمایشگاه برگزینید." in refused.get_data(as_text=True)
    assert 'value="winter"' in refused.get_data(as_text=True), "what was typed is kept"

    response = client.post(f"/organiser/events/{source.id}/clone?lang=ru", data={
        "exhibition_id": exhibition.id, "slug": "winter", "name_ru": "Зимний раунд"})
    assert response.status_code == 302
    event = db.session.scalar(select(Event).where(Event.slug == "winter"))
    assert response.headers["Location"].endswith(f"/organiser/events/{event.id}")
    assert event.name == {"fa": "نمایشگاه نیرو و آب", "ru": "Зимний раунд", "en": "Power and Water"}
    assert (event.start_date, event.end_date, event.exhibition_id) == (exhibition.start_date, exhibition.end_date, exhibition.id)
    assert [(t.name, t.host_firm_id) for t in event.tables] == [(t.name, t.host_firm_id) for t in source.tables]
    assert [i.name for i in event.interpreters] == ["مریم رضایی"] and event.approve_firms
    session_days = {s.start_dt.astimezone(TEHRAN).date() for s in event.sessions}
    assert session_days == usable_days(event) and session_days
    assert {s.start_dt.astimezone(TEHRAN).time() for s in event.sessions} == {time(9)}
    assert event.registrations == [] and event.registration_deadline_dt is None

    again = client.post(f"/organiser/events/{source.id}/clone?lang=ru", data={"exhibition_id": exhibition.id, "slug": "winter"})
    assert again.status_code == 422 and "Это короткое имя уже занято другим мероприятием." in again.get_data(as_text=True)
    assert _count(Event, Event.slug == "winter") == 1


def test_the_registration_deadline_is_typed_in_jalali_and_shown_in_tehran_time(app, client, auth):
    event = factories.make_event(slug="dec", start=date(2026, 12, 20), end=date(2026, 12, 21))
    _organiser(auth)
    page = client.get(f"/organiser/events/{event.id}/round?lang=fa").get_data(as_text=True)
    assert "data-jdp" in page, "the Jalali date picker serves the deadline's day in Persian"
    response = client.post(f"/organiser/events/{event.id}/round?lang=fa",
                           data={"deadline_day": "۱۴۰۵/۰۹/۲۵", "deadline_time": "۱۸:۳۰"})
    assert response.status_code == 302
    # 25 Azar 1405 = 16 December 2026; 18:30 in Tehran (UTC+03:30) is 15:00 UTC
    assert event.registration_deadline_dt == datetime(2026, 12, 16, 15, 0, tzinfo=UTC)
    page = client.get(f"/organiser/events/{event.id}/round?lang=fa").get_data(as_text=True)
    assert "۲۵ آذر ۱۴۰۵" in page and "۱۸:۳۰" in page and 'value="۱۴۰۵/۰۹/۲۵"' in page
    public = client.get(f"/rounds/{event.slug}?lang=ru").get_data(as_text=True)
    assert "16 дек. 2026, 18:30" in public and "по тегеранскому времени" in public

    late = client.post(f"/organiser/events/{event.id}/round?lang=fa", data={"deadline_day": "2026-12-28", "deadline_time": ""})
    assert late.status_code == 422 and "مهلت پس از آخرین روز دور است." in late.get_data(as_text=True)
    assert 'value="2026-12-28"' in late.get_data(as_text=True)
    assert event.registration_deadline_dt == datetime(2026, 12, 16, 15, 0, tzinfo=UTC)
    cleared = client.post(f"/organiser/events/{event.id}/round?lang=en", data={"deadline_day": "", "deadline_time": ""})
    assert cleared.status_code == 302 and event.registration_deadline_dt is None


def test_after_the_deadline_firms_can_neither_join_nor_send_requests_organisers_still_can(app, client, auth):
    event = factories.make_event(slug="closed", start=date(2027, 1, 10), end=date(2027, 1, 11))
    event.registration_deadline_dt = utcnow() - timedelta(hours=1)
    joined = factories.make_firm("khorasan-razavi", offers=["8413"])
    partner = factories.make_firm("chelyabinsk", needs=["8413"])
    late = factories.make_firm("khorasan-razavi")
    for firm in (joined, partner):
        event.registrations.append(EventRegistration(firm=firm))
    member = factories.make_user(firm=joined, email="member@toos.example")
    newcomer = factories.make_user(firm=late, email="late@firm.example", locale="ru")
    organiser = factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()

    with pytest.raises(ServiceError) as refused:
        create_request(event, joined.id, partner.id, member)
    assert "closed on" in refused.value.message or "закрылась" in refused.value.message or "بسته شد" in refused.value.message
    db.session.rollback()
    row = create_request(event, joined.id, partner.id, organiser)  # organisers still can
    assert row.id is not None
    db.session.commit()

    auth.login(newcomer.email)
    page = client.get(f"/rounds/{event.slug}?lang=ru").get_data(as_text=True)
    assert "Регистрация на «Тестовый раунд» закрылась" in page and "Участвовать в раунде моей фирмой" not in page
    response = client.post(f"/rounds/{event.slug}/join?lang=ru", follow_redirects=True)
    assert "закрылась" in response.get_data(as_text=True)
    assert lifecycle.registration_of(event, late.id) is None
    form = client.get(f"/firms/{late.id}/edit?lang=ru").get_data(as_text=True)
    assert "Тестовый раунд" not in form, "a round closed to new firms is not offered on the profile form"


def test_firms_wait_for_approval_and_are_neither_matched_nor_scheduled_meanwhile(app, client, auth):
    event = factories.make_event(slug="approval", start=date(2027, 1, 10), end=date(2027, 1, 11))
    guest = factories.make_firm("chelyabinsk", needs=["8413"], offers=["7208"])
    host = factories.make_firm("khorasan-razavi", offers=["8413"], needs=["7208"], name="پمپ توس", name_latin="Toos Pump")
    event.registrations.append(EventRegistration(firm=guest))
    member = factories.make_user(firm=host, email="reza@toospump.example", locale="fa")
    organiser = factories.make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login(organiser.email)
    assert client.post(f"/organiser/events/{event.id}/round?lang=en", data={"approve_firms": "y"}).status_code == 302
    assert event.approve_firms
    auth.logout()

    auth.login(member.email)
    response = client.post(f"/rounds/{event.slug}/join?lang=fa")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/rounds/{event.slug}")
    registration = lifecycle.registration_of(event, host.id)
    assert registration.status == "pending" and not registration.takes_part
    assert "در انتظار تأیید برگزارکنندگان" in client.get(f"/rounds/{event.slug}?lang=fa").get_data(as_text=True)
    assert 'data-standing="pending"' in client.get(f"/firms/{host.id}?lang=fa").get_data(as_text=True)
    matches = client.get(f"/firms/{host.id}/matches?event={event.slug}&lang=en").get_data(as_text=True)
    assert 'data-standing="pending"' in matches and "Request a meeting" not in matches
    with pytest.raises(ServiceError):
        create_request(event, host.id, guest.id, member)
    db.session.rollback()

    # meanwhile nobody is offered the waiting firm, and the scheduler leaves it out, saying why
    assert host.id not in event_firm_ids(event)
    assert [pair.firm_b for pair in suggest_partners(event, guest.id)] == []
    request = factories.make_request(event, guest, host)
    translation = build_problem(event)
    assert host.id not in translation.firm_people
    assert [(entry["request_id"], entry["reason"]) for entry in translation.skipped] == [(request.id, "not_approved")]
    db.session.commit()
    auth.logout()

    auth.login(organiser.email)
    listing = client.get(f"/organiser/events/{event.id}/registrations?lang=fa").get_data(as_text=True)
    assert listing.index(f'data-firm="{host.id}"') < listing.index(f'data-firm="{guest.id}"'), "waiting firms first"
    assert "پمپ توس" in listing and "تأیید" in listing and "نپذیرفتن" in listing
    approve = f"/organiser/events/{event.id}/registrations/{registration.id}/approve?lang=en"
    assert "takes part in the round now" in client.post(approve, follow_redirects=True).get_data(as_text=True)
    assert registration.takes_part and host.id in event_firm_ids(event)
    assert "Nothing changed" in client.post(approve, follow_redirects=True).get_data(as_text=True)
    assert [pair.firm_b for pair in suggest_partners(event, guest.id, exclude_requested=False)] == [host.id]
    assert host.id in build_problem(event).firm_people

    client.post(f"/organiser/events/{event.id}/registrations/{registration.id}/refuse")
    assert registration.status == "refused" and host.id not in event_firm_ids(event)
    late = factories.make_firm("khorasan-razavi")
    event.registrations.append(EventRegistration(firm=late, status="pending"))
    db.session.commit()
    released = client.post(f"/organiser/events/{event.id}/round?lang=en", data={}, follow_redirects=True)
    assert "1 firm that was waiting takes part now." in released.get_data(as_text=True)
    assert lifecycle.registration_of(event, late.id).takes_part and registration.status == "refused"


def test_an_archived_round_is_hidden_from_lists_and_pickers_and_restorable(app, client, auth):
    event = factories.make_event(slug="old-round", start=date(2027, 1, 10), end=date(2027, 1, 11))
    firm = factories.make_firm("khorasan-razavi")
    member = factories.make_user(firm=firm, email="member@firm.example")
    _organiser(auth)
    response = client.post(f"/organiser/events/{event.id}/archive?lang=en", follow_redirects=True)
    assert "is archived" in response.get_data(as_text=True) and event.archived_at is not None
    index = client.get("/organiser/events/?lang=en").get_data(as_text=True)
    assert "old-round" not in index and "1 archived round" in index
    assert "old-round" in client.get("/organiser/events/archived").get_data(as_text=True)
    assert client.get(f"/rounds/{event.slug}").status_code == 200, "organisers still read it"
    assert client.get(f"/organiser/events/{event.id}").status_code == 200
    assert 'value="old-round"' not in client.get("/onboarding/import").get_data(as_text=True)
    assert 'value="old-round"' not in client.get("/organiser/reminders/").get_data(as_text=True)
    auth.logout()

    assert 'data-round="old-round"' not in client.get("/").get_data(as_text=True)
    assert client.get(f"/rounds/{event.slug}").status_code == 404
    auth.login(member.email)
    assert "Тестовый раунд" not in client.get(f"/firms/{firm.id}/edit?lang=ru").get_data(as_text=True)
    assert client.post(f"/rounds/{event.slug}/join").status_code == 404
    auth.logout()

    auth.login("org@karvan.example")
    client.post(f"/organiser/events/{event.id}/restore")
    assert event.archived_at is None and "old-round" in client.get("/organiser/events/").get_data(as_text=True)


def _round_with_everything():
    """A round with sessions, tables, an interpreter, registrations, attendance, requests (with
    their notices), a draft version and a delegation that attends it."""
    from planner.scheduling.drafts import solve_event

    event = factories.make_event(slug="doomed", start=date(2027, 1, 10), end=date(2027, 1, 11), tables=2)
    event.interpreters.append(Interpreter(name="Interp", languages=["fa", "ru"]))
    host = factories.make_firm("khorasan-razavi", offers=["8413"])
    guest = factories.make_firm("chelyabinsk", needs=["8413"])
    for firm in (host, guest):
        event.registrations.append(EventRegistration(firm=firm))
    db.session.flush()
    db.session.add(Attendance(participant=host.participants[0], event=event, days=["2027-01-10"]))
    organiser = factories.make_user("organiser", email="org@karvan.example")
    create_request(event, guest.id, host.id, organiser, accept=True)  # queues notices
    from planner.models import Delegation, Region

    delegation = Delegation(key="visit", region=db.session.scalar(select(Region).where(Region.key == "chelyabinsk")),
                            name={"en": "Visit"}, members=list(guest.participants), events=[event])
    db.session.add(delegation)
    db.session.flush()
    solve_event(event, time_limit_s=2)
    # what the setup page leaves behind: a deletion kept for undo, a slot retired by a re-cut
    db.session.add(DeletedSetupItem(event_id=event.id, kind="table", payload={"id": 999}))
    first = event.sessions[0].slots[0]
    db.session.add(Slot(session_id=event.sessions[0].id, start_dt=first.start_dt, end_dt=first.end_dt, retired_at=utcnow()))
    db.session.commit()
    return event, (host, guest), delegation


def test_deleting_a_round_says_what_goes_and_leaves_firms_and_delegations(any_app):
    event, firms, delegation = _round_with_everything()
    summary = removal.deletion_summary(event)
    assert (summary.sessions, summary.tables, summary.interpreters, summary.registrations, summary.requests,
            summary.drafts, summary.allowed) == (2, 2, 1, 2, 1, 1, True)
    event_id = event.id
    removal.delete_event(event)
    db.session.commit()
    assert db.session.get(Event, event_id) is None
    for model, column in ((EventSession, EventSession.event_id), (MeetingTable, MeetingTable.event_id),
                          (Interpreter, Interpreter.event_id), (EventRegistration, EventRegistration.event_id),
                          (MeetingRequest, MeetingRequest.event_id), (ScheduleVersion, ScheduleVersion.event_id),
                          (Attendance, Attendance.event_id), (OutgoingMessage, OutgoingMessage.event_id),
                          (DeletedSetupItem, DeletedSetupItem.event_id)):
        assert _count(model, column == event_id) == 0, model
    assert _count(Slot) == 0
    assert all(db.session.get(Firm, firm.id) is not None for firm in firms)
    assert db.session.get(type(delegation), delegation.id).events == []


def test_the_delete_page_lists_the_counts_and_a_published_round_is_only_archived(app, client, auth):
    event, _firms, _delegation = _round_with_everything()
    auth.login("org@karvan.example")
    page = client.get(f"/organiser/events/{event.id}/delete?lang=fa").get_data(as_text=True)
    for text in ("۲ نوبت", "۲ میز", "۱ مترجم", "۲ ثبت‌نام شرکت", "۱ درخواست ملاقات", "۱ نسخهٔ منتشرنشدهٔ برنامه"):
        assert text in page, text
    assert "حذف همیشگی دور" in page
    event_id = event.id
    response = client.post(f"/organiser/events/{event_id}/delete?lang=en", follow_redirects=True)
    assert "is deleted" in response.get_data(as_text=True) and db.session.get(Event, event_id) is None
    assert client.post(f"/organiser/events/{event_id}/delete").status_code == 404, "a second confirm finds nothing"

    scenario = factories.make_meeting_scenario()  # published
    db.session.commit()
    published = scenario["event"]
    page = client.get(f"/organiser/events/{published.id}/delete?lang=en").get_data(as_text=True)
    assert "cannot be deleted; archive it instead" in page and "Delete the round for good" not in page
    refused = client.post(f"/organiser/events/{published.id}/delete?lang=en", follow_redirects=True)
    assert "cannot be deleted" in refused.get_data(as_text=True) and db.session.get(Event, published.id) is not None
    with pytest.raises(ServiceError):
        removal.delete_event(published)
