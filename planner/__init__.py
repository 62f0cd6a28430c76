"""Karvan: B2B matchmaking and meeting planning for chambers of commerce."""
from __future__ import annotations

import logging
from pathlib import Path

import flask_babel
from flask import Flask, g, render_template, request
from flask_babel import gettext as _

from planner.config import load_config
from planner.extensions import babel, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


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
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    # Imported here, as in Flask's tutorial, so that importing `planner.config` or a model
    # does not pull in every view.
    from planner import models, templating
    from planner.accounts import views as accounts_views
    from planner.events import views as events_views
    from planner.exhibitions import home
    from planner.exhibitions import views as exhibitions_views
    from planner.firms import api
    from planner.firms import views as firms_views
    from planner.requests import views as requests_views
    from planner.scheduling import views as scheduling_views
    from planner.text import i18n
    from planner.timetables import feed_views
    from planner.timetables import views as timetables_views

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
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
    def load_user(user_id: str):
        return db.session.get(models.User, int(user_id))

    i18n.init_app(app)
    templating.register(app)

    @app.before_request
    def _fresh_request_state():
        # Locale and user are cached on `g`, which belongs to the app context. A request
        # normally gets its own, but under an outer app context (tests, scripts) it is
        # shared, so start every request from its own cookies and headers.
        flask_babel.refresh()
        g.pop("_login_user", None)

    for blueprint in (home.bp, accounts_views.bp, exhibitions_views.bp, firms_views.bp, timetables_views.bp,
                      feed_views.bp, requests_views.bp, api.bp, events_views.bp, scheduling_views.bp):
        app.register_blueprint(blueprint)
    _register_errors(app)
    # Browsers ask for /favicon.ico whatever the page links; serve the same icon there.
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("img/favicon.ico"))

    from planner import cli

    cli.init_app(app)
    return app


def _register_errors(app: Flask) -> None:
    def wants_json() -> bool:
        return request.path.startswith("/api/")

    def render_error(status: int, message: str):
        if wants_json():
            return {"error": message, "status": status}, status
        return render_template("errors/error.html", status=status, message=message), status

    @app.errorhandler(400)
    def bad_request(error):
        # Werkzeug's and Flask-WTF's descriptions are English ("The CSRF token is missing."): never shown.
        return render_error(400, _("The request could not be understood."))

    @app.errorhandler(403)
    def forbidden(error):
        return render_error(403, _("You are not allowed to see this page."))

    @app.errorhandler(404)
    def not_found(error):
        return render_error(404, _("This page does not exist."))

    @app.errorhandler(405)
    def wrong_method(error):
        return render_error(405, _("This address cannot be opened this way. Use the buttons on the page."))

    @app.errorhandler(429)
    def too_many(error):
        return render_error(429, _("Too many attempts. Please wait and try again."))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500, _("Something went wrong on our side. Please try again."))
