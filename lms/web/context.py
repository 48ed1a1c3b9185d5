"""What the views take from the running app: the loaded course, the certificate signing key, the progress recorder."""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from lms.content.model import Course
from lms.db.models import User
from lms.learning import recording
from lms.learning.certs import signing_key as derive_signing_key


def course() -> Course:
    """The course loaded at start-up."""
    return current_app.extensions["lms.course"]


def signing_key() -> bytes:
    """The key for certificate codes, from the app's secret key."""
    return derive_signing_key(current_app.config["SECRET_KEY"])


def record_progress(session: Session, user: User, when: datetime) -> None:
    """After a learner's action: completions, certificates, and a note (and email) for each new certificate."""
    from lms.web.mailer import base_url  # the public address, as emails give it

    recording.record_progress(session, course(), user, when, signing_key(), notify_base=base_url())
