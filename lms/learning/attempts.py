"""Quiz attempts: start once, save as the learner goes, submit exactly once, grade on the server.

The caller owns the transaction: nothing here commits or rolls back. Every write of an attempt's
answers first claims the attempt row with an UPDATE that only matches while it is open, so a save
racing a submit either lands before the grading (and is graded) or changes nothing.
"""
from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session, object_session

import quizzes
from lms.content.model import Course, QuizContent
from lms.db.models import AttemptItem, ExtraAttempt, QuizAttempt, User

GRACE = timedelta(seconds=90)  # a slow connection should not cost the last answer
ALREADY_SUBMITTED = "This attempt was already submitted; its answers can no longer change, so nothing was changed."


class AttemptError(Exception):
    """A request about an attempt that cannot be honoured; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def open_key(user_id: int, quiz_id: str) -> str:
    return f"{user_id}:{quiz_id}"


def attempts_of(session: Session, user_id: int, quiz_id: str) -> list[QuizAttempt]:
    return list(session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id)
                                .order_by(QuizAttempt.number)))


def attempts_left(content: QuizContent, attempts: list[QuizAttempt]) -> int | None:
    allowed = content.quiz.settings.attempts
    if allowed is not None and len(attempts) >= allowed:  # extra attempts a trainer granted count on top
        session = object_session(attempts[0])
        allowed += (session.scalar(select(func.count()).select_from(ExtraAttempt).where(
            ExtraAttempt.user_id == attempts[0].user_id, ExtraAttempt.quiz_id == content.quiz.id)) or 0) if session else 0
    return None if allowed is None else max(0, allowed - len(attempts))


def open_attempt(session: Session, user_id: int, quiz_id: str) -> QuizAttempt | None:
    return session.scalar(select(QuizAttempt).where(QuizAttempt.open_key == open_key(user_id, quiz_id)))


def start(session: Session, course: Course, content: QuizContent, user: User, now: datetime,
          seed: float | None = None, language: str | None = None) -> QuizAttempt:
    """The open attempt if there is one, else a new one (flushed) with its questions, option order, tokens and language fixed.

    A double click can race this: the second insert breaks the one-open-attempt constraint and the
    flush raises IntegrityError; the caller rolls back and takes `open_attempt`.
    """
    existing = open_attempt(session, user.id, content.quiz.id)
    if existing is not None:
        return existing
    attempts = attempts_of(session, user.id, content.quiz.id)
    if attempts_left(content, attempts) == 0:
        raise AttemptError(f"You have used all {content.quiz.settings.attempts} attempts at this quiz.", 403)
    plan = quizzes.build_attempt(content.quiz, random.Random(seed))
    limit = content.quiz.settings.time_limit_minutes
    attempt = QuizAttempt(
        user_id=user.id, quiz_id=content.quiz.id, number=len(attempts) + 1, open_key=open_key(user.id, content.quiz.id),
        plan=[p.to_json() for p in plan], started_at=now,
        deadline=now + timedelta(minutes=limit) if limit else None, content_version=course.full_version,
        language=language,
    )
    attempt.items = [AttemptItem(question_id=p.question_id, position=i) for i, p in enumerate(plan)]
    session.add(attempt)
    session.flush()
    return attempt


def planned_questions(content: QuizContent, attempt: QuizAttempt) -> list[tuple[quizzes.Question, quizzes.PlannedQuestion]]:
    """The attempt's questions in its order, each with its plan; questions since deleted are skipped."""
    result = []
    for raw in attempt.plan:
        planned = quizzes.PlannedQuestion.from_json(raw)
        try:
            result.append((content.quiz.question(planned.question_id), planned))
        except KeyError:
            continue
    return result


def ensure_tokens(content: QuizContent, attempt: QuizAttempt) -> bool:
    """Give an attempt opened before form tokens existed its tokens; True when the plan changed (the caller commits)."""
    questions = {q.id: q for q in content.quiz.questions}
    old = [quizzes.PlannedQuestion.from_json(raw) for raw in attempt.plan]
    if not any(p.question_id in questions and p.needs_tokens(questions[p.question_id]) for p in old):
        return False
    attempt.plan = [(p.with_tokens(questions[p.question_id]) if p.question_id in questions else p).to_json() for p in old]
    return True


