"""Cohort-wide reads for trainers and exports: a fixed number of queries, whatever the cohort size."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

import quizzes
from lms.content.model import Course
from lms.db.enums import Role
from lms.db.models import (
    Certificate,
    Cohort,
    PilotLogEntry,
    QuizAttempt,
    User,
)
from lms.learning import progress


@dataclass
class LearnerRow:
    user: User
    snap: progress.Snapshot
    log_entries: int
    certificates: list[Certificate]


def cohort_snapshots(session: Session, users: list[User], course: Course) -> dict[int, progress.Snapshot]:
    """Snapshots for many learners, one query per table."""
    return progress.snapshots(session, users, course)


def cohort_rows(session: Session, course: Course, cohort: Cohort) -> list[LearnerRow]:
    """Every learner of a cohort with their snapshot, log count and certificates."""
    users = list(session.scalars(select(User).where(User.cohort_id == cohort.id, User.role == Role.TSP).order_by(User.name)))
    return rows_for(session, users, cohort_snapshots(session, users, course))


def rows_for(session: Session, users: list[User], snaps: dict[int, progress.Snapshot]) -> list[LearnerRow]:
    """Each learner with their snapshot, log count and certificates: two queries, whatever their number."""
    ids = [u.id for u in users]
    logs = dict(session.execute(select(PilotLogEntry.user_id, func.count()).where(PilotLogEntry.user_id.in_(ids))
                                .group_by(PilotLogEntry.user_id)).all())
    certs: dict[int, list[Certificate]] = defaultdict(list)
    for cert in session.scalars(select(Certificate).where(Certificate.user_id.in_(ids)).order_by(Certificate.issued_at)):
        certs[cert.user_id].append(cert)
    return [LearnerRow(u, snaps[u.id], logs.get(u.id, 0), certs[u.id]) for u in users]


def quiz_attempts(session: Session, user_ids: list[int], quiz_id: str) -> list[QuizAttempt]:
    """Submitted attempts at a quiz with their items, in two queries."""
    return list(session.scalars(
        select(QuizAttempt).options(selectinload(QuizAttempt.items))
        .where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.quiz_id == quiz_id, QuizAttempt.submitted_at.is_not(None))
        .order_by(QuizAttempt.user_id, QuizAttempt.number)
    ))


def item_rows(attempts: list[QuizAttempt], first_only: bool = True) -> list[quizzes.ItemRow]:
    """Rows for item statistics: from each learner's first attempt by default."""
    seen: set[int] = set()
    rows = []
    for attempt in attempts:
        if first_only and attempt.user_id in seen:
            continue
        seen.add(attempt.user_id)
        for item in attempt.items:
            if item.score is None:
                continue
            rows.append(quizzes.ItemRow(attempt_id=attempt.id, learner_id=attempt.user_id, question_id=item.question_id,
                                        score=item.score, response=(item.response or {}).get("value")))
    return rows
