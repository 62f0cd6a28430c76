"""Blueprints, one per feature."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from planner.views import auth, exhibitions, feeds, firms, main, timetables

    for module in (main, auth, exhibitions, firms, timetables, feeds):
        app.register_blueprint(module.bp)
