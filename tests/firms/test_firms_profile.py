"""Firm registration and editing: validation, errors by field in the user's language,
re-population, who may edit, the code search and the marketplace."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.extensions import db
from planner.firms.profiles import search_marketplace
from planner.models import EventRegistration, Firm, OutgoingMessage, User
from planner.taxonomy.codes import search_codes
from tests import factories


def _region_id(key: str) -> int:
    return factories.region(key).id


def profile_data(**overrides) -> dict:
    data = {
        "name_native": "آهن‌آلات توس", "name_latin": "Ahan-Alat Toos", "region": _region_id("khorasan-razavi"),
        "city": "مشهد", "city_latin": "Mashhad", "website": "https://toos.example", "size": "medium",
        "founded": "1999", "description": "تولید قطعات ترمز", "languages": ["fa", "en"], "public": "y",
        "activities-0-code": "2930",
        "capabilities-0-kind": "product", "capabilities-0-code": "870830", "capabilities-0-note": "لنت ترمز",
        "capabilities-0-volume": "40 000 sets", "capabilities-0-certification": "IATF 16949",
        "needs-0-kind": "product", "needs-0-code": "72.08", "needs-0-note": "ورق فولادی",
        "needs-1-kind": "sector", "needs-1-code": "2410",
        "participants-0-first_name": "مریم", "participants-0-last_name": "رضایی",
        "participants-0-first_name_latin": "Maryam", "participants-0-last_name_latin": "Rezaei",
        "participants-0-role": "مدیر صادرات", "participants-0-email": "m.rezaei@toos.example",
        "participants-0-languages": ["fa", "en"],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def member(app, client, auth):
    user = factories.make_user(email="new@firm.example")
    db.session.commit()
    auth.login(user.email)
    return user


def test_a_new_account_is_sent_to_the_firm_form(client):
    response = client.post("/auth/register", data={"name": "Maryam Rezaei", "email": "maryam@toos.example",
                                                   "password": "long enough password", "confirm": "long enough password",
                                                   "locale": "fa"})
    assert response.status_code == 200  # "check your e-mail"
    link = db.session.scalar(select(OutgoingMessage.payload).where(OutgoingMessage.recipient == "maryam@toos.example"))["url"]
    response = client.get(link.removeprefix("http://localhost"))
    assert client.get(response.headers["Location"]).headers["Location"].endswith("/firms/register")
    html = client.get("/firms/register").get_data(as_text=True)
    assert 'value="maryam@toos.example"' in html and 'value="Maryam"' in html and 'dir="rtl"' in html


def test_registration_creates_the_firm_and_links_the_account(member, client):
    event = factories.make_event()
    db.session.commit()
    response = client.post("/firms/register", data=profile_data(events=[str(event.id)]))
    assert response.status_code == 302, response.get_data(as_text=True)
    firm = db.session.scalar(select(Firm).where(Firm.name_latin == "Ahan-Alat Toos"))
    assert response.headers["Location"].endswith(f"/firms/{firm.id}/matches")
    assert db.session.get(User, member.id).firm_id == firm.id
    assert [s.code for s in firm.sectors] == ["2930"]
    assert [(c.kind, c.code, c.note, c.volume, c.certification) for c in firm.capabilities] == [
        ("product", "870830", {"fa": "لنت ترمز"}, "40 000 sets", "IATF 16949")]
    assert [(n.kind, n.code) for n in firm.needs] == [("product", "7208"), ("sector", "2410")]
    assert firm.description == {"fa": "تولید قطعات ترمز"} and firm.languages == ["fa", "en"] and firm.founded == 1999
    person = firm.participants[0]
    assert (person.email, person.role, person.attending_days(event.id)) == ("m.rezaei@toos.example", {"fa": "مدیر صادرات"}, None)
    assert db.session.scalar(select(EventRegistration).where(EventRegistration.firm_id == firm.id)).event_id == event.id
    # A member with a firm is sent to edit it instead of registering another.
    assert client.get("/firms/register").headers["Location"].endswith(f"/firms/{firm.id}/edit")


@pytest.mark.parametrize("lang, expected", [
    ("fa", "کد"), ("ru", "код"), ("en", "code"),
])
def test_bad_input_gets_field_errors_in_the_users_language_and_nothing_is_lost(member, client, lang, expected):
    data = profile_data(name_latin="آهن", **{"capabilities-0-code": "99999", "needs-0-code": "",
                                            "participants-0-email": "not-an-address"})
    response = client.post(f"/firms/register?lang={lang}", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert db.session.scalar(select(Firm)) is None
    assert html.count('class="field-error"') >= 4  # Latin name, HS code, need without code, e-mail
    assert expected in html.lower()
    for typed in ("آهن‌آلات توس", "99999", "ورق فولادی", "not-an-address", "لنت ترمز", "40 000 sets", "IATF 16949"):
        assert typed in html, typed


def test_blank_rows_are_ignored_and_a_person_is_required(member, client):
    data = profile_data(**{"participants-0-first_name": "", "participants-0-last_name": "", "participants-0-first_name_latin": "",
                           "participants-0-last_name_latin": "", "participants-0-role": "", "participants-0-email": "",
                           "participants-0-languages": None, "capabilities-1-kind": "product", "capabilities-1-code": ""})
    response = client.post("/firms/register?lang=en", data=data)
    assert response.status_code == 422
    assert "Add at least one person who will attend." in response.get_data(as_text=True)


def test_edit_keeps_other_languages_and_people(app, client, auth):
    firm = factories.make_firm("chelyabinsk", offers=["720851"], needs=["870830"])
    firm.description = {"ru": "Металлопрокат", "en": "Steel"}
    firm.capabilities[0].note = {"ru": "Лист", "en": "Sheet"}
    person_id = firm.participants[0].id
    user = factories.make_user(firm=firm)
    db.session.commit()
    auth.login(user.email)
    page = client.get(f"/firms/{firm.id}/edit?lang=en").get_data(as_text=True)
    assert 'value="720851"' in page and "Steel" in page and 'value="Sheet"' in page
    from planner.firms.profiles import profile_form_data

    with app.test_request_context():
        data = profile_form_data(firm, "en")
    form = {"name_native": firm.name_native, "name_latin": firm.name_latin, "region": firm.region_id, "city": firm.city,
            "size": "large", "description": "Steel and pipes", "languages": ["ru", "en"],
            "capabilities-0-kind": "product", "capabilities-0-code": "720851", "capabilities-0-note": "Sheet, 10 mm",
            "needs-0-kind": "product", "needs-0-code": "870830"}
    for key, value in data["participants"][0].items():
        if value:
            form[f"participants-0-{key}"] = value
    response = client.post(f"/firms/{firm.id}/edit?lang=en", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    firm = db.session.get(Firm, firm.id)
    assert firm.description == {"ru": "Металлопрокат", "en": "Steel and pipes"} and firm.size == "large"
    assert firm.capabilities[0].note == {"ru": "Лист", "en": "Sheet, 10 mm"}
    assert [p.id for p in firm.participants] == [person_id]  # same person, calendar links keep working


def test_only_members_and_organisers_edit(app, client, auth):
    firm = factories.make_firm("chelyabinsk")
    other = factories.make_user(firm=factories.make_firm("khorasan-razavi"))
    organiser = factories.make_user("organiser")
    db.session.commit()
    assert client.get(f"/firms/{firm.id}/edit").status_code == 302  # anonymous: log in
    auth.login(other.email)
    assert client.get(f"/firms/{firm.id}/edit").status_code == 403
    assert client.get("/firms/99999/edit").status_code == 404
    auth.logout()
    auth.login(organiser.email)
    assert client.get(f"/firms/{firm.id}/edit").status_code == 200
    assert client.get("/firms/register").status_code == 200  # organisers register firms for others


def test_private_contacts_stay_private(app, client, auth):
    firm = factories.make_firm("chelyabinsk", public=False)
    db.session.commit()
    assert client.get(f"/firms/{firm.id}").status_code == 404
    firm.public = True
    db.session.commit()
    html = client.get(f"/firms/{firm.id}").get_data(as_text=True)
    assert firm.participants[0].email not in html


@pytest.mark.parametrize("query, kind, locale, expected", [
    ("8708", "product", "en", "8708"),
    ("brakes servo", "product", "en", "870830"),
    ("ترمز", "product", "fa", "870830"),
    ("2930", "sector", "ru", "2930"),
])
def test_code_search(app, query, kind, locale, expected):
    found = search_codes(query, kind, locale)
    assert expected in [item["code"] for item in found]
    assert all(item["kind"] == kind and item["title"] for item in found)


def test_code_search_in_russian_titles(app):
    from planner.models import Sector

    title = db.session.get(Sector, "2930").title("ru")
    word = max(title.split(), key=len)
    assert "2930" in [item["code"] for item in search_codes(word.upper(), "sector", "ru", limit=50)]


def test_marketplace_finds_needs_and_offers_by_code_and_words(app, client):
    seller = factories.make_firm("chelyabinsk", offers=["870830"])
    seller.capabilities[0].note = {"ru": "Тормозные колодки"}
    buyer = factories.make_firm("khorasan-razavi", needs=["8708"])
    hidden = factories.make_firm("chelyabinsk", offers=["870830"], public=False)
    db.session.commit()
    by_code = search_marketplace("870830")
    assert {(e.side, e.firm.id) for e in by_code} == {("offer", seller.id), ("need", buyer.id)}
    assert [e.firm.id for e in search_marketplace("колодки")] == [seller.id]
    assert [e.firm.id for e in search_marketplace("870830", side="need")] == [buyer.id]
    assert hidden.id in {e.firm.id for e in search_marketplace("870830", include_private=True)}
    html = client.get("/firms/marketplace?q=870830&lang=ru").get_data(as_text=True)
    assert "Тормозные колодки" in html and hidden.name_native not in html


def test_save_firm_profile_service(any_app):
    """The service on both databases: create, then update keeping the other language's texts."""
    from planner.errors import ServiceError
    from planner.firms.profiles import save_firm_profile

    event = factories.make_event()
    user = factories.make_user()
    data = {"name_native": "Уралсталь", "name_latin": "Uralstal", "region": _region_id("chelyabinsk"),
            "city": "Челябинск", "city_latin": "Chelyabinsk", "website": None, "size": "large", "founded": 1950,
            "description": "Прокат", "languages": ["ru"], "public": True, "events": [event.id],
            "activities": ["2410"], "capabilities": [{"kind": "product", "code": "720851", "note": "Лист",
                                                       "volume": "", "certification": ""}],
            "needs": [{"kind": "sector", "code": "2824", "note": "", "volume": "", "certification": ""}],
            "participants": [{"first_name": "Иван", "last_name": "Петров", "first_name_latin": "", "last_name_latin": "",
                              "role": "Директор", "email": "I.Petrov@uralstal.example", "phone": "", "languages": [],
                              "attending_days": []}]}
    firm = save_firm_profile(None, data, "ru", user)
    assert user.firm_id == firm.id and firm.participants[0].email == "i.petrov@uralstal.example"
    assert firm.participants[0].languages == ["ru"]
    with pytest.raises(ServiceError):
        save_firm_profile(None, data, "ru", user)  # one firm per member account
    update = dict(data, description="Steel", capabilities=[dict(data["capabilities"][0], note="Sheet")])
    save_firm_profile(firm, update, "en", user)
    assert firm.description == {"ru": "Прокат", "en": "Steel"}
    assert firm.capabilities[0].note == {"ru": "Лист", "en": "Sheet"}
    two = dict(data, participants=data["participants"] * 2)
    with pytest.raises(ServiceError):
        save_firm_profile(firm, two, "en", user)
    found = search_marketplace("720851")
    assert [(entry.side, entry.firm.id) for entry in found] == [("offer", firm.id)]


