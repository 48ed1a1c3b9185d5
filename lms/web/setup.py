"""Everything the web layer adds to the app: clock, auth, errors, access headers, blueprints, template helpers."""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask

from lms.config import proxy_count
from lms.web import (
    access,
    account,
    admin,
    auth,
    certs,
    clock,
    errors,
    i18n,
    inputs,
    learn,
    mailer,
    offline,
    organisations,
    people,
    pilot,
    queue,
    quiz,
    trainer,
)


def init_app(app: Flask) -> None:
    inputs.init_app(app)  # bounded ids in URLs, no control characters in input: before any route is added
    _trust_proxies(app)
    clock.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    access.init_app(app)
    i18n.init_app(app)
    for module in (auth, learn, quiz, pilot, trainer, queue, certs, admin, people, account, organisations, offline):
        app.register_blueprint(module.bp)
    mailer.init_app(app)
    _template_helpers(app)
    _static_caching(app)


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, take the client's address and scheme from their X-Forwarded headers.

    Without it every client would share the proxy's address, and with it one rate-limit count.
    """
    count = proxy_count(app)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_prefix=count)  # type: ignore[method-assign]


def _template_helpers(app: Flask) -> None:
    from flask import request
    from markupsafe import Markup

    from lms.content.markdown import ROOT

    @app.template_filter("content")
    def content(html: str | None) -> Markup:
        """Course HTML (sanitized at load) with links made absolute for this deployment."""
        return Markup((html or "").replace(ROOT, request.script_root))

    # The `date`, `short_date` and `number` filters are the locale's, from lms/web/i18n.py.
    from lms.web.words import plain_status

    app.add_template_filter(plain_status, "plain_status")

    @app.template_filter("status_class")
    def status_class(status: str) -> str:
        return status.replace(" ", "-")

    @app.context_processor
    def globals_():
        return {"course_title": app.extensions["lms.course"].title}


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
