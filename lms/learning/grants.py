"""Extra quiz attempts a trainer grants beyond a quiz's limit; `attempts.attempts_left` counts them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content.model import QuizContent
from lms.db.models import ExtraAttempt, User

MAX_REASON = 2000


class GrantError(ValueError):
    """A grant that cannot be made; the message says why."""


def grant(session: Session, learner: User, content: QuizContent, by: User, reason: str, now: datetime) -> ExtraAttempt:
    """Record one more attempt for a learner at a quiz, with who granted it and why (the caller commits)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise GrantError("Say why you grant the extra attempt; it is kept with the grant.")
    if len(reason) > MAX_REASON:
        raise GrantError(f"The reason is too long (at most {MAX_REASON} characters).")
    if content.quiz.settings.attempts is None:
        raise GrantError(f"{content.quiz.title} has no limit on attempts, so there is nothing to grant.")
    extra = ExtraAttempt(user_id=learner.id, quiz_id=content.quiz.id, granted_by_id=by.id, reason=reason, granted_at=now)
    session.add(extra)
    return extra


def grants_of(session: Session, learner: User) -> list[ExtraAttempt]:
    return list(session.scalars(select(ExtraAttempt).where(ExtraAttempt.user_id == learner.id).order_by(ExtraAttempt.granted_at)))
