"""Review: the `next` targets of log-in and of the calendar-link buttons never leave the site."""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from planner.extensions import db
from tests import factories


def _off_site(location: str) -> bool:
    """Whether a browser would leave the site (browsers read a backslash as a slash)."""
    resolved = urljoin("http://localhost/", location.replace("\\", "/").strip())
    return urlsplit(resolved).netloc != "localhost"


@pytest.fixture
def member(app):
    data = factories.make_meeting_scenario()
    person = data["firms"]["ural"].participants[0]
    factories.make_user(firm=data["firms"]["ural"], email=person.email, locale="ru")
    db.session.commit()
    return person


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "/\\/evil.example/",
                                    "https://evil.example/", "\\\\evil.example/"])
def test_feed_token_buttons_do_not_redirect_off_site(client, auth, member, target):
    auth.login(member.email)
    response = client.post(f"/feeds/participants/{member.id}/token", data={"next": target})
    assert response.status_code == 302
    assert not _off_site(response.headers["Location"])


def test_feed_token_buttons_keep_a_local_next(client, auth, member):
    auth.login(member.email)
    response = client.post(f"/feeds/participants/{member.id}/token", data={"next": "/timetables/mine"})
    assert response.headers["Location"] == "/timetables/mine"


@pytest.mark.parametrize("target", ["/\\evil.example/", "/\\/evil.example/", "/\t/evil.example/"])
def test_login_next_does_not_redirect_off_site(client, app, target):
    factories.make_user(email="someone@karvan.example")
    db.session.commit()
    response = client.post(f"/auth/login?next={target}",
                           data={"email": "someone@karvan.example", "password": "correct horse battery"})
    assert response.status_code == 302
    assert not _off_site(response.headers["Location"])
