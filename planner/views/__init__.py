"""Blueprints, one per feature."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from planner.views import auth, exhibitions, firms, main

    for module in (main, auth, exhibitions, firms):
        app.register_blueprint(module.bp)
