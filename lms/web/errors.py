"""Friendly error pages: never a stack trace for users."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (_l("Something in that request was not right"), _l("The form or link was not valid. Go back, reload the page and try again.")),
    403: (_l("You don't have access to this page"), _l("Your account cannot open this page. If you think it should, ask your trainer.")),
    404: (_l("Page not found"), _l("The page may have moved, or the link may be mistyped.")),
    405: (_l("That action is not allowed here"), _l("Go back and use the buttons on the page.")),
    413: (_l("That was too much to send at once"), _l("The form or file is larger than this site accepts (2 MB), so nothing "
          "was saved. Shorten the text or send a smaller file, then try again.")),
    429: (_l("Too many tries"), _l("Please wait a minute and try again.")),
    # Only what is true: a failed request saved nothing of its own, and earlier saves are not in doubt.
    500: (_l("Something went wrong on our side"), _l("If you were saving something, check whether it was saved before "
          "trying again. What you saved earlier is kept. Please try again in a moment.")),
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

    @app.errorhandler(IntegrityError)
    def already_done(error: IntegrityError):
        """A unique rule said no: the same form arrived twice at once and the other copy was saved."""
        from lms.db.session import get_session

        get_session().rollback()
        if not _is_duplicate(error):
            return server_error(error)
        app.logger.info("integrity error answered as 409: %s", error.orig)
        return render_template("error.html", code=409, title=_l("That was already done"),
                               text=_l("The same form arrived twice (perhaps a double click), and the other copy was "
                                       "saved; this one changed nothing. Reload the page to see where things stand.")), 409

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        if app.config.get("PROPAGATE_EXCEPTIONS") or (app.testing and app.config.get("PROPAGATE_EXCEPTIONS") is None):
            raise error
        app.logger.exception("unhandled error")
        title, text = MESSAGES[500]
        return render_template("error.html", code=500, title=title, text=text), 500


def _is_duplicate(error: IntegrityError) -> bool:
    """A unique-constraint violation (PostgreSQL SQLSTATE 23505, SQLite's UNIQUE message), not another rule."""
    orig = error.orig
    return getattr(orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(orig)
