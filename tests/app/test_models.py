"""Models on SQLite and PostgreSQL: hierarchies, constraints, UTC round trips."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from planner.extensions import db
from planner.models import Capability, Event, Firm, Need, Product, Sector, Slot, User
from tests.factories import make_event, make_firm, make_user


def test_reference_hierarchies_are_loaded(any_app):
    sector = db.session.get(Sector, "2930")
    assert sector.level == "class"
    assert [sector.parent.code, sector.parent.parent.code, sector.parent.parent.parent.code] == ["293", "29", "C"]
    product = db.session.get(Product, "870840")
    assert product.level == 6 and product.parent.code == "8708" and product.parent.parent.code == "87"
    assert db.session.scalar(select(db.func.count()).select_from(Product)) > 6000
    assert db.session.get(Sector, "C").title("fa") != db.session.get(Sector, "C").title_en, "sections carry Persian titles"
    assert db.session.get(Sector, "24").title("ru") != db.session.get(Sector, "24").title_en, "divisions carry Russian titles"


def test_firm_with_interests_and_people(any_app):
    firm = make_firm("chelyabinsk", offers=["730419", "isic:2410"], needs=["2601"], sectors=["2410"], participants=2)
    db.session.commit()
    loaded = db.session.get(Firm, firm.id)
    assert loaded.region.timezone == "Asia/Yekaterinburg"
    assert sorted(item.code for item in loaded.capabilities) == ["2410", "730419"]
    assert [item.kind for item in loaded.needs] == ["product"]
    assert len(loaded.participants) == 2 and loaded.participants[0].home_timezone == "Asia/Yekaterinburg"
    assert loaded.display_name("ru") == loaded.name_native and loaded.display_name("fa") == loaded.name_latin


def test_interest_needs_exactly_one_code(any_app):
    firm = make_firm()
    db.session.add(Need(firm=firm, product_code="2601", sector_code="0710"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(Capability(firm_id=make_firm().id))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_user_email_is_unique(any_app):
    make_user(email="same@karvan.example")
    with pytest.raises(IntegrityError):
        make_user(email="same@karvan.example")


def test_slots_round_trip_as_aware_utc(any_app):
    event = make_event()
    db.session.commit()
    db.session.expire_all()
    slot = db.session.scalars(select(Slot).order_by(Slot.start_dt)).first()
    assert slot.start_dt.tzinfo is not None and slot.start_dt.utcoffset().total_seconds() == 0
    local = slot.start_dt.astimezone(ZoneInfo("Asia/Tehran"))
    assert (local.hour, local.minute) == (9, 0)
    assert slot.start_dt == datetime(2026, 11, 8, 5, 30, tzinfo=UTC)
    assert len(db.session.get(Event, event.id).sessions[0].slots) == 6  # 09:00-12:00, 25 + 5 minutes


def test_naive_datetimes_are_refused(any_app):
    event = make_event()
    event.sessions[0].slots[0].start_dt = datetime(2026, 11, 8, 9, 0)
    with pytest.raises(Exception, match="naive"):
        db.session.flush()


def test_password_is_hashed(any_app):
    user = make_user(password="a long secret phrase")
    assert "a long secret phrase" not in user.password_hash
    assert user.check_password("a long secret phrase") and not user.check_password("wrong")
    assert db.session.scalar(select(User).where(User.id == user.id)).role == "firm_member"


def test_sector_lineage_and_prefix_filter(any_app):
    sector = db.session.get(Sector, "2410")
    assert [node.code for node in sector.lineage()] == ["2410", "241", "24", "C"]
    assert sector.is_under("C") and sector.is_under("24") and sector.is_under("2410")
    assert not sector.is_under("B") and not sector.is_under("25")
