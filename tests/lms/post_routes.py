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
from werkzeug.security import check_password_hash

from lms import create_app
from lms.db.models import (
    AccountToken,
    Certificate,
    CertificateEvent,
    Cohort,
    Comment,
    Completion,
    ExtraAttempt,
    LessonProgress,
    Notification,
    Organisation,
    PilotLogEntry,
    PilotPlan,
    PilotPlanVersion,
    PilotReport,
    QuizAttempt,
    User,
)
from lms.db.session import get_session, upgrade
from lms.learning import attempts, certs, credentials, pilot
from lms.learning.accounts import create_user
from lms.web.clock import FrozenClock
from tests.conftest import ACCOUNTS, PASSWORD, START
from tests.lms.quiz_helpers import correct_form

HOME = {"tsp": "/learn/", "trainer": "/trainer/", "admin": "/admin/"}
PLAN = {"organisation": "Drop-in centre, Dhaka", "change": "Women-only afternoons", "serves": "Women who inject drugs",
        "actions": "Agree hours", "indicators": "Women reached", "timeline": "Months 1-6", "support": "Monthly call",
        "safety": "No client lists leave the centre"}
REPORT = {"progress": "Afternoons running", "results": "5 to 21 a month", "challenges": "Staff turnover",
          "helped": "A female peer worker", "next_steps": "A childcare corner"}
CSV = b"email,name,role,cohort\nnew1@example.org,New One,tsp,Cohort C\nnew2@example.org,New Two,tsp,Cohort C\n"
NEW_PASSWORD = "a brand new passphrase"
# Accounts of their own for the routes that change a password, an email or a language (so no other
# route's session or data depends on them); "visitor" is a browser that is not signed in.
EXTRA = {
    "mover": ("mover@example.org", "Mo Mover", "tsp", "Cohort A"),  # changes their password
    "profile": ("profile@example.org", "Pat Profile", "tsp", "Cohort A"),  # edits their account
    "polyglot": ("polyglot@example.org", "Lan Polyglot", "tsp", "Cohort B"),  # chooses a language
    "forgetful": ("forgetful@example.org", "Fay Forgetful", "tsp", "Cohort B"),  # asks for a reset link
    "resetter": ("resetter@example.org", "Ray Resetter", "tsp", "Cohort B"),  # follows a reset link
}
INVITED = ("invited@example.org", "Ivy Invited", "tsp", "Cohort B")  # no password yet: follows an invitation
PEOPLE = {**ACCOUNTS, **EXTRA}


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
    revoked: int  # a revoked certificate (the peer's), to restore
    ids: dict[str, int]  # every account in PEOPLE, and "invited"
    reset_token: str
    invite_token: str
    notification: int  # an unread notification of the learner
    org_update: int
    org_delete: int  # nobody belongs to it
    org_member: int
    links_file: str  # invitation links kept for a one-time download