def responses_from_form(content: QuizContent, attempt: QuizAttempt, form: Any) -> dict[str, object]:
    """Read and validate every answer in a submitted form; refuses fields for questions not in the attempt."""
    questions = planned_questions(content, attempt)
    ids = {q.id for q, _ in questions}
    for name in form:
        if name.startswith("q-") and not any(name == f"q-{qid}" or name.startswith(f"q-{qid}-") for qid in ids):
            raise AttemptError("The form has an answer to a question that is not in this attempt.")
    responses: dict[str, object] = {}
    for question, planned in questions:
        kind = quizzes.type_of(question)
        try:
            answers = quizzes.AnswerForm(form, question, planned)
            responses[question.id] = kind.validate(question, kind.response_from_form(question, answers))
        except quizzes.InvalidResponse as exc:
            raise AttemptError(f"An answer in the form is not one of the choices offered ({exc}).") from None
    return responses


def saved_responses(attempt: QuizAttempt) -> dict[str, object]:
    return {item.question_id: (item.response or {}).get("value") for item in attempt.items if item.response is not None}


def _claim_open(session: Session, attempt: QuizAttempt, **values: Any) -> bool:
    """Lock the attempt's row if it is still open (a write lock on SQLite, a row lock on PostgreSQL)."""
    statement = (update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
                 .values(**(values or {"open_key": QuizAttempt.open_key}))
                 .execution_options(synchronize_session=False))
    return cast(CursorResult[Any], session.execute(statement)).rowcount == 1


def save(attempt: QuizAttempt, responses: Mapping[str, object], now: datetime) -> None:
    """Store answers on an attempt that is still open, in the caller's transaction.

    Raises AttemptError (409) and writes nothing when the attempt was submitted, even by a request
    that committed a moment ago.
    """
    session = object_session(attempt)
    assert session is not None, "an attempt being saved belongs to a session"
    if not _claim_open(session, attempt):
        raise AttemptError(ALREADY_SUBMITTED, 409)
    planned = {item.question_id for item in attempt.items}
    for question_id, response in responses.items():
        if question_id in planned:  # written by statement: the loaded rows may be older than the lock
            session.execute(update(AttemptItem).where(AttemptItem.attempt_id == attempt.id,
                                                      AttemptItem.question_id == question_id)
                            .values(response={"value": response}, saved_at=now)
                            .execution_options(synchronize_session=False))


def is_overdue(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + GRACE


def submit(session: Session, content: QuizContent, attempt: QuizAttempt, now: datetime) -> bool:
    """Close and grade the attempt exactly once, from the answers stored when it closed; False when already closed."""
    if not _claim_open(session, attempt, submitted_at=now, open_key=None):
        return False
    session.refresh(attempt)
    items = list(session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt.id)
                                 .order_by(AttemptItem.position).execution_options(populate_existing=True)))
    plan = [p for _q, p in planned_questions(content, attempt)]  # questions since deleted from the course drop out
    known = {p.question_id for p in plan}
    stored = {i.question_id: (i.response or {}).get("value") for i in items if i.response is not None and i.question_id in known}
    result = quizzes.grade_attempt(content.quiz, plan, stored)
    by_id = {item.question_id: item for item in items}
    for item_result in result.items:
        if item_result.question_id in by_id:
            by_id[item_result.question_id].score = item_result.score
            by_id[item_result.question_id].points = item_result.points
    attempt.score, attempt.max_score = result.score, result.max_score
    attempt.percent, attempt.passed = result.percent, result.passed
    return True


def passed_ever(session: Session, user_id: int, quiz_id: str) -> bool:
    return bool(session.scalar(select(func.count()).select_from(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id, QuizAttempt.passed.is_(True))))