# --- digits, repeated codes, scripts and order (QA walk-through) ------------------------------

@pytest.mark.parametrize("typed", ["۸۷۰۸", "٨٧٠٨", "87.08", "۸۷۰۸ ترمز"])
def test_codes_typed_in_persian_or_arabic_digits_are_found(app, client, typed):
    assert "870830" in [item["code"] for item in search_codes(typed, "product", "fa", limit=50)]
    rows = client.get("/api/v1/codes", query_string={"q": typed, "kind": "product", "lang": "fa"}).get_json()
    assert rows and all(row["code"].startswith("8708") for row in rows)


def test_codes_typed_in_persian_digits_are_saved_in_ascii(member, client):
    typed = {"capabilities-0-code": "۸۷۰۸۳۰", "needs-0-code": "٧٢٠٨", "activities-0-code": "۲۹۳۰"}
    response = client.post("/firms/register", data=profile_data(**typed))
    assert response.status_code == 302, response.get_data(as_text=True)
    firm = db.session.scalar(select(Firm))
    assert [c.code for c in firm.capabilities] == ["870830"] and firm.needs[0].code == "7208"
    assert [s.code for s in firm.sectors] == ["2930"]
    buyer = factories.make_firm("chelyabinsk", needs=["870830"])
    db.session.commit()
    assert {e.firm.id for e in search_marketplace("۸۷۰۸۳۰")} == {firm.id, buyer.id}


