"""Forms shared by the blueprints."""
from __future__ import annotations

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """Only a CSRF token, for one-button actions and forms whose fields are read from a spec.

    The global CSRF check (auth.csrf) refuses a bad token before any view runs, so views never validate it again.
    """
