"""Configuration read from the environment when the app is created, never at import."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def _instance_secret_key(instance_path: str) -> str:
    """Return a development secret key, generating it once into instance/secret_key."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: str, environ: dict[str, str] | None = None) -> dict:
    """Build the config mapping from environment variables.

    Production (KARVAN_ENV=production) refuses to start without SECRET_KEY; development
    generates one into the instance folder so sessions survive restarts.
    """
    env = os.environ if environ is None else environ
    production = env.get("KARVAN_ENV", "development") == "production"
    secret_key = env.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise RuntimeError("SECRET_KEY must be set when KARVAN_ENV=production")
        secret_key = _instance_secret_key(instance_path)
    database_url = env.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'karvan.sqlite'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url[len("postgres://"):]
    return {
        "SECRET_KEY": secret_key,
        "KARVAN_ENV": "production" if production else "development",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": env.get("REDIS_URL") or None,
        "KARVAN_TIMEZONE": env.get("KARVAN_TIMEZONE", "Asia/Tehran"),
        "KARVAN_JOBS": env.get("KARVAN_JOBS", "rq" if env.get("REDIS_URL") else "thread"),
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "0") in {"1", "true", "yes"},
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "Karvan <b2b@karvan.example>"),
        "KARVAN_ORGANISER_NAME": env.get("KARVAN_ORGANISER_NAME", "Khorasan Razavi Chamber of Commerce"),
        "KARVAN_ORGANISER_EMAIL": env.get("KARVAN_ORGANISER_EMAIL", "b2b@karvan.example"),
        # Where people open links sent by e-mail (feedback forms); the site's public address.
        "KARVAN_BASE_URL": env.get("KARVAN_BASE_URL", "http://localhost:5000"),
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "LOGIN_RATE_LIMIT": int(env.get("LOGIN_RATE_LIMIT", "5")),
        "LOGIN_RATE_WINDOW_S": int(env.get("LOGIN_RATE_WINDOW_S", "300")),
        "BABEL_DEFAULT_LOCALE": "fa",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ["fa", "ru", "en"],
        "WTF_CSRF_TIME_LIMIT": None,
    }


def overrides_for_tests(database_url: str) -> dict:
    """Settings the test suite layers over load_config()."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "KARVAN_JOBS": "sync",
        "MAIL_SERVER": None,
        "LOGIN_RATE_LIMIT": 5,
    }
