"""Configuration read from the environment when the app is created, never at import."""
from __future__ import annotations

import os
import secrets
import socket
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit


def _instance_secret_key(instance_path: str) -> str:
    """Return a development secret key, generating it once into instance/secret_key."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def default_domain(env) -> str:
    """The installation's domain for iCalendar UIDs and Message-IDs: KARVAN_DOMAIN, else the
    host of SERVER_NAME or KARVAN_BASE_URL, else this machine's fully qualified name."""
    if env.get("KARVAN_DOMAIN"):
        return env["KARVAN_DOMAIN"].strip().lower()
    for key in ("SERVER_NAME", "KARVAN_BASE_URL"):
        value = env.get(key)
        if value:
            host = urlsplit(value if "//" in value else f"//{value}").hostname
            if host:
                return host.lower()
    return socket.getfqdn().lower() or "localhost"


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
    base_url = (env.get("KARVAN_BASE_URL") or "").rstrip("/")
    if not base_url:
        if production:
            raise RuntimeError("KARVAN_BASE_URL (e.g. https://b2b.example.org) must be set when KARVAN_ENV=production")
        base_url = "http://localhost:5000"
    base = urlsplit(base_url)
    if base.scheme not in ("http", "https") or not base.hostname:
        raise RuntimeError(f"KARVAN_BASE_URL must be an http(s) URL, not {base_url!r}")
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
        # The RQ queue that web processes fill and `flask worker` empties; installations (or test
        # runs) sharing one Redis keep apart by giving each its own name.
        "RQ_QUEUE": env.get("KARVAN_RQ_QUEUE", "karvan"),
        # A running solve writes a heartbeat this often; one silent for KARVAN_JOB_STALE_S has
        # lost its worker (killed, crashed machine) and is marked interrupted by whoever looks.
        "KARVAN_JOB_HEARTBEAT_S": float(env.get("KARVAN_JOB_HEARTBEAT_S", "5")),
        "KARVAN_JOB_STALE_S": float(env.get("KARVAN_JOB_STALE_S", "20")),
        # built feeds and PDFs (planner.timetables.artefacts); instance/artefacts when unset
        "KARVAN_ARTEFACT_DIR": env.get("KARVAN_ARTEFACT_DIR"),
        # nginx's internal location of that folder: stored files are then sent by nginx
        "KARVAN_ARTEFACT_URL": env.get("KARVAN_ARTEFACT_URL") or None,
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "0") in {"1", "true", "yes"},
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "Karvan <b2b@karvan.example>"),
        # One name for every language, or per language (…_FA, …_RU, …_EN); unset: the chamber's
        # name translated by the catalogues.
        "KARVAN_ORGANISER_NAME": env.get("KARVAN_ORGANISER_NAME") or None,
        **{f"KARVAN_ORGANISER_NAME_{code}": env.get(f"KARVAN_ORGANISER_NAME_{code}") or None for code in ("FA", "RU", "EN")},
        "KARVAN_DOMAIN": default_domain(env),
        # A message "sending" for longer than this belongs to a deliverer that died: retried.
        "MAIL_CLAIM_TIMEOUT_S": float(env.get("MAIL_CLAIM_TIMEOUT_S", "600")),
        # SQLite: how long a writer waits for the lock before "database is locked".
        "SQLITE_BUSY_TIMEOUT_MS": int(env.get("SQLITE_BUSY_TIMEOUT_MS", "15000")),
        "KARVAN_ORGANISER_EMAIL": env.get("KARVAN_ORGANISER_EMAIL", "b2b@karvan.example"),
        # Every absolute link (e-mails, feeds, PDFs) is built from this (planner.urls.external_url).
        "KARVAN_BASE_URL": base_url,
        # In production only requests for our own host are answered (Host-header attacks get 400).
        "TRUSTED_HOSTS": [base.hostname] if production else None,
        # How many proxies (nginx) set X-Forwarded-For/-Proto in front of the app; 0 = none.
        "KARVAN_PROXY_HOPS": int(env.get("KARVAN_PROXY_HOPS", "0")),
        "KARVAN_SECURITY_HEADERS": production,
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        # Rate limits (Flask-Limiter syntax), counted atomically in Redis when REDIS_URL is set.
        # Failed log-ins per account back off for a minute; per client address they allow a
        # busy office behind one address; reset and registration requests count every request.
        "RATELIMIT_STORAGE_URI": env.get("REDIS_URL") or "memory://",
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "karvan"),
        "LOGIN_LIMIT_PER_ACCOUNT": env.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute"),
        "LOGIN_LIMIT_PER_ADDRESS": env.get("LOGIN_LIMIT_PER_ADDRESS", "30 per 10 minutes"),
        "RESET_LIMIT_PER_ACCOUNT": env.get("RESET_LIMIT_PER_ACCOUNT", "3 per hour"),
        "RESET_LIMIT_PER_ADDRESS": env.get("RESET_LIMIT_PER_ADDRESS", "10 per hour"),
        "REGISTER_LIMIT_PER_ADDRESS": env.get("REGISTER_LIMIT_PER_ADDRESS", "10 per hour"),
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
        "KARVAN_ARTEFACT_DIR": tempfile.mkdtemp(prefix="karvan-artefacts-"),
        "MAIL_SERVER": None,
        "KARVAN_BASE_URL": "http://localhost",
        "RATELIMIT_STORAGE_URI": "memory://",
        "KARVAN_DOMAIN": "karvan.test",
    }