def prepare(app: Flask) -> World:
    """Open the refresher for Cohort A (the learner finished the core training and wrote a pilot plan, which her
    trainer commented on), start a quiz attempt and issue a certificate for the learner; the extra accounts,
    reset and invitation links, organisations, a revoked certificate and a file of invitation links."""
    with app.app_context():
        session = get_session()
        for email, name, role, cohort in EXTRA.values():
            create_user(session, email, name, role, PASSWORD, cohort)
        invited = create_user(session, *INVITED[:3], None, INVITED[3])
        session.commit()
        ids = {who: session.scalar(select(User.id).where(User.email == PEOPLE[who][0])) for who in PEOPLE}
        ids["invited"] = invited.id
        cohort = session.scalar(select(Cohort).where(Cohort.name == "Cohort A"))
        cohort.refresher_opens_on = START.date()
        learner = session.get(User, ids["tsp"])
        crs = app.extensions["lms.course"]
        content = crs.quizzes["quiz-basics"]
        attempt = attempts.start(session, crs, content, learner, START)
        for lesson in ("basics-one", "basics-two"):  # so passing the quiz completes the module
            session.add(LessonProgress(user_id=learner.id, lesson_id=lesson, first_viewed_at=START, last_viewed_at=START,
                                       completed_at=START, seconds_spent=60, content_version=crs.full_version))
        # The refresher follows the core training: the learner completed it, with a plan her trainer commented on.
        session.add(Completion(user_id=learner.id, scope="unit", ref_id="core", completed_at=START,
                               content_version=crs.full_version))
        pilot.save_plan(session, learner, dict(PLAN), submit=True, now=START)
        pilot.add_comment(session, session.get_one(User, ids["trainer"]), learner, "plan", "Which women will you ask?", START)
        note = Notification(user_id=learner.id, kind="refresher", text="Your refresher training is open", url="/learn/",
                            created_at=START)
        session.add(note)
        session.commit()
        answers: dict[str, Any] = {"action": "submit"}
        for question, planned in attempts.planned_questions(content, attempt):
            answers.update(correct_form(question, planned))
        cert = Certificate(code=__import__("certificates").new_code(certs.signing_key(app.config["SECRET_KEY"])), user_id=learner.id,
                           kind="core", learner_name=learner.name, course_title=crs.title, organisation="Org",
                           study_hours=2.0, issued_at=START, completed_at=START, content_version=crs.full_version,
                           current_key=certs.current_key(learner.id, "core"))
        peer = session.get_one(User, ids["peer"])
        revoked = Certificate(code=__import__("certificates").new_code(certs.signing_key(app.config["SECRET_KEY"])),
                              user_id=peer.id, kind="core", learner_name=peer.name, course_title=crs.title,
                              organisation="Org", study_hours=2.0, issued_at=START, completed_at=START,
                              content_version=crs.full_version, current_key=certs.current_key(peer.id, "core"),
                              revoked_at=START, revoke_reason="Issued to the wrong person")
        session.add_all([cert, revoked])
        reset_token = credentials.issue(session, session.get_one(User, ids["resetter"]), "reset", START)
        invite_token = credentials.issue(session, invited, "invite", START)
        orgs = [Organisation(name=name, country=country) for name, country in
                (("Org To Rename", "BD"), ("Org To Remove", "KH"), ("Org With Members", "IN"))]
        session.add_all(orgs)
        session.commit()
        folder = Path(app.instance_path) / "invitations"
        folder.mkdir(parents=True, exist_ok=True)
        links = folder / f"test-{os.urandom(8).hex()}.csv"
        links.write_text("email,name,link\nnew1@example.org,New One,http://localhost/invite/x\n", encoding="utf-8")
        return World(ids["tsp"], ids["tsp2"], ids["peer"], cohort.id, attempt.id, answers, cert.id, revoked.id, ids,
                     reset_token, invite_token, note.id, orgs[0].id, orgs[1].id, orgs[2].id, str(links))


def _count(session: Session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


@dataclass
class Route:
    endpoint: str
    who: str
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]]  # a (bytes, filename) value is a file upload
    once: Callable[[Session, World], dict[str, int]]  # counts that must be exactly one after any repetition
    # The status of the one request, of all the copies ever sent, that may succeed (a link works once).
    succeeds_once: int | None = None


def _tokens(session: Session, user_id: int, purpose: str, used: bool) -> int:
    return _count(session, AccountToken, AccountToken.user_id == user_id, AccountToken.purpose == purpose,
                  AccountToken.used_at.is_not(None) if used else AccountToken.used_at.is_(None))


def _password_is(session: Session, user_id: int, password: str) -> int:
    return int(check_password_hash(session.get_one(User, user_id, populate_existing=True).password_hash, password))


