"""Karvan: B2B matchmaking and meeting planning for chambers of commerce."""
from __future__ import annotations

import logging
import secrets
from pathlib import Path

import flask_babel
from flask import Flask, abort, g, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from planner.config import load_config
from planner.extensions import babel, csrf, db, limiter, login_manager, migrate, tune_sqlite
from planner.urls import BoundedIntegerConverter

ROOT = Path(__file__).resolve().parent.parent

log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, CLI and error pages."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    app.config.setdefault("DATA_DIR", str(ROOT / "data"))
    # Before any route is added: every <int:…> in a URL is bounded to what the database holds.
    app.url_map.converters["int"] = BoundedIntegerConverter
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    # Imported here, as in Flask's tutorial, so that importing `planner.config` or a model
    # does not pull in every view.
    from planner import models, templating
    from planner.accounts import views as accounts_views
    from planner.delegations import views as delegations_views
    from planner.eventday import views as eventday_views
    from planner.events import lifecycle_views, public, undo_views
    from planner.events import views as events_views
    from planner.exhibitions import home
    from planner.exhibitions import views as exhibitions_views
    from planner.firms import api
    from planner.firms import views as firms_views
    from planner.onboarding import reminder_views
    from planner.onboarding import views as onboarding_views
    from planner.outcomes import views as outcomes_views
    from planner.requests import views as requests_views
    from planner.scheduling import recut_views
    from planner.scheduling import views as scheduling_views
    from planner.statistics import views as statistics_views
    from planner.text import i18n
    from planner.timetables import feed_views
    from planner.timetables import views as timetables_views

    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    if app.config["KARVAN_PROXY_HOPS"]:
        # Behind nginx: the client's address and scheme come from X-Forwarded-For/-Proto, set by
        # exactly this many trusted proxies (rate limits key on the address).
        hops = app.config["KARVAN_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=";".join(
            str(path) for path in sorted((Path(__file__).parent / "translations").iterdir()) if path.is_dir()
        ),
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = i18n._l("Please log in to see this page.")
    login_manager.login_message_category = "warning"

    @login_manager.user_loader
    def load_user(session_id: str):
        # "<id>:<session_version>" (User.get_id): a replaced version ends the session it came from.
        user_id, _sep, version = session_id.partition(":")
        if not user_id.isdigit() or len(user_id) > 18:
            return None
        user = db.session.get(models.User, int(user_id))
        return user if user is not None and version and secrets.compare_digest(user.session_version, version) else None

    templating.register(app)

    @app.before_request
    def _fresh_request_state():
        # Locale and user are cached on `g`, which belongs to the app context. A request
        # normally gets its own, but under an outer app context (tests, scripts) it is
        # shared, so start every request from its own cookies and headers.
        flask_babel.refresh()
        g.pop("_login_user", None)

    @app.before_request
    def _refuse_unstorable_input():
        # NUL cannot be stored or even compared in PostgreSQL text and no form can type it:
        # a request carrying one in its path, query or form is malformed (400), never a 500.
        values = [request.path, *request.args.keys(), *request.args.values()]
        if request.method == "POST" and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            values += [*request.form.keys(), *request.form.values(), *(f.filename or "" for f in request.files.values())]
        if any("\x00" in value for value in values):
            abort(400)

    for blueprint in (home.bp, accounts_views.bp, exhibitions_views.bp, firms_views.bp, timetables_views.bp,
                      feed_views.bp, requests_views.bp, api.bp, events_views.bp, scheduling_views.bp, eventday_views.bp,
                      outcomes_views.bp, statistics_views.bp, delegations_views.bp, onboarding_views.bp,
                      lifecycle_views.bp, public.bp, reminder_views.bp):
        app.register_blueprint(blueprint)
    for blueprint in (undo_views.bp, recut_views.bp):  # setup pages that forgive: undo, re-cut with a preview
        app.register_blueprint(blueprint)
    _register_errors(app)
    if app.config["KARVAN_SECURITY_HEADERS"]:
        app.after_request(_security_headers)
    # Browsers ask for /favicon.ico whatever the page links; serve the same icon there.
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("img/favicon.ico"))

    from planner import cli

    cli.init_app(app)
    return app


# Only the app's own scripts, styles, fonts and images; nobody may frame a page (the Publish
# button cannot be clicked through another site).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
                           "form-action 'self'; frame-ancestors 'none'")


def _security_headers(response):
    """Production headers (KARVAN_SECURITY_HEADERS): HSTS, CSP, no framing, nosniff, referrer policy."""
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # Feed URLs carry secret tokens: never send a path to another site.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


_HTTP_ERRORS = {
    400: _l("The request could not be understood."),
    403: _l("You are not allowed to see this page."),
    404: _l("This page does not exist."),
    405: _l("This address cannot be opened this way. Use the buttons on the page."),
    429: _l("Too many attempts. Please wait and try again."),
}


def _register_errors(app: Flask) -> None:
    def wants_json() -> bool:
        return request.path.startswith("/api/")

    def render_error(status: int, message: str):
        if wants_json():
            return {"error": message, "status": status}, status
        if request_ctx.url_adapter is None:
            # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page with links.
            return message, status, {"Content-Type": "text/plain; charset=utf-8"}
        return render_template("errors/error.html", status=status, message=message), status

    # Werkzeug's and Flask-WTF's descriptions are English ("The CSRF token is missing."): never
    # shown; each status says its own sentence in the reader's language.
    for status, message in _HTTP_ERRORS.items():
        app.register_error_handler(status, lambda error, status=status, message=message: render_error(status, str(message)))

    @app.errorhandler(IntegrityError)
    def lost_race(error):
        # A write that a concurrent request made impossible (the database's constraint held).
        # Services answer the races they know in their own words; this is the floor under the rest.
        db.session.rollback()
        log.warning("constraint refused a write on %s %s: %s", request.method, request.path, error.orig)
        return render_error(409, _("Someone changed this at the same moment. Reload the page and try again."))

    @app.errorhandler(OperationalError)
    def database_busy(error):
        db.session.rollback()
        if "locked" not in str(error.orig).lower() and "deadlock" not in str(error.orig).lower():
            raise error
        log.warning("database busy on %s %s: %s", request.method, request.path, error.orig)
        return render_error(503, _("The server is busy. Please try again in a moment."))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500, _("Something went wrong on our side. Please try again."))
