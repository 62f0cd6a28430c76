"""Demo meeting requests for the event `demo`, and a log-in for every demo firm.

Requests follow the match scores: the best-fitting cross-region pairs are asked first and
mostly accepted, some are still waiting, some declined, a few withdrawn, so the scheduler has
a meaningful problem (≥ 150 accepted) and the inbox and demand views have every state. No
firm gets more accepted meetings than `ACCEPTED_CAP` (below the event's maximum of 10) so a
schedule exists. Requests are made over the four weeks before the event and answered before
it opens (`REQUEST_WINDOW`, local office hours, a seeded clock). Loading is idempotent:
nothing is added once the event has requests, and firm accounts are found by e-mail.
"""
from __future__ import annotations

import logging
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from planner.demo.logins import DEMO_ORGANISER_EMAIL, DEMO_PASSWORD
from planner.extensions import db
from planner.matching.candidates import score_pairs_for_event
from planner.models import Event, Firm, MeetingRequest, User
from planner.models.enums import RequestPriority, RequestStatus, Role

log = logging.getLogger(__name__)
DEMO_EVENT = "demo"
ACCEPTED_CAP = 8
ACCEPTED_TARGET = 160
PENDING_TARGET = 25
SEED = 1405
REQUEST_WINDOW = (28, 3)  # requests made from 28 to 3 days before the first day
ANSWERED_BY = 1  # every answer is in by the day before

MESSAGES = {
    "fa": [
        "سلام؛ ما به {code} نیاز داریم و مایلیم درباره تأمین منظم و قیمت گفت‌وگو کنیم.",
        "با توجه به نیاز ما به {code}، خوشحال می‌شویم در نمایشگاه شما را ببینیم.",
        "ما برای {code} به دنبال تأمین‌کننده بلندمدت هستیم؛ لطفاً نمونه و کاتالوگ همراه داشته باشید.",
    ],
    "ru": [
        "Здравствуйте! Нам нужен товар {code}; хотели бы обсудить регулярные поставки и цены.",
        "Ищем долгосрочного поставщика по позиции {code}. Будем рады встрече на выставке.",
        "Интересует {code}. Просим взять с собой каталог и образцы.",
    ],
}
FIELD_MESSAGES = {
    "fa": "ما هر دو در زمینه {code} فعالیت می‌کنیم؛ مایلیم درباره همکاری گفت‌وگو کنیم.",
    "ru": "Мы работаем в одной области ({code}); хотели бы обсудить сотрудничество.",
}
GENERAL_MESSAGES = {
    "fa": "مایلیم در نمایشگاه با شما آشنا شویم و درباره همکاری گفت‌وگو کنیم.",
    "ru": "Хотели бы познакомиться на выставке и обсудить сотрудничество.",
}
OFFER_MESSAGES = {
    "fa": "ما {code} تولید می‌کنیم و فکر می‌کنیم برای شما مناسب است؛ مایلیم پیشنهاد خود را ارائه دهیم.",
    "ru": "Мы производим {code} и думаем, что это вам подойдёт; хотели бы представить наше предложение.",
}
DECLINE_REASONS = {
    "fa": ["در حال حاضر برای این محصول تأمین‌کننده داریم.", "ظرفیت ما تا پایان سال تکمیل است."],
    "ru": ["На эту позицию у нас уже есть поставщик.", "Наши мощности загружены до конца года."],
}
WITHDRAW_REASONS = {
    "fa": ["برنامه سفر ما تغییر کرد.", "موضوع را از طریق نماینده دیگری پیگیری می‌کنیم."],
    "ru": ["Изменились наши планы поездки.", "Этот вопрос ведём через другого представителя."],
}


def _language(firm: Firm) -> str:
    return firm.region.native_locale


def ensure_demo_firm_users(password: str) -> int:
    """A firm-member account for every demo firm: its first participant's e-mail and `password`."""
    password_hash = generate_password_hash(password)  # one hash for all: same password, and fast
    taken = set(db.session.scalars(select(User.email)))
    added = 0
    for firm in db.session.scalars(select(Firm).where(Firm.key.is_not(None)).order_by(Firm.id)):
        if not firm.participants:
            continue
        person = firm.participants[0]
        email = person.email.strip().lower()
        if email in taken:
            continue
        db.session.add(User(email=email, password_hash=password_hash, role=Role.FIRM_MEMBER, firm=firm,
                            name=person.display_name(_language(firm)), locale=_language(firm)))
        taken.add(email)
        added += 1
    db.session.flush()
    return added


def _user_id(user: User | None) -> int | None:
    return user.id if user is not None else None


def _message(rng: random.Random, requester: Firm, reasons) -> str:
    lang = _language(requester)
    for reason in reasons:
        if reason.code in ("they_offer_your_need", "their_activity_fits_your_need"):
            return rng.choice(MESSAGES[lang]).format(code=reason.params["need"])
    for reason in reasons:
        if reason.code in ("they_need_your_offer", "your_activity_fits_their_need"):
            return OFFER_MESSAGES[lang].format(code=reason.params.get("offer") or reason.params["activity"])
    for reason in reasons:
        if reason.code == "same_field":
            return FIELD_MESSAGES[lang].format(code=reason.params["field"])
    return GENERAL_MESSAGES[lang]


