"""GET /api/v1/firms/<id>/matches, GET /api/v1/codes and `flask matches`: shape, access,
JSON errors in the reader's language, and agreement between the API and the CLI."""
from __future__ import annotations

import json

import pytest

from planner.extensions import db
from tests import factories


@pytest.fixture
def pair(app):
    buyer = factories.make_firm("khorasan-razavi", needs=["870830"], offers=["720851"])
    seller = factories.make_firm("chelyabinsk", offers=["870830"], needs=["7208"])
    factories.make_firm("chelyabinsk", offers=["8708"])
    factories.make_firm("khorasan-razavi", offers=["870830"])  # same region: never a match
    user = factories.make_user(firm=buyer)
    db.session.commit()
    return buyer, seller, user


def test_matches_json_shape(pair, client, auth):
    buyer, seller, user = pair
    auth.login(user.email)
    response = client.get(f"/api/v1/firms/{buyer.id}/matches?limit=5")
    assert response.status_code == 200 and response.is_json
    rows = response.get_json()
    assert [row["firm_id"] for row in rows][0] == seller.id and len(rows) == 2
    first = rows[0]
    assert set(first) == {"firm_id", "firm_name", "score", "reasons"}
    assert first["score"] > rows[1]["score"] > 0
    assert {"code": "they_offer_your_need", "params": {"kind": "product", "need": "870830", "offer": "870830", "level": 6}} \
        in first["reasons"]
    assert first["reasons"][0] == {"code": "mutual_interest", "params": {}}
    assert len(client.get(f"/api/v1/firms/{buyer.id}/matches?limit=1").get_json()) == 1


@pytest.mark.parametrize("url, status", [
    ("/api/v1/firms/{other}/matches", 403),
    ("/api/v1/firms/99999/matches", 404),
    ("/api/v1/firms/{own}/matches?limit=0", 400),
    ("/api/v1/firms/{own}/matches?limit=abc", 400),
    ("/api/v1/firms/{own}/matches?event=nope", 404),
    ("/api/v1/codes?q=87&kind=planet", 400),
    ("/api/v1/nothing-here", 404),
])
def test_json_errors(pair, client, auth, url, status):
    buyer, seller, user = pair
    auth.login(user.email)
    response = client.get(url.format(own=buyer.id, other=seller.id) + ("&" if "?" in url else "?") + "lang=ru")
    assert response.status_code == status
    body = response.get_json()
    assert body["status"] == status and body["error"]
    assert any("\u0400" <= ch <= "\u04ff" for ch in body["error"]), body["error"]  # in Russian


def test_anonymous_gets_401_and_organisers_see_every_firm(pair, client, auth):
    buyer, _seller, _user = pair
    assert client.get(f"/api/v1/firms/{buyer.id}/matches").status_code == 401
    organiser = factories.make_user("organiser")
    db.session.commit()
    auth.login(organiser.email)
    assert client.get(f"/api/v1/firms/{buyer.id}/matches").status_code == 200


def test_codes_endpoint(app, client):
    rows = client.get("/api/v1/codes?q=8708&kind=product&lang=en").get_json()
    assert rows[0]["code"] == "8708" and all(row["code"].startswith("8708") for row in rows)
    assert client.get("/api/v1/codes?q=&kind=sector").get_json() == []
    sectors = client.get("/api/v1/codes?q=29&kind=sector").get_json()
    assert sectors and all(row["level"] in ("division", "group", "class") for row in sectors)


def test_cli_prints_what_the_api_returns(pair, client, auth, runner, monkeypatch):
    buyer, seller, user = pair
    monkeypatch.setenv("KARVAN_LOCALE", "en")
    auth.login(user.email)
    api = client.get(f"/api/v1/firms/{buyer.id}/matches?limit=3&lang=en").get_json()
    result = runner.invoke(args=["matches", str(buyer.id), "--limit", "3", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == api
    table = runner.invoke(args=["matches", str(buyer.id), "--limit", "3"])
    assert table.exit_code == 0 and f"#{seller.id}" in table.output
    assert "They offer 870830" in table.output
    assert runner.invoke(args=["matches", "99999"]).exit_code == 1


def test_firms_hidden_from_the_directory_are_not_recommended_to_other_firms(pair, client, auth):
    buyer, _seller, user = pair
    hidden = factories.make_firm("chelyabinsk", offers=["870830"], public=False)
    organiser = factories.make_user("organiser")
    db.session.commit()
    auth.login(user.email)
    assert hidden.id not in [row["firm_id"] for row in client.get(f"/api/v1/firms/{buyer.id}/matches").get_json()]
    assert f'data-firm-id="{hidden.id}"' not in client.get(f"/firms/{buyer.id}/matches").get_data(as_text=True)
    auth.logout()
    auth.login(organiser.email)
    assert hidden.id in [row["firm_id"] for row in client.get(f"/api/v1/firms/{buyer.id}/matches").get_json()]
