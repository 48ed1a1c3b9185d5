"""After any learner action: the one service that records what it earned.

Every view that changes a learner's progress (a lesson done, a quiz submitted, a pilot plan
or report submitted) calls `record_progress` the same way, after making its change and before
its single commit: the learner's new completions and the certificates they earn are written in
the same transaction as the action itself, so either all of it is kept or none.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from lms.content.model import Course
from lms.db.models import User
from lms.learning import certs, notify, progress


def record_progress(session: Session, course: Course, user: User, now: datetime, signing_key: bytes,
                    notify_base: str | None = None) -> progress.Snapshot:
    """Read where the learner stands, store newly earned completions, issue earned certificates; never commits.

    With `notify_base` (the public address links start with), the learner is also told of each new certificate.
    """
    snap = progress.snapshot(session, user, course)
    progress.record_completions(session, course, snap, now)
    if certs.issue_earned(session, course, snap, signing_key) and notify_base is not None:
        notify.certificates_issued(session, user, now, notify_base)
    return snap
