"""Registration, log-in (rate limited), log-out, password reset, organisers, access rules."""
import re

from sqlalchemy import func, select

from planner.accounts.services import make_reset_token
from planner.extensions import db
from planner.models import OutgoingMessage, User


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _confirmation_link(email: str) -> str:
    message = db.session.scalar(select(OutgoingMessage).where(OutgoingMessage.recipient == email,
                                                              OutgoingMessage.kind == "confirm_email")
                                .order_by(OutgoingMessage.id.desc()))
    assert message.payload["url"].startswith("http://localhost/auth/confirm/")
    return message.payload["url"].removeprefix("http://localhost")


def test_register_confirms_the_address_then_logs_in_and_remembers_language(client, app):
    response = client.post("/auth/register", data={"name": "Reza", "email": "Reza@Example.ir", "password": "a strong password",
                                                   "confirm": "a strong password", "locale": "fa"})
    assert response.status_code == 200 and "reza@example.ir" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "reza@example.ir"))
    assert user.role == "firm_member" and user.locale == "fa" and user.email_confirmed_at is None
    assert not user.can_manage_firm(None)
    assert "Reza" not in client.get("/").get_data(as_text=True), "not logged in before the link"
    # logging in works, but the firm form waits for the link, which can be sent again
    assert client.post("/auth/login", data={"email": "reza@example.ir", "password": "a strong password"}).status_code == 302
    assert client.get("/firms/register").headers["Location"].endswith("/auth/confirm")
    assert 'id="confirm-notice"' in client.get("/").get_data(as_text=True)
    assert client.post("/auth/confirm").status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(OutgoingMessage)
                             .where(OutgoingMessage.kind == "confirm_email")) == 2
    response = client.get(_confirmation_link("reza@example.ir"))
    assert response.headers["Location"].endswith("/after-register") or response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at is not None
    html = client.get("/").get_data(as_text=True)
    assert "Reza" in html and 'dir="rtl"' in html and 'id="confirm-notice"' not in html
    assert client.get("/firms/register").status_code == 200
    assert client.get("/auth/confirm/not-a-token").headers["Location"].endswith("/auth/login")


def test_register_with_a_taken_email_answers_the_same_and_tells_the_owner(client, app, make_user):
    make_user(email="taken@karvan.example", locale="ru")
    db.session.commit()
    before = _users()
    data = {"name": "Иван", "password": "a strong password", "confirm": "a strong password", "locale": "ru"}
    taken = client.post("/auth/register?lang=ru", data={**data, "email": "taken@karvan.example"})
    fresh = client.post("/auth/register?lang=ru", data={**data, "email": "fresh@karvan.example"})
    assert taken.status_code == fresh.status_code == 200
    assert (taken.get_data(as_text=True).replace("taken@", "X@") == fresh.get_data(as_text=True).replace("fresh@", "X@"))
    assert _users() == before + 1
    note = db.session.scalar(select(OutgoingMessage).where(OutgoingMessage.recipient == "taken@karvan.example"))
    assert note.kind == "account_exists" and note.locale == "ru"
    assert note.payload["reset"] == "http://localhost/auth/reset"


