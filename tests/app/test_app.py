"""The app factory, configuration and error pages."""
from planner import create_app
from planner.config import load_config


def test_config_reads_environment(tmp_path):
    config = load_config(str(tmp_path), {"DATABASE_URL": "postgres://u@h/db", "REDIS_URL": "redis://x:6379/0",
                                         "SECRET_KEY": "s3cret", "KARVAN_TIMEZONE": "Asia/Tehran"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql://u@h/db"
    assert config["REDIS_URL"] == "redis://x:6379/0"
    assert config["SECRET_KEY"] == "s3cret"
    assert config["KARVAN_JOBS"] == "rq"


def test_development_secret_is_generated_once(tmp_path):
    first = load_config(str(tmp_path), {})["SECRET_KEY"]
    second = load_config(str(tmp_path), {})["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert load_config(str(tmp_path), {})["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")


def test_production_requires_secret(tmp_path):
    import pytest

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config(str(tmp_path), {"KARVAN_ENV": "production"})


def test_factory_applies_overrides(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"})
    assert app.testing
    assert app.template_folder.endswith("templates")


def test_unknown_page_is_translated_404(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "ru"})
    assert response.status_code == 404
    assert "Такой страницы нет" in response.get_data(as_text=True)


def test_an_http_500_anywhere_in_the_suite_is_noticed(app):
    """The guard in conftest (no HTTP 500 in the suite's logs) sees an unhandled exception."""
    from tests import conftest

    @app.route("/_test-boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    start = len(conftest._server_errors)
    response = app.test_client().get("/_test-boom", headers={"Accept-Language": "en"})
    caught = conftest._server_errors[start:]
    del conftest._server_errors[start:]  # this test's 500 is on purpose
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert any("/_test-boom" in line and "RuntimeError" in line for line in caught)
    assert any("answered 500" in line for line in caught)