def _request_clock(event: Event, seed: int):
    """(created, answered) datetimes in UTC for one request: made in local office hours over
    `REQUEST_WINDOW` before the event, answered a few hours to two days later but always
    before `ANSWERED_BY` days ahead of the first day."""
    zone = ZoneInfo(event.timezone or "Asia/Tehran")
    rng = random.Random(seed)
    first, last = REQUEST_WINDOW
    answered_by = datetime.combine(event.start_date - timedelta(days=ANSWERED_BY), time(18), zone)

    def local(day: date, minutes: int) -> datetime:
        return datetime.combine(day, time(9), zone) + timedelta(minutes=minutes)

    def next_times():
        day = event.start_date - timedelta(days=rng.randint(last, first))
        created = local(day, rng.randrange(9 * 60))  # 09:00–18:00
        answered = min(created + timedelta(hours=rng.randint(2, 60), minutes=rng.randrange(60)), answered_by)
        return created.astimezone(ZoneInfo("UTC")), answered.astimezone(ZoneInfo("UTC"))

    return next_times


def seed_demo_requests(event_slug: str = DEMO_EVENT) -> dict[str, int]:
    """Requests in every state within the demo event; returns how many of each were added."""

    counts = {"firm_users": ensure_demo_firm_users(DEMO_PASSWORD)}
    event = db.session.scalar(select(Event).where(Event.slug == event_slug))
    if event is None:
        return counts
    if db.session.scalar(select(func.count()).select_from(MeetingRequest).where(MeetingRequest.event_id == event.id)):
        return counts
    rng = random.Random(SEED)
    firms = {firm.id: firm for firm in db.session.scalars(select(Firm))}
    members = {user.firm_id: user for user in db.session.scalars(select(User).where(User.firm_id.is_not(None)))}
    organiser = db.session.scalar(select(User).where(User.email == DEMO_ORGANISER_EMAIL))
    cap = min(ACCEPTED_CAP, event.max_meetings or ACCEPTED_CAP)
    accepted: dict[int, int] = {}
    tally = {RequestStatus.ACCEPTED: 0, RequestStatus.PENDING: 0, RequestStatus.DECLINED: 0, RequestStatus.WITHDRAWN: 0}
    clock = _request_clock(event, SEED)
    for pair in score_pairs_for_event(event):
        if tally[RequestStatus.ACCEPTED] >= ACCEPTED_TARGET and tally[RequestStatus.PENDING] >= PENDING_TARGET:
            break
        seen_from_a = pair.towards(pair.firm_a)
        a_needs = any(r.code in ("they_offer_your_need", "their_activity_fits_your_need") for r in seen_from_a.reasons)
        requester_id, target_id = (pair.firm_a, pair.firm_b) if a_needs else (pair.firm_b, pair.firm_a)
        view = pair.towards(requester_id)
        roll = rng.random()
        full = accepted.get(requester_id, 0) >= cap or accepted.get(target_id, 0) >= cap
        if tally[RequestStatus.ACCEPTED] >= ACCEPTED_TARGET or full:
            if roll >= 0.4:
                continue  # most pairs past a firm's cap are simply not asked
            status = RequestStatus.PENDING if roll < 0.25 else RequestStatus.DECLINED if roll < 0.35 else RequestStatus.WITHDRAWN
        else:
            status = (RequestStatus.ACCEPTED if roll < 0.85 else RequestStatus.PENDING if roll < 0.92
                      else RequestStatus.DECLINED if roll < 0.97 else RequestStatus.WITHDRAWN)
        created, answered = clock()
        requester, target = firms[requester_id], firms[target_id]
        row = MeetingRequest(
            event_id=event.id, requester_firm_id=requester_id, target_firm_id=target_id,
            priority=RequestPriority.MUST if pair.score >= 10 and rng.random() < 0.3 else RequestPriority.WOULD_LIKE,
            message=_message(rng, requester, view.reasons), status=status, score=pair.score,
            created_by_id=_user_id(members.get(requester_id) or organiser),
            created_at=created,
        )
        if status in (RequestStatus.ACCEPTED, RequestStatus.DECLINED):
            row.responded_by_id = _user_id(members.get(target_id) or organiser)
            row.responded_at = answered
            if status == RequestStatus.DECLINED:
                row.decline_reason = rng.choice(DECLINE_REASONS[_language(target)])
        elif status == RequestStatus.WITHDRAWN:
            row.responded_by_id = _user_id(members.get(requester_id) or organiser)
            row.responded_at = answered
            row.decline_reason = rng.choice(WITHDRAW_REASONS[_language(requester)])
        if status == RequestStatus.ACCEPTED:
            accepted[requester_id] = accepted.get(requester_id, 0) + 1
            accepted[target_id] = accepted.get(target_id, 0) + 1
        tally[status] += 1
        db.session.add(row)
    db.session.flush()
    log.info("demo requests: %s", tally)
    counts.update({f"requests_{status}": number for status, number in tally.items()})
    return counts
