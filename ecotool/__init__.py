"""ecotool: context-led service development for community peer support."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, render_template

from ecotool.config import PROJECT_ROOT, load_config
from ecotool.db import db
from ecotool.extensions import csrf, limiter, login_manager, migrate

CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build and return the Flask application."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.config.update(load_config())
    if config:
        app.config.update(config)
    app.logger.setLevel(logging.INFO)

    from ecotool import models  # noqa: F401  (registers every table)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."

    _register_blueprints(app)
    _register_edges(app)

    from ecotool.cli import register_cli

    register_cli(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from ecotool.admin.views import bp as admin_bp
    from ecotool.auth.views import bp as auth_bp
    from ecotool.capture.views import bp as capture_bp
    from ecotool.decisions.views import bp as decisions_bp
    from ecotool.reports.views import bp as reports_bp
    from ecotool.supervision.views import bp as supervision_bp

    for bp in (auth_bp, capture_bp, supervision_bp, decisions_bp, reports_bp, admin_bp):
        app.register_blueprint(bp)


def _register_edges(app: Flask) -> None:
    """One commit per request at the edge; security headers; error pages."""

    @app.after_request
    def _commit_and_headers(response):
        # Commit before the response leaves, so a failed commit is never shown as success;
        # a 4xx or 5xx answer keeps nothing half-written.
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.errorhandler(403)
    def _forbidden(_e):
        return render_template("error.html", title="Not allowed",
                               message="Your role cannot open this page."), 403

    @app.errorhandler(404)
    def _not_found(_e):
        return render_template("error.html", title="Not found",
                               message="There is nothing here, or it is not yours to see."), 404

    @app.errorhandler(429)
    def _too_many(_e):
        return render_template("error.html", title="Too many attempts",
                               message="Please wait a minute and try again."), 429
