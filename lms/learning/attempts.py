"""Quiz attempts: start once, save as the learner goes, submit exactly once, grade on the server."""
from __future__ import annotations

import dataclasses
import random
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import quizzes
from lms.content.model import Course, QuizContent
from lms.db.models import AttemptItem, QuizAttempt, User

GRACE = timedelta(seconds=90)  # a slow connection should not cost the last answer


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
    return None if allowed is None else max(0, allowed - len(attempts))


def start(session: Session, course: Course, content: QuizContent, user: User, now: datetime, seed: int | None = None,
          language: str | None = None) -> QuizAttempt:
    """The open attempt if there is one, else a new one with its questions and option order fixed (and its language)."""
    key = open_key(user.id, content.quiz.id)
    existing = session.scalar(select(QuizAttempt).where(QuizAttempt.open_key == key))
    if existing is not None:
        return existing
    attempts = attempts_of(session, user.id, content.quiz.id)
    if attempts_left(content, attempts) == 0:
        raise AttemptError(f"You have used all {content.quiz.settings.attempts} attempts at this quiz.", 403)
    rng = random.Random(seed)
    plan = [dataclasses.asdict(p) for p in quizzes.build_attempt(content.quiz, rng)]
    limit = content.quiz.settings.time_limit_minutes
    attempt = QuizAttempt(
        user_id=user.id, quiz_id=content.quiz.id, number=len(attempts) + 1, open_key=key, plan=plan,
        started_at=now, deadline=now + timedelta(minutes=limit) if limit else None, content_version=course.full_version,
        language=language,
    )
    attempt.items = [AttemptItem(question_id=p["question_id"], position=i) for i, p in enumerate(plan)]
    session.add(attempt)
    try:
        session.commit()
    except IntegrityError:  # a double click raced us: use the attempt the other request made
        session.rollback()
        existing = session.scalar(select(QuizAttempt).where(QuizAttempt.open_key == key))
        if existing is None:
            raise
        return existing
    return attempt


def planned_questions(content: QuizContent, attempt: QuizAttempt) -> list[tuple[quizzes.Question, list[str]]]:
    """The attempt's questions in its order, each with its option order; questions since deleted are skipped."""
    result = []
    for planned in attempt.plan:
        try:
            question = content.quiz.question(planned["question_id"])
        except (KeyError, LookupError):
            continue
        if question is not None:
            result.append((question, list(planned.get("option_order") or ())))
    return result


def _plan_objects(attempt: QuizAttempt, content: QuizContent):
    known = {q.id for q in content.quiz.questions}
    return [quizzes.PlannedQuestion(**p) if not isinstance(p, quizzes.PlannedQuestion) else p
            for p in _as_planned(attempt.plan) if p["question_id"] in known]


def _as_planned(plan: list) -> list[dict]:
    return [{"question_id": p["question_id"], "option_order": tuple(p.get("option_order") or ())} for p in plan]


def responses_from_form(content: QuizContent, attempt: QuizAttempt, form) -> dict[str, object]:
    """Read and validate every answer in a submitted form; refuses fields for questions not in the attempt."""
    questions = planned_questions(content, attempt)
    ids = {q.id for q, _ in questions}
    for name in form:
        if name.startswith("q-") and not any(name == f"q-{qid}" or name.startswith(f"q-{qid}-") for qid in ids):
            raise AttemptError("The form has an answer to a question that is not in this attempt.")
    responses: dict[str, object] = {}
    for question, _order in questions:
        kind = quizzes.QUESTION_TYPES[question.type]()
        try:
            responses[question.id] = kind.validate(question, kind.response_from_form(question, form))
        except quizzes.InvalidResponse as exc:
            raise AttemptError(f"An answer in the form is not one of the choices offered ({exc}).") from None
    return responses


def saved_responses(attempt: QuizAttempt) -> dict[str, object]:
    return {item.question_id: (item.response or {}).get("value") for item in attempt.items if item.response is not None}


def save(attempt: QuizAttempt, responses: dict[str, object], now: datetime) -> None:
    """Store answers on an open attempt (the caller commits)."""
    if attempt.submitted_at is not None:
        raise AttemptError("This attempt was already submitted; its answers can no longer change.", 409)
    items = {item.question_id: item for item in attempt.items}
    for question_id, response in responses.items():
        item = items.get(question_id)
        if item is not None:
            item.response = {"value": response}
            item.saved_at = now


def is_overdue(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + GRACE


def submit(session: Session, content: QuizContent, attempt: QuizAttempt, now: datetime) -> bool:
    """Grade and close the attempt exactly once; False when another request already did."""
    claimed = session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(submitted_at=now, open_key=None)
    ).rowcount
    if not claimed:
        session.rollback()
        return False
    session.refresh(attempt)
    result = quizzes.grade_attempt(content.quiz, _plan_objects(attempt, content), saved_responses(attempt))
    items = {item.question_id: item for item in attempt.items}
    for item_result in result.items:
        item = items.get(item_result.question_id)
        if item is not None:
            item.score = item_result.score
            item.points = item_result.points
    attempt.score, attempt.max_score = result.score, result.max_score
    attempt.percent, attempt.passed = result.percent, result.passed
    return True


def passed_ever(session: Session, user_id: int, quiz_id: str) -> bool:
    return bool(session.scalar(select(func.count()).select_from(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id, QuizAttempt.passed.is_(True))))
