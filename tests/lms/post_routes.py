"""Every POST route of the app with a valid form for it, and what must not be duplicated when it is sent again.

Used by the concurrency and fuzz tests. `test_every_post_route_is_in_the_table` (in test_concurrency.py)
walks app.url_map, so a new POST route cannot be left out of them.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.orm import Session

from lms import create_app
from lms.db.models import (
    Certificate,
    Cohort,
    Comment,
    Completion,
    LessonProgress,
    PilotLogEntry,
    PilotPlan,
    PilotPlanVersion,
    PilotReport,
    QuizAttempt,
    User,
)
from lms.db.session import get_session, upgrade
from lms.learning import attempts, certs
from lms.learning.accounts import create_user
from lms.web.clock import FrozenClock
from tests.conftest import ACCOUNTS, PASSWORD, START
from tests.lms.quiz_helpers import correct_form

HOME = {"tsp": "/learn/", "trainer": "/trainer/", "admin": "/admin/"}
PLAN = {"organisation": "Drop-in centre, Dhaka", "change": "Women-only afternoons", "serves": "Women who inject drugs",
        "actions": "Agree hours", "indicators": "Women reached", "timeline": "Months 1-6", "support": "Monthly call"}
REPORT = {"progress": "Afternoons running", "results": "5 to 21 a month", "challenges": "Staff turnover",
          "helped": "A female peer worker", "next_steps": "A childcare corner"}
CSV = b"email,name,role,cohort\nnew1@example.org,New One,tsp,Cohort C\nnew2@example.org,New Two,tsp,Cohort C\n"


@dataclass
class World:
    """Ids the routes need: learners, a cohort, an open attempt, a certificate."""

    tsp: int
    tsp2: int
    peer: int
    cohort_a: int
    attempt: int
    attempt_answers: dict[str, Any]
    certificate: int


def prepare(app: Flask) -> World:
    """Open the refresher for Cohort A, start a quiz attempt and issue a certificate for the learner."""
    with app.app_context():
        session = get_session()
        ids = {who: session.scalar(select(User.id).where(User.email == ACCOUNTS[who][0])) for who in ACCOUNTS}
        cohort = session.scalar(select(Cohort).where(Cohort.name == "Cohort A"))
        cohort.refresher_opens_on = START.date()
        learner = session.get(User, ids["tsp"])
        crs = app.extensions["lms.course"]
        content = crs.quizzes["quiz-basics"]
        attempt = attempts.start(session, crs, content, learner, START)
        for lesson in ("basics-one", "basics-two"):  # so passing the quiz completes the module
            session.add(LessonProgress(user_id=learner.id, lesson_id=lesson, first_viewed_at=START, last_viewed_at=START,
                                       completed_at=START, seconds_spent=60, content_version=crs.full_version))
        session.commit()
        answers: dict[str, Any] = {"action": "submit"}
        for question, planned in attempts.planned_questions(content, attempt):
            answers.update(correct_form(question, planned))
        cert = Certificate(code=__import__("certificates").new_code(certs.signing_key(app.config["SECRET_KEY"])), user_id=learner.id,
                           kind="core", learner_name=learner.name, course_title=crs.title, organisation="Org",
                           study_hours=2.0, issued_at=START, completed_at=START, content_version=crs.full_version,
                           current_key=certs.current_key(learner.id, "core"))
        session.add(cert)
        session.commit()
        return World(ids["tsp"], ids["tsp2"], ids["peer"], cohort.id, attempt.id, answers, cert.id)


def _count(session: Session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


@dataclass
class Route:
    endpoint: str
    who: str
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]]  # a (bytes, filename) value is a file upload
    once: Callable[[Session, World], dict[str, int]]  # counts that must be exactly one after any repetition


ROUTES = [
    Route("auth.login", "tsp", lambda w: "/login", lambda w: {"email": ACCOUNTS["tsp"][0], "password": "correct horse battery"},
          lambda s, w: {"users": _count(s, User, User.email == ACCOUNTS["tsp"][0])}),
    Route("auth.logout", "peer", lambda w: "/logout", lambda w: {},
          lambda s, w: {"users": _count(s, User, User.id == w.peer)}),
    # The last lesson of a module, never opened: marking it done completes the module.
    Route("learn.mark_done", "tsp", lambda w: "/learn/lessons/practice-only/done", lambda w: {},
          lambda s, w: {"progress": _count(s, LessonProgress, LessonProgress.user_id == w.tsp,
                                           LessonProgress.lesson_id == "practice-only"),
                        "completion": _count(s, Completion, Completion.user_id == w.tsp, Completion.ref_id == "practice")}),
    Route("quiz.start", "tsp", lambda w: "/learn/quizzes/quiz-final/start", lambda w: {},
          lambda s, w: {"open attempt": _count(s, QuizAttempt, QuizAttempt.user_id == w.tsp,
                                               QuizAttempt.quiz_id == "quiz-final")}),
    Route("quiz.attempt", "tsp", lambda w: f"/learn/attempts/{w.attempt}", lambda w: dict(w.attempt_answers),
          lambda s, w: {"attempt": _count(s, QuizAttempt, QuizAttempt.user_id == w.tsp, QuizAttempt.quiz_id == "quiz-basics",
                                          QuizAttempt.submitted_at.is_not(None)),
                        "completion": _count(s, Completion, Completion.user_id == w.tsp, Completion.ref_id == "basics")}),
    # A learner whose refresher has not opened, so the plan can still change: the first save, repeated.
    Route("pilot.plan", "tsp2", lambda w: "/learn/pilot/plan", lambda w: dict(PLAN),
          lambda s, w: {"plan": _count(s, PilotPlan, PilotPlan.user_id == w.tsp2), "version": _count(s, PilotPlanVersion)}),
    Route("pilot.log", "tsp", lambda w: "/learn/pilot/log",
          lambda w: {"entry_date": (START.date() - timedelta(days=1)).isoformat(), "did": "Met the outreach team",
                     "happened": "Agreed women-only hours", "learned": "Ask women first"},
          lambda s, w: {"entry": _count(s, PilotLogEntry, PilotLogEntry.user_id == w.tsp)}),
    Route("pilot.report", "tsp", lambda w: "/learn/pilot/report", lambda w: {**REPORT, "shared": "yes"},
          lambda s, w: {"report": _count(s, PilotReport, PilotReport.user_id == w.tsp)}),
    Route("trainer.set_refresher", "trainer", lambda w: f"/trainer/cohorts/{w.cohort_a}/refresher",
          lambda w: {"opens_on": date(2026, 1, 5).isoformat()},
          lambda s, w: {"cohort": _count(s, Cohort, Cohort.id == w.cohort_a, Cohort.refresher_opens_on == date(2026, 1, 5))}),
    Route("trainer.comment", "trainer", lambda w: f"/trainer/learners/{w.tsp}/comments",
          lambda w: {"target": "plan", "body": "Good start: add an indicator by age."},
          lambda s, w: {"comment": _count(s, Comment, Comment.learner_id == w.tsp)}),
    Route("admin.create", "admin", lambda w: "/admin/users",
          lambda w: {"email": "new@example.org", "name": "New Person", "role": "tsp", "password": "a long password",
                     "cohort": "Cohort New"},
          lambda s, w: {"user": _count(s, User, User.email == "new@example.org"),
                        "cohort": _count(s, Cohort, Cohort.name == "Cohort New")}),
    Route("admin.set_active", "admin", lambda w: f"/admin/users/{w.peer}/active", lambda w: {"active": "no"},
          lambda s, w: {"inactive": _count(s, User, User.id == w.peer, User.active.is_(False))}),
    Route("admin.import_users", "admin", lambda w: "/admin/users/import", lambda w: {"file": (CSV, "people.csv")},
          lambda s, w: {"user 1": _count(s, User, User.email == "new1@example.org"),
                        "user 2": _count(s, User, User.email == "new2@example.org"),
                        "cohort": _count(s, Cohort, Cohort.name == "Cohort C")}),
    Route("admin.cohort_trainer", "admin", lambda w: "/admin/cohorts",
          lambda w: {"cohort": "Cohort Z", "trainer_email": ACCOUNTS["trainer"][0]},
          lambda s, w: {"cohort": _count(s, Cohort, Cohort.name == "Cohort Z")}),
    Route("admin.revoke", "admin", lambda w: f"/admin/certificates/{w.certificate}/revoke",
          lambda w: {"reason": "Issued by mistake"},
          lambda s, w: {"revoked": _count(s, Certificate, Certificate.id == w.certificate, Certificate.revoked_at.is_not(None))}),
    Route("admin.reissue", "admin", lambda w: f"/admin/certificates/{w.certificate}/reissue", lambda w: {"name": "Rina Akter Khan"},
          lambda s, w: {"current": _count(s, Certificate, Certificate.user_id == w.tsp, Certificate.current_key.is_not(None)),
                        "replacement": _count(s, Certificate, Certificate.learner_name == "Rina Akter Khan")}),
]
BY_ENDPOINT = {route.endpoint: route for route in ROUTES}


def fresh_database(request, tmp_path) -> str:
    """A SQLite file, or an emptied PostgreSQL schema (skipped when no server, failed in CI)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    url = request.getfixturevalue("pg_url")
    if url is None:
        if os.environ.get("CI"):
            pytest.fail("CI must test PostgreSQL: install the postgresql package (.ci/run does)")
        pytest.skip("no PostgreSQL server here")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def build_app(database_url: str, course: Path):
    """The app with migrations applied and the test accounts (as tests/conftest.py's make_app)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key", "DATABASE_URL": database_url,
                      "COURSE_DIR": str(course), "CLOCK": FrozenClock(START), "SESSION_COOKIE_SECURE": False,
                      "LOGIN_RATE_LIMIT": (1000, 60)})
    with app.app_context():
        upgrade(app)
        session = get_session()
        for email, name, role, cohort in ACCOUNTS.values():
            create_user(session, email, name, role, PASSWORD, cohort)
        session.commit()
    return app


def database_state(app: Flask) -> dict[str, tuple[int, int]]:
    """Every table's row count and a hash of its rows, but the rate limiter's bookkeeping (a refused
    login is still a counted try)."""
    with app.app_context():
        conn = get_session().connection()
        state = {}
        for name in inspect(conn).get_table_names():
            if name in ("rate_events", "alembic_version"):
                continue
            rows = sorted(repr(tuple(row)) for row in conn.execute(select(text("*")).select_from(table(name))))
            state[name] = (len(rows), hash(tuple(rows)))
        return state
