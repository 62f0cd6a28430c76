"""Products in Persian and Russian, and one search normalisation on every search path."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Product
from planner.taxonomy.codes import search_codes
from planner.text.search import fold, query_words
from tests.factories import make_firm


@pytest.mark.parametrize(("typed", "stored"), [
    ("سيمان كاشي", "سیمان کاشی"),          # Arabic yeh and kaf
    ("ﻛﺎﺷﻰ", "کاشی"),                      # presentation forms, alef maksura
    ("پمپ‌ها", "پمپها"),                   # zero-width non-joiner
    ("مـــس", "مس"),                       # tatweel
    ("اساساً", "اساسا"),                    # tanwin (a combining mark)
    ("۸۷۰۸ ٨٧٠٨", "8708 8708"),            # Persian and Arabic-Indic digits
    ("ЁЛКА", "елка"),                      # case and ё
    ("Насо́сы", "насосы"),                   # a stress mark
    ("ＰＵＭＰ", "pump"),                    # full-width Latin
    ("مؤسسه ة", "موسسه ه"),                # waw with hamza, teh marbuta
])
def test_fold_makes_keyboard_variants_equal(typed, stored):
    assert fold(typed) == fold(stored)


def test_fold_keeps_different_words_apart():
    assert fold("کاشی") != fold("کاسه")
    assert fold("насос") != fold("нанос")
    assert query_words("  Насос   ۸۴۱۳ ") == ["насос", "8413"]


def _codes(query: str, locale: str, limit: int = 15) -> list[str]:
    return [item["code"] for item in search_codes(query, "product", locale, limit)]


def test_every_hs_heading_and_chapter_has_a_persian_and_a_russian_title(any_app):
    missing = db.session.scalar(select(func.count()).select_from(Product).where(
        Product.level.in_((2, 4)), Product.code != "9999",
        (Product.title_fa.is_(None)) | (Product.title_ru.is_(None))))
    assert missing == 0
    pump = db.session.get(Product, "8413")
    assert "پمپ" in pump.title_fa and "асос" in pump.title_ru


@pytest.mark.parametrize(("query", "locale"), [("پمپ", "fa"), ("تلمبه", "fa"), ("насос", "ru"), ("pump", "en")])
def test_pump_finds_8413_in_every_language(any_app, query, locale):
    assert "8413" in _codes(query, locale, limit=5)


@pytest.mark.parametrize(("query", "locale"), [("لنت ترمز", "fa"), ("тормозные колодки", "ru")])
def test_brake_pads_find_870830(any_app, query, locale):
    assert "870830" in _codes(query, locale, limit=15)


@pytest.mark.parametrize(("arabic", "persian"), [("سيمان", "سیمان"), ("كاشي", "کاشی"), ("لنت ترمز يدك", "لنت ترمز یدک")])
def test_arabic_letters_find_what_persian_letters_find(any_app, arabic, persian):
    found = _codes(persian, "fa", limit=50)
    assert found, persian
    assert _codes(arabic, "fa", limit=50) == found


def test_russian_titles_show_for_subheadings_of_our_industries(any_app):
    found = {item["code"]: item["title"] for item in search_codes("870830", "product", "ru")}
    assert "тормоз" in found["870830"].casefold()
    assert "(8708)" not in found["870830"]  # its own title, not the heading's


def test_directory_marketplace_and_api_fold_the_query(any_app):
    tiles = make_firm(name="کاشی فیروزه توس", offers=["690721"], name_latin="Firouzeh Tile")
    cement = make_firm(name="سیمان شرق", needs=["2523"], name_latin="Shargh Cement")
    db.session.commit()
    client = any_app.test_client()
    for arabic, persian, firm in (("كاشي", "کاشی", tiles), ("سيمان", "سیمان", cement)):
        for url in ("/firms/?q={}&lang=fa", "/firms/marketplace?q={}&lang=fa"):
            with_persian = client.get(url.format(persian)).get_data(as_text=True)
            with_arabic = client.get(url.format(arabic)).get_data(as_text=True)
            assert firm.name_native in with_persian
            assert firm.name_native in with_arabic, url.format(arabic)
        api = client.get(f"/api/v1/codes?kind=product&q={arabic}&lang=fa").get_json()
        assert api == client.get(f"/api/v1/codes?kind=product&q={persian}&lang=fa").get_json()
        assert api
