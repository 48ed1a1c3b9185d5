"""What waits on a trainer: plans and reports to comment on, learners stuck on the final assessment or gone quiet.

One SQL query builds the whole queue (a UNION of the four kinds), restricted to the
cohorts given; counting and paging it are two more, whatever the cohorts' size.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, literal_column, select, union_all
from sqlalchemy.orm import Session

from lms.content.model import Course
from lms.db.models import Comment, Completion, ExtraAttempt, Organisation, PilotPlan, PilotReport, QuizAttempt, User
from lms.learning.cohorts import last_activity

INACTIVE_DAYS = 30
PAGE_SIZE = 50
KINDS = {
    "plan": "Pilot plan to comment on",
    "report": "Pilot report to comment on",
    "failed": "Failed the final assessment twice",
    "inactive": f"Inactive for {INACTIVE_DAYS} days",
}


@dataclass
class QueueItem:
    kind: str
    since: datetime
    user: User
    organisation: str | None
    country: str | None


def _uncommented(model, target: str):
    commented = exists().where(Comment.learner_id == model.user_id, Comment.target == target,
                               Comment.created_at >= model.submitted_at)
    return (select(literal_column(f"'{target}'").label("kind"), model.user_id.label("user_id"), model.submitted_at.label("since"))
            .where(model.submitted_at.is_not(None), ~commented))


def _failed_final(final_quiz: str):
    """Two or more failed attempts at the final assessment, never passed, and no extra attempt granted since the last."""
    fa = QuizAttempt.__table__.alias("fa")
    passed = exists().where(QuizAttempt.user_id == fa.c.user_id, QuizAttempt.quiz_id == final_quiz, QuizAttempt.passed.is_(True))
    granted = (select(func.max(ExtraAttempt.granted_at)).where(ExtraAttempt.user_id == fa.c.user_id, ExtraAttempt.quiz_id == final_quiz)
               .scalar_subquery())
    last_fail = func.max(fa.c.submitted_at)
    stmt = (select(literal_column("'failed'"), fa.c.user_id, last_fail)
            .where(fa.c.quiz_id == final_quiz, fa.c.submitted_at.is_not(None), fa.c.passed.is_(False), ~passed)
            .group_by(fa.c.user_id)
            .having(and_(func.count() >= 2, func.coalesce(granted < last_fail, True))))
    return stmt, fa


def _inactive(course: Course, learners, now: datetime):
    last = last_activity(learners)
    since = func.coalesce(last.c.last_at, User.created_at)
    final_unit = course.units[-1].id if course.units else None
    finished = exists().where(Completion.user_id == User.id, Completion.scope == "unit", Completion.ref_id == final_unit)
    return (select(literal_column("'inactive'"), User.id, since).outerjoin(last, last.c.user_id == User.id)
            .where(User.id.in_(learners), User.active.is_(True), ~finished, since < now - timedelta(days=INACTIVE_DAYS)))


def queue(course: Course, cohort_ids: list[int], now: datetime):
    """The queue as a subquery (kind, user_id, since) for learners of these cohorts."""
    learners = select(User.id).where(User.cohort_id.in_(cohort_ids), User.role == "tsp")
    parts = [_uncommented(PilotPlan, "plan").where(PilotPlan.user_id.in_(learners)),
             _uncommented(PilotReport, "report").where(PilotReport.user_id.in_(learners))]
    core = course.unit("core")
    if core is not None and core.quiz_id:
        failed, fa = _failed_final(core.quiz_id)
        parts.append(failed.where(fa.c.user_id.in_(learners)))
    parts.append(_inactive(course, learners, now))
    return union_all(*parts).subquery()


def entries(session: Session, course: Course, cohort_ids: list[int], now: datetime) -> list[tuple[str, int, datetime]]:
    """(kind, user id, since) for the whole queue, longest waiting first: one query, small rows."""
    q = queue(course, cohort_ids, now)
    return [tuple(row) for row in session.execute(select(q.c.kind, q.c.user_id, q.c.since).order_by(q.c.since, q.c.user_id, q.c.kind))]


def counts(found: list[tuple[str, int, datetime]]) -> dict[str, int]:
    return {kind: sum(1 for k, _u, _s in found if k == kind) for kind in KINDS}


def items(session: Session, found: list[tuple[str, int, datetime]], kind: str | None = None, page: int = 1,
          page_size: int | None = PAGE_SIZE) -> list[QueueItem]:
    """One page of the queue (or all of it, page_size None), with each learner and organisation: one query."""
    chosen = [e for e in found if kind not in KINDS or e[0] == kind]
    if page_size:
        chosen = chosen[(max(1, page) - 1) * page_size:max(1, page) * page_size]
    people = {user.id: (user, name, country) for user, name, country in session.execute(
        select(User, Organisation.name, Organisation.country).outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(User.id.in_({user_id for _k, user_id, _s in chosen})))}
    return [QueueItem(k, since, *people[user_id]) for k, user_id, since in chosen]
