"""ecotool: context-led service development for community peer support."""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, abort, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from ecotool import clock, vocab, web
from ecotool.config import PROJECT_ROOT, load_config
from ecotool.db import db, write_first
from ecotool.pdf import DOCUMENT_FILTERS
from ecotool.extensions import csrf, limiter, login_manager, migrate

ERROR_PAGES = {
    400: ("Something was wrong with that request", "Go back, reload the page and try again."),
    403: ("Not allowed", "Your role cannot open this page."),
    404: ("Not found", "There is nothing here, or it is not yours to see."),
    405: ("Not allowed", "This page cannot be used that way. Go back and use the buttons on the page."),
    415: ("Not a form", "This page takes what is typed into its own form. Go back and use the form on the page."),
    413: ("Too much to send", "Nothing was saved. Notes are limited to a few thousand characters and import "
          "files to 4 MB: shorten the text or split the file, then try again."),
    429: ("Too many attempts", "Please wait a minute and try again."),
    500: ("Something went wrong", "Nothing was saved. Please try again; if it happens again, tell your administrator."),
    503: ("Not ready yet", "No framework is loaded. Ask your administrator to run the set-up."),
}
HSTS = "max-age=31536000; includeSubDomains"
# One JSON line per request: its id, the route's pattern (never the path's ids, the query or a form), the
# status, how long it took and who asked (a person id). Nothing anyone typed is ever logged.
# (Not a child of the app's own "ecotool" logger, whose handler would write each line a second time.)
request_log = logging.getLogger("ecotool-requests")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
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
    _log_requests_as_json()
    proxies = app.config["ECOTOOL_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    clock.set_zone(app.config["ECOTOOL_TIMEZONE"])

    from ecotool import models  # noqa: F401  (registers every table)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."

    app.url_map.converters["int"] = web.IdConverter  # before any route is added
    app.jinja_env.filters["local"] = clock.to_local
    app.jinja_env.filters["day"] = clock.format_day
    app.jinja_env.filters["moment"] = clock.format_moment
    app.jinja_env.filters.update(DOCUMENT_FILTERS)
    app.jinja_env.globals["today"] = clock.local_today
    _register_template_globals(app)
    _register_blueprints(app)
    _register_edges(app)

    from ecotool.cli import register_cli

    register_cli(app)
    return app


def _register_template_globals(app: Flask) -> None:
    """Templates take their words from vocab and ask the access declarations what to show."""
    from ecotool.auth.access import may_open

    app.jinja_env.globals.update({v.__name__: v for v in vocab.VOCABULARIES})
    app.jinja_env.globals["may_open"] = may_open


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

    web.watch_failures(app)

    def _start_request():
        # A proxy's request id is kept (to follow a request across logs), if it looks like one.
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    from ecotool.auth.views import first_things_first

    # First of all, before the CSRF check or the sign-in throttle may answer instead; then who she is, and what
    # she must do first, before any view (or the expired-form handler, which calls views itself) is reached.
    app.before_request_funcs.setdefault(None, [])[:0] = [_start_request, first_things_first]

    @app.before_request
    def _refuse_nul_bytes():
        # No field ever needs a NUL byte, and PostgreSQL refuses one in text: answer 400 before anything reads it.
        # A file upload is parsed by its own view, which first sets how large it may be.
        upload = (request.content_type or "").startswith("multipart/form-data")
        for values in (request.args,) if upload else (request.args, request.form):
            for key, items in values.lists():
                if "\x00" in key or any("\x00" in item for item in items):
                    abort(400)

    @app.before_request
    def _posts_write_first():
        # A form is read (its one-time token, the record) and then saved: two copies sent together (a double
        # tap) must run one after the other, not fail on SQLite's lock.
        if request.method == "POST":
            write_first(db.session())

    @app.after_request
    def _commit_and_headers(response):
        # Commit before the response leaves, so a failed commit is never shown as success;
        # an error answer, or a redirect after a failure, keeps nothing half-written.
        if web.succeeded(response.status_code):
            db.session.commit()
        else:
            db.session.rollback()
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            # Served over HTTPS (production): browsers must never come back over plain HTTP.
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if current_user.is_authenticated:
            # Pages behind a login (one-time passwords, cases) must not stay in a shared browser's cache.
            response.headers["Cache-Control"] = "no-store"
        _log_request(response)
        return response

    for code, (title, message) in ERROR_PAGES.items():
        app.register_error_handler(code, _error_page(code, title, message))
    expired = _error_page(
        400, "Form expired", "The form was open too long or came from elsewhere. Go back, reload the page and try again.")

    @app.errorhandler(CSRFError)
    def _expired_form(error):
        # A signed-in person's form comes back with what she typed; the view's own form check refuses
        # the expired token, so nothing is saved.
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if current_user.is_authenticated and getattr(view, "keeps_typing", False):
            try:
                return view(**(request.view_args or {}))
            except HTTPException as refused:
                # The view refused before reaching its form (wrong role, not hers, not found): an abort
                # inside an error handler is not handled again, so answer it here.
                title, message = ERROR_PAGES.get(refused.code, ERROR_PAGES[400])
                return _error_page(refused.code or 400, title, message)(refused)
        return expired(error)


def _log_requests_as_json() -> None:
    """Write the request log to stderr as JSON lines (once per process), beside whatever else handles it."""
    if not any(getattr(h, "ecotool", False) for h in request_log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.ecotool = True  # type: ignore[attr-defined]
        request_log.addHandler(handler)
    request_log.setLevel(logging.INFO)


def _log_request(response) -> None:
    """Log one request: ids, the route's pattern, status and duration, never a path, query or form."""
    started = g.get("request_started")
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers["X-Request-Id"] = request_id
    request_log.info(json.dumps({
        "request_id": request_id, "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None, "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "person_id": current_user.id if current_user.is_authenticated else None,
    }))


def _error_page(code: int, title: str, message: str):
    def handler(_error):
        # Error pages never echo what was typed or the URL's query: only fixed words. A failed statement leaves
        # the transaction unusable, and the page's own queries (the layout asks for reviews due) would fail too.
        if code >= 500:
            db.session.rollback()
        return render_template("error.html", title=title, message=message), code

    return handler