def test_registrations_are_limited_per_address(client, app):
    app.config["REGISTER_LIMIT_PER_ADDRESS"] = "2 per hour"
    data = {"name": "A", "password": "a strong password", "confirm": "a strong password", "locale": "en"}
    codes = [client.post("/auth/register", data={**data, "email": f"a{i}@karvan.example"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]
    assert _users() == 2


def test_register_with_short_password_shows_persian_error(client, app):
    response = client.post("/auth/register?lang=fa", data={"name": "Ali", "email": "ali@example.ir",
                                                           "password": "short", "confirm": "short", "locale": "fa"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "field-error" in html and "۱۰" in html and "10 " not in html.split("field-error")[1]
    assert _users() == 0


def test_login_logout(client, auth, app, make_user):
    make_user(email="firm@karvan.example")
    db.session.commit()
    response = auth.login("firm@karvan.example")
    assert response.status_code == 302
    assert "firm@karvan.example" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert "firm@karvan.example" not in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused(client, auth, app, make_user):
    make_user(email="firm@karvan.example")
    db.session.commit()
    response = auth.login("firm@karvan.example", "not the password")
    assert response.status_code == 401


def test_login_attempts_are_rate_limited(client, auth, app, make_user):
    make_user(email="firm@karvan.example")
    db.session.commit()
    for _ in range(5):  # LOGIN_LIMIT_PER_ACCOUNT: 5 per minute
        assert auth.login("firm@karvan.example", "wrong guess").status_code == 401
    # Even the right password is refused while the account backs off; the answer says how long.
    response = auth.login("firm@karvan.example")
    assert response.status_code == 429 and 0 < int(response.headers["Retry-After"]) <= 60
    assert "firm@karvan.example" not in client.get("/").get_data(as_text=True)


def test_password_reset_by_token(client, app, make_user, caplog):
    user = make_user(email="firm@karvan.example")
    db.session.commit()
    with caplog.at_level("INFO"):
        client.post("/auth/reset", data={"email": "firm@karvan.example"})
    links = re.findall(r"http://localhost/auth/reset/\S+", caplog.text)
    assert links, "without an SMTP server the link is also logged"
    from planner.models.mail import OutgoingMessage
    from planner.notifications.outbox import compose

    message = db.session.scalar(select(OutgoingMessage).where(OutgoingMessage.kind == "password_reset"))
    assert message.recipient == "firm@karvan.example" and message.payload["url"] == links[0]
    assert links[0] in compose(message).decode("ascii").replace("=\r\n", "").replace("=3D", "=")
    path = links[0].replace("http://localhost", "")
    response = client.post(path, data={"password": "a brand new password", "confirm": "a brand new password"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.check_password("a brand new password")
    assert client.get(path).status_code == 302, "a used token no longer works"


def test_forged_reset_token_is_refused(client, app, make_user):
    user = make_user()
    db.session.commit()
    token = make_reset_token(user)
    response = client.get(f"/auth/reset/{token[:-3]}xyz", follow_redirects=True)
    assert "reset" in response.request.path


def test_create_organiser_cli(runner, app):
    result = runner.invoke(args=["create-organiser", "boss@chamber.example", "--password", "organiser password"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "boss@chamber.example")).role == "organiser"
    again = runner.invoke(args=["create-organiser", "boss@chamber.example", "--password", "organiser password"])
    assert again.exit_code == 1


def test_csrf_is_required_on_forms(database_url):
    from planner import create_app
    from planner.config import overrides_for_tests

    app = create_app({**overrides_for_tests(database_url), "WTF_CSRF_ENABLED": True})
    with app.app_context():
        response = app.test_client().post("/auth/login", data={"email": "a@b.example", "password": "x"})
        assert response.status_code == 400


def test_private_fields_are_hidden_from_the_public(client, auth, app, make_firm, make_user):
    firm = make_firm("chelyabinsk")
    other = make_firm("khorasan-razavi")
    email = firm.participants[0].email
    make_user(email="member@karvan.example", firm=firm)
    make_user(email="stranger@karvan.example", firm=other)
    make_user("organiser", email="org@karvan.example")
    db.session.commit()
    url = f"/firms/{firm.id}"
    assert email not in client.get(url).get_data(as_text=True)
    assert email not in client.get("/firms/").get_data(as_text=True)
    auth.login("stranger@karvan.example")
    assert email not in client.get(url).get_data(as_text=True)
    auth.logout()
    auth.login("member@karvan.example")
    assert email in client.get(url).get_data(as_text=True)
    auth.logout()
    auth.login("org@karvan.example")
    assert email in client.get(url).get_data(as_text=True)


def test_private_firm_is_not_public(client, app, make_firm):
    firm = make_firm(public=False)
    db.session.commit()
    assert client.get(f"/firms/{firm.id}").status_code == 404
    assert firm.name_latin not in client.get("/firms/?lang=en").get_data(as_text=True)
