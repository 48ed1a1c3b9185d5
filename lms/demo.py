"""`lms seed-demo`: a cohort with realistic activity, for trying the app and for benchmarks."""
from __future__ import annotations

import random
import zlib
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select


from . import attempts, certs, pilot, progress
from .cli import cli
from .clock import now
from .db import get_session
from .models import LessonProgress, PilotLogEntry, User
from .users import get_or_create_cohort, hash_password, random_password

FIRST = ["Rina", "Sokha", "Priya", "Maria", "Nasrin", "Chanthy", "Anjali", "Lourdes", "Farzana", "Srey", "Meena", "Joy"]
LAST = ["Akter", "Chan", "Sharma", "Santos", "Begum", "Sok", "Devi", "Dela Cruz", "Rahman", "Pich", "Singh", "Reyes"]


def _answer(question, rng: random.Random, skill: float):
    """A plausible response: right with probability `skill`, else a wrong pick."""
    right = rng.random() < skill
    if question.type in ("single", "truefalse"):
        pool = [o.id for o in question.options if o.correct == right] or [o.id for o in question.options]
        return rng.choice(pool)
    if question.type == "multiple":
        return [o.id for o in question.options if o.correct == right or (right and not o.correct and rng.random() < 0.1)]
    if question.type == "text":
        return question.accept[0] if right else "not sure"
    if question.type == "matching":
        ids = [p[0] for p in question.pairs]
        return {pid: (pid if right else rng.choice(ids)) for pid in ids}
    if question.type == "ordering":
        ids = [o.id for o in question.options]
        if not right:
            rng.shuffle(ids)
        return ids
    return None


@cli.command("seed-demo")
@click.option("--learners", default=20, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--cohort", "cohort_name", default=None, help="Cohort name (default: Demo cohort N).")
@click.option("--seed", default=1, show_default=True, type=int)
@with_appcontext
def seed_demo(learners: int, cohort_name: str | None, seed: int) -> None:
    """Create a cohort of learners at different points of the course, with quiz attempts and pilot work."""
    name = seed_learners(learners, cohort_name, seed)
    click.echo(f"Added {learners} demo learners to {name}.")


def seed_learners(learners: int, cohort_name: str | None = None, seed: int = 1) -> str:
    """Add demo learners with activity to a cohort; returns the cohort's name."""
    rng = random.Random(seed)
    session = get_session()
    course = current_app.extensions["lms.course"]
    cohort = get_or_create_cohort(session, cohort_name or f"Demo cohort {learners}")
    trainer = session.scalar(select(User).where(User.email == "trainer@example.org"))
    if trainer is not None and cohort not in trainer.trains:
        trainer.trains.append(cohort)
    shared_hash = hash_password(random_password())  # nobody can log in as a demo learner until given a password
    lesson_order = [lid for u in course.units if u.kind == "core" for m in u.module_ids for lid in course.modules[m].lesson_ids]
    current = now()
    base = len(session.scalars(select(User.id).where(User.cohort_id == cohort.id)).all()) if cohort.id else 0
    for index in range(learners):
        n = base + index + 1
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        user = User(email=f"learner{n}.{zlib.crc32(cohort.name.encode()) % 10000}@demo.example.org", name=name, role="tsp",
                    password_hash=shared_hash, cohort=cohort)
        session.add(user)
        session.flush()
        reach = rng.random()
        start = current - timedelta(days=rng.randint(5, 60))
        for i, lesson_id in enumerate(lesson_order[: int(len(lesson_order) * min(1.0, reach * 1.3))]):
            at = start + timedelta(hours=i * 3)
            session.add(LessonProgress(user_id=user.id, lesson_id=lesson_id, first_viewed_at=at, last_viewed_at=at,
                                       completed_at=at + timedelta(minutes=12), seconds_spent=rng.randint(240, 1500),
                                       content_version=course.full_version))
        session.flush()
        skill = 0.45 + 0.5 * rng.random()
        quiz_ids = [q for u in course.units if u.kind == "core" for q in course.all_quizzes_of(u)]
        for quiz_id in quiz_ids[: int(len(quiz_ids) * reach)]:
            content = course.quizzes[quiz_id]
            for _ in range(rng.choice((1, 1, 2))):
                try:
                    attempt = attempts.start(session, course, content, user, start, seed=rng.random())
                except attempts.AttemptError:
                    break
                responses = {q.id: _answer(q, rng, skill) for q, _ in attempts.planned_questions(content, attempt)}
                attempts.save(attempt, responses, start)
                attempts.submit(session, content, attempt, start + timedelta(minutes=rng.randint(8, 30)))
                session.commit()
                if attempt.passed:
                    break
        if reach > 0.8:
            fields = {name: f"Demo {label.lower()}" for name, label, _ in pilot.PLAN_FIELDS}
            pilot.save_plan(session, user, fields, submit=True, now=start + timedelta(days=3))
            for day in range(rng.randint(0, 4)):
                session.add(PilotLogEntry(user_id=user.id, entry_date=(start + timedelta(days=10 + 7 * day)).date(),
                                          did="Met outreach team", happened="Agreed women-only hours", learned="Ask women first"))
        snap = progress.snapshot(session, user)
        progress.record_completions(session, course, snap, start + timedelta(days=4))
        session.commit()
        certs.issue_earned(session, course, snap, current)
    session.commit()
    return cohort.name
