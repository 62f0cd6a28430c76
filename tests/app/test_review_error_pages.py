"""Review: error pages speak the reader's language, also for a refused form (CSRF) and abort(400)."""
from __future__ import annotations


def test_csrf_failure_page_is_in_the_readers_language(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/auth/login?lang=fa", data={"email": "a@karvan.example", "password": "x"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "درخواست نامعتبر است." in text
    assert "CSRF" not in text


def test_csrf_failure_page_in_russian(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/auth/logout?lang=ru")
    assert response.status_code == 400
    # Flask-WTF's English description ("The CSRF token is missing.") is never shown.
    assert "csrf token" not in response.get_data(as_text=True).lower()


def test_wrong_method_page_is_translated(client):
    response = client.get("/auth/logout?lang=fa")
    assert response.status_code == 405
    text = response.get_data(as_text=True)
    assert 'dir="rtl"' in text
    assert "Method Not Allowed" not in text and "not allowed for the requested URL" not in text
