"""Data factories: a learner at a given stage, built directly in the database.

Tests about what happens *after* a stage (a certificate to verify, a report to share, a
cohort to follow) start from here instead of walking the stage through dozens of HTTP
posts; the walk itself is tested once, end to end (tests/lms/test_journey.py). The
factories use the same domain services as the views, so the state they build is state
the app could have built.
"""
from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

import quizzes
from lms.content.model import Course
from lms.db.enums import Role
from lms.db.models import AttemptItem, Certificate, Cohort, LessonProgress, QuizAttempt, User
from lms.db.session import get_session
from lms.learning import certs, pilot, recording
from lms.learning.accounts import create_user, get_or_create_cohort
from lms.learning.demo import seed_learners
from tests.conftest import ACCOUNTS, PASSWORD, START

PLAN = {"organisation": "Drop-in centre, Dhaka", "change": "Women-only afternoons", "serves": "Women who inject drugs",
        "actions": "Agree hours; recruit a female peer", "indicators": "Women reached per month, by age",
        "timeline": "Months 1-6", "support": "Monthly call with trainer",
        "safety": "No lists to police; women-only hours at a site outreach staff already use"}
REPORT = {"progress": "Afternoons running", "results": "Women reached: 5 to 21 a month", "challenges": "Staff turnover",
          "helped": "Female peer worker", "next_steps": "Add childcare corner"}


@contextmanager
def database(app: Flask) -> Iterator[Session]:
    """A session in an app context, committed at the end (as a view would)."""
    with app.app_context():
        session = get_session()
        yield session
        session.commit()


def key(app: Flask) -> bytes:
    return certs.signing_key(app.config["SECRET_KEY"])


def course_of(app: Flask) -> Course:
    return app.extensions["lms.course"]


def user(session: Session, who: str) -> User:
    """One of the accounts conftest creates (tsp, tsp2, peer, trainer, admin)."""
    return session.scalars(select(User).where(User.email == ACCOUNTS[who][0])).one()


def make_user(session: Session, email: str, name: str = "Nasrin Begum", role: Role = Role.TSP, cohort: str | None = None) -> User:
    made = create_user(session, email, name, role, PASSWORD, cohort)
    session.flush()
    return made


def make_cohort(session: Session, name: str, trainers: tuple[User, ...] = ()) -> Cohort:
    cohort = get_or_create_cohort(session, name)
    for trainer in trainers:
        trainer.trains.append(cohort)
    session.flush()
    return cohort


def read_lessons(session: Session, course: Course, learner: User, lesson_ids: list[str], at: datetime) -> None:
    """Lessons viewed and marked done at `at`, ten minutes each."""
    for lesson_id in lesson_ids:
        session.add(LessonProgress(user_id=learner.id, lesson_id=lesson_id, first_viewed_at=at, last_viewed_at=at,
                                   completed_at=at + timedelta(minutes=10), seconds_spent=600, content_version=course.full_version))
    session.flush()


def submitted_attempt(session: Session, course: Course, learner: User, quiz_id: str, at: datetime, percent: float = 100.0) -> QuizAttempt:
    """A submitted, graded attempt scoring `percent` on every item (no responses kept)."""
    content = course.quizzes[quiz_id]
    plan = [dataclasses.asdict(p) for p in quizzes.build_attempt(content.quiz, random.Random(0))]
    number = len(session.scalars(select(QuizAttempt.id).where(QuizAttempt.user_id == learner.id, QuizAttempt.quiz_id == quiz_id)).all())
    attempt = QuizAttempt(user_id=learner.id, quiz_id=quiz_id, number=number + 1, open_key=None, plan=plan, started_at=at,
                          submitted_at=at + timedelta(minutes=15), score=percent / 100 * len(plan), max_score=float(len(plan)),
                          percent=percent, passed=percent >= content.quiz.settings.pass_mark, content_version=course.full_version)
    attempt.items = [AttemptItem(question_id=p["question_id"], position=i, score=percent / 100, points=percent / 100)
                     for i, p in enumerate(plan)]
    session.add(attempt)
    session.flush()
    return attempt


def finish_core(session: Session, course: Course, learner: User, signing_key: bytes, at: datetime = START) -> Certificate | None:
    """Every core lesson read, every core quiz passed, the pilot plan submitted: the core completed and its certificate issued."""
    core = course.unit("core")
    assert core is not None
    read_lessons(session, course, learner, [lid for m in course.unit_modules(core) for lid in m.lesson_ids], at)
    for quiz_id in course.all_quizzes_of(core):
        submitted_attempt(session, course, learner, quiz_id, at)
    pilot.save_plan(session, learner, dict(PLAN), submit=True, now=at)
    # as the views record it: the learner is told of the certificate (a note, and an email when mail is set up)
    recording.record_progress(session, course, learner, at + timedelta(hours=1), signing_key, notify_base="http://localhost")
    return session.scalar(select(Certificate).where(Certificate.user_id == learner.id, Certificate.kind == "core"))


def seed_demo(app: Flask, learners: int, cohort: str, seed: int = 1) -> None:
    """Demo learners, as `lms seed-demo` adds them."""
    with database(app) as session:
        seed_learners(session, course_of(app), app.extensions["lms.clock"](), key(app), learners, cohort, seed)


def submitted_plan(session: Session, learner: User, at: datetime = START) -> None:
    """A submitted pilot plan, so a trainer has something to comment on."""
    pilot.save_plan(session, learner, dict(PLAN), submit=True, now=at)
