"""The web side of the input layer: ids in URLs, control characters in forms and query strings.

The rules themselves live in lms/learning/inputs.py, shared with the CLI. Here they are applied
once for every request, so no view can forget them: an id that does not fit the id columns is a
404 (it cannot name anything), and a form or query value with a NUL or another control character
is refused with a 400 page before any view runs, so it never reaches the database (PostgreSQL
would fail on a NUL; SQLite would store it).
"""
from __future__ import annotations

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter, ValidationError

from lms.learning.inputs import CONTROL, ID_MAX

CONTROL_MESSAGE = _l("The form or link contained control characters (such as NUL) that cannot be stored, so nothing "
                     "was changed. Remove them (retype the text rather than pasting it) and try again.")


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: at most 19 digits and at most the id columns' maximum, else no match (404)."""

    regex = r"\d{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValidationError()
        return number


def refuse_control_characters() -> None:
    """400 for any query or form value (or name) holding control characters; tabs and newlines are text.

    A path with one names nothing (ids and slugs never hold them): 404.
    """
    if CONTROL.search(request.path):
        abort(404)
    sources = [request.args]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        sources.append(request.form)
    for values in sources:
        for key, value in values.items(multi=True):
            if CONTROL.search(key) or CONTROL.search(value):
                abort(400, description=CONTROL_MESSAGE)


def init_app(app: Flask) -> None:
    """Register the id converter (before any route is added) and the control-character check."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["id"] = IdConverter
    app.before_request(refuse_control_characters)