@pytest.mark.parametrize("lang, expected", [
    ("fa", "فهرست بالا"), ("ru", "уже есть в списке"), ("en", "already in the list"),
])
def test_a_code_listed_twice_gets_an_error_and_nothing_typed_is_lost(member, client, lang, expected):
    data = profile_data(**{"capabilities-1-kind": "product", "capabilities-1-code": "8708 30",
                           "capabilities-1-note": "لنت ترمز سنگین", "capabilities-1-volume": "5 000 sets"})
    response = client.post(f"/firms/register?lang={lang}", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and db.session.scalar(select(Firm)) is None
    assert expected in html
    for typed in ("لنت ترمز", "لنت ترمز سنگین", "5 000 sets", "40 000 sets"):
        assert typed in html, typed


def test_the_service_merges_a_repeated_code_instead_of_dropping_it(any_app):
    from planner.firms.profiles import save_firm_profile

    data = {"name_native": "Уралсталь", "name_latin": "Uralstal", "region": _region_id("chelyabinsk"),
            "city": "Челябинск", "size": "large", "languages": ["ru"], "public": True, "events": [],
            "activities": [], "needs": [], "participants": [
                {"first_name": "Иван", "last_name": "Петров", "email": "ivan@uralstal.example", "languages": ["ru"]}],
            "capabilities": [
                {"kind": "product", "code": "720851", "note": "Лист", "volume": "10 kt"},
                {"kind": "product", "code": "720851", "note": "Толщина 10 мм", "certification": "ISO 9001"}]}
    firm = save_firm_profile(None, data, "ru")
    item, = firm.capabilities
    assert (item.note, item.volume, item.certification) == ({"ru": "Лист; Толщина 10 мм"}, "10 kt", "ISO 9001")


def test_the_picker_shows_the_headings_title_where_a_subheading_has_none(app):
    from planner.models import Product

    node = db.session.get(Product, "300490")
    assert not node.title_fa  # shipped without a Persian title
    heading = db.session.get(Product, "3004")
    found = {item["code"]: item["title"] for item in search_codes("300490", "product", "fa")}
    assert found["300490"] == f"{heading.title_fa} (3004)"
    assert {item["code"]: item["title"] for item in search_codes("300490", "product", "en")}["300490"] == node.title_en


def test_cities_and_lists_in_the_readers_script(app, client):
    mashhad = factories.make_firm("khorasan-razavi", city="مشهد", city_latin="Mashhad", languages=["fa", "en"])
    chelyabinsk = factories.make_firm("chelyabinsk", city="Челябинск", city_latin="Chelyabinsk")
    db.session.commit()
    fa = client.get("/firms/?lang=fa").get_data(as_text=True)
    ru = client.get("/firms/?lang=ru").get_data(as_text=True)
    en = client.get("/firms/?lang=en").get_data(as_text=True)
    assert "مشهد" in fa and "Chelyabinsk" in fa and "Челябинск" not in fa
    assert "Челябинск" in ru and "Mashhad" in ru
    assert "Mashhad" in en and "Chelyabinsk" in en
    profile = client.get(f"/firms/{chelyabinsk.id}?lang=ru").get_data(as_text=True)
    assert "Челябинск" in profile
    profile = client.get(f"/firms/{mashhad.id}?lang=fa").get_data(as_text=True)
    assert "فارسی و انگلیسی" in profile and "فارسی, " not in profile, "joined by Babel: «و»"
    assert "персидский и английский" in client.get(f"/firms/{mashhad.id}?lang=ru").get_data(as_text=True).lower()


def test_collation_key_follows_the_persian_alphabet():
    from planner.text.scripts import collation_key

    words = ["گچ", "کاشی", "پارس", "بهار", "ژاله", "زرین", "چرم", "جام", "یاس", "وحدت", "آریا", "اطلس"]
    assert sorted(words, key=collation_key) == ["آریا", "اطلس", "بهار", "پارس", "جام", "چرم", "زرین", "ژاله",
                                                "کاشی", "گچ", "وحدت", "یاس"]
    assert collation_key("كاشي") == collation_key("کاشی")  # Arabic kaf and yeh sort as Persian ones
    assert sorted(["Ёлка", "Жук", "Ель", "Дом"], key=collation_key) == ["Дом", "Ель", "Ёлка", "Жук"]


def test_directory_and_marketplace_sort_by_the_name_the_reader_sees(app, client):
    names = [("گچ طوس", "Ab Gach"), ("پارس ترمز", "Zed Pars"), ("بهار صنعت", "Mid Bahar")]
    firms = [factories.make_firm("khorasan-razavi", name=native, name_latin=latin, offers=["870830"])
             for native, latin in names]
    russian = [factories.make_firm("chelyabinsk", name=native, name_latin=latin, needs=["870830"])
               for native, latin in (("Ёлочка", "Aa Yolochka"), ("Дизель", "Zz Dizel"))]
    db.session.commit()
    from planner.firms.directory import search_firms

    assert [f.name_native for f in search_firms(region_key="khorasan-razavi", locale="fa")] == [
        "بهار صنعت", "پارس ترمز", "گچ طوس"]
    assert [f.name_latin for f in search_firms(region_key="khorasan-razavi", locale="ru")] == [
        "Ab Gach", "Mid Bahar", "Zed Pars"]
    assert [f.name_native for f in search_firms(region_key="chelyabinsk", locale="ru")] == ["Дизель", "Ёлочка"]
    html = client.get("/firms/marketplace?q=870830&lang=fa").get_data(as_text=True)
    positions = [html.index(name) for name in ("بهار صنعت", "پارس ترمز", "گچ طوس")]
    assert positions == sorted(positions)
    assert {firm.id for firm in firms + russian} <= {e.firm.id for e in search_marketplace("870830", locale="fa")}