def _events(session: Session, cert_id: int, action: str) -> int:
    return _count(session, CertificateEvent, CertificateEvent.certificate_id == cert_id, CertificateEvent.action == action)


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
          lambda s, w: {"plan": _count(s, PilotPlan, PilotPlan.user_id == w.tsp2),
                        "version": _count(s, PilotPlanVersion, PilotPlanVersion.plan_id == select(PilotPlan.id).where(
                            PilotPlan.user_id == w.tsp2).scalar_subquery())}),
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
          lambda s, w: {"comment": _count(s, Comment, Comment.learner_id == w.tsp,
                                          Comment.body == "Good start: add an indicator by age."),
                        "learner told": _count(s, Notification, Notification.user_id == w.tsp, Notification.kind == "comment")}),
    Route("trainer.extra_attempt", "trainer", lambda w: f"/trainer/learners/{w.tsp}/extra-attempts",
          lambda w: {"quiz_id": "quiz-basics", "reason": "A power cut ended her last attempt"},
          lambda s, w: {"grant": _count(s, ExtraAttempt, ExtraAttempt.user_id == w.tsp, ExtraAttempt.quiz_id == "quiz-basics")}),
    # The learner answers the trainer's comment on her plan; the trainer is told once.
    Route("account.reply", "tsp", lambda w: "/learn/pilot/plan/reply", lambda w: {"body": "Thank you: I will ask at the drop-in."},
          lambda s, w: {"reply": _count(s, Comment, Comment.learner_id == w.tsp, Comment.author_id == w.tsp),
                        "trainer told": _count(s, Notification, Notification.user_id == w.ids["trainer"],
                                               Notification.kind == "reply")}),
    Route("account.read", "tsp", lambda w: "/notifications/read", lambda w: {"id": str(w.notification)},
          lambda s, w: {"read": _count(s, Notification, Notification.id == w.notification, Notification.read_at.is_not(None))}),
    Route("account.index", "profile", lambda w: "/account",
          lambda w: {"name": "Pat Profile-Jones", "email": "pat@example.org", "current_password": PASSWORD,
                     "email_kinds": "comment"},
          lambda s, w: {"account": _count(s, User, User.id == w.ids["profile"], User.email == "pat@example.org",
                                          User.name == "Pat Profile-Jones")}),
    Route("account.password", "mover", lambda w: "/account/password",
          lambda w: {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
          lambda s, w: {"new password": _password_is(s, w.ids["mover"], NEW_PASSWORD)}),
    Route("i18n.choose_for_account", "polyglot", lambda w: "/language", lambda w: {"language": "bn", "next": "/learn/"},
          lambda s, w: {"language": _count(s, User, User.id == w.ids["polyglot"], User.language == "bn")}),
    # However often the link is asked for, one link works (asking again retires the older one).
    Route("auth.forgot", "visitor", lambda w: "/password/forgot", lambda w: {"email": EXTRA["forgetful"][0]},
          lambda s, w: {"usable link": _tokens(s, w.ids["forgetful"], "reset", used=False)}),
    Route("auth.reset", "visitor", lambda w: f"/password/reset/{w.reset_token}",
          lambda w: {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
          lambda s, w: {"link used": _tokens(s, w.ids["resetter"], "reset", used=True),
                        "new password": _password_is(s, w.ids["resetter"], NEW_PASSWORD)}, succeeds_once=302),
    Route("auth.invite", "visitor", lambda w: f"/invite/{w.invite_token}",
          lambda w: {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
          lambda s, w: {"link used": _tokens(s, w.ids["invited"], "invite", used=True),
                        "password": _password_is(s, w.ids["invited"], NEW_PASSWORD)}, succeeds_once=302),
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
          lambda s, w: {"revoked": _count(s, Certificate, Certificate.id == w.certificate, Certificate.revoked_at.is_not(None)),
                        "recorded": _events(s, w.certificate, "revoked")}),
    Route("admin.restore", "admin", lambda w: f"/admin/certificates/{w.revoked}/restore",
          lambda w: {"reason": "Revoked by mistake"},
          lambda s, w: {"valid": _count(s, Certificate, Certificate.id == w.revoked, Certificate.revoked_at.is_(None)),
                        "recorded": _events(s, w.revoked, "restored")}),
    Route("admin.reissue", "admin", lambda w: f"/admin/certificates/{w.certificate}/reissue", lambda w: {"name": "Rina Akter Khan"},
          lambda s, w: {"current": _count(s, Certificate, Certificate.user_id == w.tsp, Certificate.current_key.is_not(None)),
                        "replacement": _count(s, Certificate, Certificate.learner_name == "Rina Akter Khan")}),
    Route("organisations.create", "admin", lambda w: "/admin/organisations/", lambda w: {"name": "Hope Clinic", "country": "BD"},
          lambda s, w: {"organisation": _count(s, Organisation, Organisation.name == "Hope Clinic")}),
    Route("organisations.update", "admin", lambda w: f"/admin/organisations/{w.org_update}",
          lambda w: {"name": "Renamed Org", "country": "PH"},
          lambda s, w: {"organisation": _count(s, Organisation, Organisation.id == w.org_update,
                                               Organisation.name == "Renamed Org", Organisation.country == "PH")}),
    Route("organisations.delete", "admin", lambda w: f"/admin/organisations/{w.org_delete}/delete", lambda w: {},
          lambda s, w: {"gone": 1 - _count(s, Organisation, Organisation.id == w.org_delete),
                        "others kept": _count(s, Organisation, Organisation.id == w.org_member)}),
    Route("organisations.member", "admin", lambda w: "/admin/organisations/members",
          lambda w: {"email": ACCOUNTS["peer"][0], "organisation": str(w.org_member)},
          lambda s, w: {"member": _count(s, User, User.id == w.peer, User.organisation_id == w.org_member)}),
    Route("people.edit", "admin", lambda w: f"/admin/people/{w.peer}",
          lambda w: {"name": "Maria Santos Cruz", "email": ACCOUNTS["peer"][0], "role": "tsp", "cohort": "Cohort E"},
          lambda s, w: {"person": _count(s, User, User.id == w.peer, User.name == "Maria Santos Cruz"),
                        "cohort": _count(s, Cohort, Cohort.name == "Cohort E")}),
    Route("people.send_link", "admin", lambda w: f"/admin/people/{w.tsp2}/link", lambda w: {"purpose": "reset"},
          lambda s, w: {"usable link": _tokens(s, w.tsp2, "reset", used=False)}),
    Route("people.download_links", "admin", lambda w: f"/admin/people/links/{Path(w.links_file).stem}.csv", lambda w: {},
          lambda s, w: {"file gone": int(not Path(w.links_file).exists())}, succeeds_once=200),
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
