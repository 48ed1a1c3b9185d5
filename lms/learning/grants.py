"""Extra quiz attempts a trainer grants beyond a quiz's limit; `attempts.attempts_left` counts them."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lms.content.model import QuizContent
from lms.db.models import ExtraAttempt, User

MAX_REASON = 2000
# The same grant (learner, quiz, trainer and reason) again within this time is the same click sent twice.
RESENT_WITHIN = timedelta(minutes=10)


class GrantError(ValueError):
    """A grant that cannot be made; the message says why."""


def grant(session: Session, learner: User, content: QuizContent, by: User, reason: str, now: datetime) -> ExtraAttempt | None:
    """Record one more attempt for a learner at a quiz, with who granted it and why (the caller commits).

    None when the same grant was just made: a double click or a resent form grants one attempt.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise GrantError("Say why you grant the extra attempt; it is kept with the grant.")
    if len(reason) > MAX_REASON:
        raise GrantError(f"The reason is too long (at most {MAX_REASON} characters).")
    if content.quiz.settings.attempts is None:
        raise GrantError(f"{content.quiz.title} has no limit on attempts, so there is nothing to grant.")
    # Lock the learner's row first (a write lock on SQLite, a row lock on PostgreSQL), so copies sent at once take turns.
    session.execute(update(User).where(User.id == learner.id).values(session_version=User.session_version)
                    .execution_options(synchronize_session=False))
    if session.scalar(select(ExtraAttempt.id).where(
            ExtraAttempt.user_id == learner.id, ExtraAttempt.quiz_id == content.quiz.id, ExtraAttempt.granted_by_id == by.id,
            ExtraAttempt.reason == reason, ExtraAttempt.granted_at > now - RESENT_WITHIN).limit(1)) is not None:
        return None
    extra = ExtraAttempt(user_id=learner.id, quiz_id=content.quiz.id, granted_by_id=by.id, reason=reason, granted_at=now)
    session.add(extra)
    return extra


def grants_of(session: Session, learner: User) -> list[ExtraAttempt]:
    return list(session.scalars(select(ExtraAttempt).where(ExtraAttempt.user_id == learner.id).order_by(ExtraAttempt.granted_at)))
