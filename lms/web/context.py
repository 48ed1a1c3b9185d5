"""What the views take from the running app: the loaded course and the certificate signing key."""
from __future__ import annotations

from flask import current_app

from lms.content.model import Course
from lms.learning.certs import signing_key as derive_signing_key


def course() -> Course:
    """The course loaded at start-up."""
    return current_app.extensions["lms.course"]


def signing_key() -> bytes:
    """The key for certificate codes, from the app's secret key."""
    return derive_signing_key(current_app.config["SECRET_KEY"])
