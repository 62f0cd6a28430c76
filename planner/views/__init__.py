"""Blueprints, one per feature."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from planner.views import api, auth, events, exhibitions, feeds, firms, main, requests, scheduling, timetables

    for module in (main, auth, exhibitions, firms, timetables, feeds, requests, api, events, scheduling):
        app.register_blueprint(module.bp)
