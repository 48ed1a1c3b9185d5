"""The TSP training LMS: a Flask application factory over the `quizzes` and `certificates` packages."""
from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from .course import CourseInvalid, load_course

SHIPPED_COURSE = Path(__file__).resolve().parent.parent / "course"


class ConfigError(RuntimeError):
    """A setting that is missing or wrong; the message says what to do."""


def _secret_key(app: Flask) -> str:
    """LMS_SECRET_KEY, or for local use a key generated once and kept in the instance folder."""
    key = os.environ.get("LMS_SECRET_KEY")
    if key:
        return key
    key_file = Path(app.instance_path) / "secret_key"
    if key_file.is_file():
        return key_file.read_text().strip()
    if os.environ.get("LMS_ENV", "production") != "development":
        raise ConfigError(
            "LMS_SECRET_KEY is not set. In production set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_hex(32))'); for local use run `lms run`."
        )
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, database, course, blueprints."""
    app = Flask(__name__, instance_path=os.environ.get("LMS_INSTANCE_PATH") or None)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=os.environ.get("LMS_DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'lms.sqlite'}",
        COURSE_DIR=os.environ.get("LMS_COURSE_DIR") or str(SHIPPED_COURSE),
        BASE_URL=os.environ.get("LMS_BASE_URL", ""),
        FONT_DIRS=os.environ.get("LMS_FONT_DIRS", ""),
        PROXY_COUNT=os.environ.get("LMS_PROXY_COUNT", "0"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("LMS_ENV", "production") == "production",
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # a TSP on a slow day must not lose a form to an expired token
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        VERIFY_RATE_LIMIT=(30, 60),  # lookups per client per window of seconds
        LOGIN_RATE_LIMIT=(10, 300),
        CLOCK=None,
    )
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)

    app.extensions["lms.course"] = load_course(app.config["COURSE_DIR"])
    _trust_proxies(app)

    from . import access, auth, certs, clock, db, errors, views_admin, views_certs, views_learn, views_pilot, views_quiz, views_trainer

    clock.init_app(app)
    db.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    access.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(views_learn.bp)
    app.register_blueprint(views_quiz.bp)
    app.register_blueprint(views_pilot.bp)
    app.register_blueprint(views_trainer.bp)
    app.register_blueprint(views_certs.bp)
    app.register_blueprint(views_admin.bp)
    certs.init_app(app)
    _template_helpers(app)
    _static_caching(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, take the client's address and scheme from their X-Forwarded headers.

    Without it every client would share the proxy's address, and with it one rate-limit count.
    """
    try:
        count = int(app.config["PROXY_COUNT"] or 0)
    except ValueError:
        raise ConfigError(f"LMS_PROXY_COUNT must be a whole number of proxies, not {app.config['PROXY_COUNT']!r}") from None
    if count < 0:
        raise ConfigError("LMS_PROXY_COUNT cannot be negative")
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_prefix=count)  # type: ignore[method-assign]


def _template_helpers(app: Flask) -> None:
    from flask import request
    from markupsafe import Markup

    from .markdown import ROOT

    @app.template_filter("content")
    def content(html: str | None) -> Markup:
        """Course HTML (sanitized at load) with links made absolute for this deployment."""
        return Markup((html or "").replace(ROOT, request.script_root))

    @app.template_filter("date")
    def format_date(value) -> str:
        return value.strftime("%-d %B %Y") if value else ""

    @app.template_filter("short_date")
    def format_short_date(value) -> str:
        return value.strftime("%-d %b %Y") if value else ""

    @app.template_filter("status_class")
    def status_class(status: str) -> str:
        return status.replace(" ", "-")

    @app.context_processor
    def globals_():
        return {"course_title": app.extensions["lms.course"].title, "endpoints": app.view_functions}


def _static_caching(app: Flask) -> None:
    """The stylesheet's URL carries a hash of its content, so browsers keep it for a year.

    On a slow phone connection this saves a round trip on every page after the first:
    an unversioned URL would be revalidated each time. A changed file gets a new URL.
    """
    from flask import request, url_for

    css = Path(app.static_folder or "", "style.css")
    version = hashlib.sha256(css.read_bytes()).hexdigest()[:12] if css.is_file() else "0"

    @app.after_request
    def cache_versioned_static(response):
        if request.endpoint == "static" and request.args.get("v") == version and response.status_code in (200, 304):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = 365 * 24 * 3600
            response.cache_control.immutable = True
        return response

    @app.template_global()
    def stylesheet() -> str:
        return url_for("static", filename="style.css", v=version)


__all__ = ["create_app", "ConfigError", "CourseInvalid"]
