"""Friendly error pages: never a stack trace for users."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (_l("Something in that request was not right"), _l("The form or link was not valid. Go back, reload the page and try again.")),
    403: (_l("You don't have access to this page"), _l("Your account cannot open this page. If you think it should, ask your trainer.")),
    404: (_l("Page not found"), _l("The page may have moved, or the link may be mistyped.")),
    405: (_l("That action is not allowed here"), _l("Go back and use the buttons on the page.")),
    413: (_l("That upload is too large"), _l("Send a smaller file.")),
    429: (_l("Too many tries"), _l("Please wait a minute and try again.")),
    500: (_l("Something went wrong on our side"), _l("Your work so far is saved. Please try again in a moment.")),
}


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        title, text = MESSAGES.get(code, (error.name, error.description or ""))
        if error.description and error.description != type(error).description:
            # A view said why (the refresher is not open yet, time is up...): show that instead.
            title, text = (_l("Not available") if code == 403 else title), error.description
        return render_template("error.html", code=code, title=title, text=text), code

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        if app.config.get("PROPAGATE_EXCEPTIONS") or (app.testing and app.config.get("PROPAGATE_EXCEPTIONS") is None):
            raise error
        app.logger.exception("unhandled error")
        title, text = MESSAGES[500]
        return render_template("error.html", code=500, title=title, text=text), 500
