"""Blueprints, one per feature."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from planner.views import api, auth, exhibitions, feeds, firms, main, requests, timetables

    for module in (main, auth, exhibitions, firms, timetables, feeds, requests, api):
        app.register_blueprint(module.bp)
