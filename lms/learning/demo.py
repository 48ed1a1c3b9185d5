"""`lms seed-demo`: a cohort with realistic activity, for trying the app and for benchmarks."""
from __future__ import annotations

import random
import zlib
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

import quizzes
from lms.content.model import Course, Unit
from lms.db.enums import Role, Scope
from lms.db.models import LessonProgress, Organisation, PilotLogEntry, User
from lms.learning import attempts, organisations, pilot, progress
from lms.learning.accounts import get_or_create_cohort, hash_password, random_password
from lms.learning.recording import record_progress

# Made-up organisations in the programme's four countries, and names common in each.
ORGANISATIONS = {
    "BD": ["Padma Women's Health Outreach", "Sabuj Alo Harm Reduction Society", "Nari Sangjog Network"],
    "KH": ["Mekong Women's Health Action", "Chantrea Outreach Cambodia", "Sokhapheap Harm Reduction"],
    "IN": ["Sahyog Women's Health Trust", "Loktak Harm Reduction Collective", "Nayi Disha Foundation"],
    "PH": ["Bayanihan Harm Reduction Network", "Kalinga Women's Health Center", "Lingap Outreach Cebu"],
}
NAMES = {
    "BD": (["Nasrin", "Farzana", "Rina", "Shirin", "Taslima", "Rokeya", "Sharmin", "Mousumi"],
           ["Akter", "Begum", "Rahman", "Hossain", "Khatun", "Islam", "Chowdhury"]),
    "KH": (["Sokha", "Chanthy", "Bopha", "Sophea", "Kunthea", "Vanna", "Sreymom", "Dara"],
           ["Chan", "Sok", "Pich", "Keo", "Heng", "Chea", "Meas"]),
    "IN": (["Priya", "Anjali", "Meena", "Sunita", "Thoibi", "Bembem", "Kavita", "Lalremsiami"],
           ["Sharma", "Devi", "Singh", "Chanu", "Das", "Thapa", "Nongmaithem"]),
    "PH": (["Maria", "Lourdes", "Joy", "Ana", "Grace", "Rosalie", "Marites", "Jennifer"],
           ["Santos", "Reyes", "Dela Cruz", "Bautista", "Garcia", "Villanueva", "Mendoza"]),
}


def demo_organisations(session) -> list[Organisation]:
    """The demo organisations, created on first use."""
    found = []
    for country, names in ORGANISATIONS.items():
        for name in names:
            org = organisations.by_name(session, name)
            if org is None:
                org = Organisation(name=name, country=country)
                session.add(org)
            found.append(org)
    session.flush()
    return found


def _answer(question: quizzes.Question, rng: random.Random, skill: float) -> object:
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


def seed_learners(session: Session, course: Course, now: datetime, signing_key: bytes, learners: int,
                  cohort_name: str, seed: int = 1) -> None:
    """Add demo learners with activity to a cohort (created if new); the caller commits, in batches if it likes.

    Learners stand at every point of the journey: some have just started, some are
    part-way through the core modules, some have finished the core training and are
    piloting, and a few came back for the refresher and submitted a pilot report.
    """
    rng = random.Random(seed)
    cohort = get_or_create_cohort(session, cohort_name)
    trainer = session.scalar(select(User).where(User.email == "trainer@example.org"))
    if trainer is not None and cohort not in trainer.trains:
        trainer.trains.append(cohort)
    shared_hash = hash_password(random_password())  # nobody can log in as a demo learner until given a password
    core, pilot_unit, refresher = course.unit("core"), course.unit("pilot"), course.unit("refresher")
    session.flush()
    base = len(session.scalars(select(User.id).where(User.cohort_id == cohort.id)).all()) if cohort.id else 0
    orgs = demo_organisations(session)
    for index in range(learners):
        n = base + index + 1
        org = orgs[rng.randrange(len(orgs))]
        first, last = NAMES[org.country]
        name = f"{rng.choice(first)} {rng.choice(last)}"
        user = User(email=f"learner{n}.{zlib.crc32(cohort.name.encode()) % 10000}@demo.example.org", name=name, role=Role.TSP,
                    password_hash=shared_hash, cohort=cohort, organisation=org)
        session.add(user)
        session.flush()
        reach = rng.random()  # how far along the journey: past 0.77 the core training is finished
        skill = 0.5 + 0.45 * rng.random()
        start = now - timedelta(days=rng.randint(200, 240) if reach > 0.9 else rng.randint(5, 60))
        share = min(1.0, reach * 1.3)
        if core is not None:
            _study_unit(session, course, user, core, share, start, rng, skill)
            if share >= 1.0:
                pilot.save_plan(session, user, _demo_fields(pilot.PLAN_FIELDS), submit=True, now=start + timedelta(days=3))
        snap = record_progress(session, course, user, start + timedelta(days=4), signing_key)
        core_done = progress.completed_on(snap, Scope.UNIT, core.id) if core is not None else None
        if core_done is not None:
            for week in range(rng.randint(0, 6)):
                day = core_done + timedelta(days=10 + 14 * week)
                if day < now:
                    session.add(PilotLogEntry(user_id=user.id, entry_date=day.date(), created_at=day, did="Met the outreach team",
                                              happened="Agreed women-only hours", learned="Ask women first"))
            if pilot_unit is not None:
                _study_unit(session, course, user, pilot_unit, 1.0 if reach > 0.85 else 0.5, core_done + timedelta(days=7), rng, skill)
            back = core_done + timedelta(days=(refresher.opens_after_days if refresher else 180) + rng.randint(1, 10))
            if refresher is not None and reach > 0.9 and back < now:
                pilot.save_report(session, user, _demo_fields(pilot.REPORT_FIELDS), shared=rng.random() < 0.6, submit=True, now=back)
                _study_unit(session, course, user, refresher, 1.0, back, rng, skill)
            record_progress(session, course, user, min(now, back + timedelta(days=3)), signing_key)


def _demo_fields(spec: pilot.FieldSpec) -> dict[str, str]:
    """Placeholder answers for a pilot form: "Demo organisation", "Demo timeline"..."""
    return {field: f"Demo {label.lower()}" for field, label, _help in spec}


def _study_unit(session: Session, course: Course, user: User, unit: Unit, share: float, start: datetime, rng: random.Random,
                skill: float) -> None:
    """Read the first `share` of a unit's lessons, take the quizzes of the modules finished, and the unit's quiz if all."""
    lesson_ids = [lid for m in unit.module_ids for lid in course.modules[m].lesson_ids]
    read = set(lesson_ids[: int(len(lesson_ids) * share)])
    for i, lesson_id in enumerate(lid for lid in lesson_ids if lid in read):
        at = start + timedelta(hours=i * 3)
        session.add(LessonProgress(user_id=user.id, lesson_id=lesson_id, first_viewed_at=at, last_viewed_at=at,
                                   completed_at=at + timedelta(minutes=12), seconds_spent=rng.randint(240, 1500),
                                   content_version=course.full_version))
    session.flush()
    quiz_ids = [m.quiz_id for m in course.unit_modules(unit) if m.quiz_id and set(m.lesson_ids) <= read]
    if unit.quiz_id and read == set(lesson_ids):
        quiz_ids.append(unit.quiz_id)
    for quiz_id in quiz_ids:
        _take_quiz(session, course, user, quiz_id, start + timedelta(days=1), rng, skill)


def _take_quiz(session: Session, course: Course, user: User, quiz_id: str, at: datetime, rng: random.Random, skill: float) -> None:
    """Up to three attempts, stopping at a pass; each try a little better than the last."""
    content = course.quizzes[quiz_id]
    for number in range(3):
        try:
            attempt = attempts.start(session, course, content, user, at, seed=int(rng.random() * 2**53))
        except attempts.AttemptError:
            return
        responses = {q.id: _answer(q, rng, min(1.0, skill + 0.15 * number)) for q, _ in attempts.planned_questions(content, attempt)}
        attempts.save(attempt, responses, at)
        attempts.submit(session, content, attempt, at + timedelta(minutes=rng.randint(8, 30)))
        if attempt.passed or rng.random() < 0.3:  # some learners leave a failed quiz for later
            return
        at += timedelta(days=1)
