"""Where a learner stands: lessons, modules, units, in the SCORM status vocabulary.

A snapshot is read with a fixed number of queries (one per table), whatever
the size of the course; statuses are computed from it in memory. Earned
completions are stored and never taken back by content edits.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

import quizzes as quiz_engine
from lms.content.model import Course, Module, Unit
from lms.db.enums import Role, Scope
from lms.db.models import Completion, LessonProgress, PilotPlan, PilotReport, QuizAttempt, User
from lms.learning import once


class Status(StrEnum):
    """SCORM 1.2 `lesson_status`, for lessons, quizzes, modules and units."""

    NOT_ATTEMPTED = "not attempted"
    BROWSED = "browsed"
    INCOMPLETE = "incomplete"
    COMPLETED = "completed"
    PASSED = "passed"
    FAILED = "failed"


DONE = (Status.COMPLETED, Status.PASSED)


@dataclass
class QuizRecord:
    attempts: int = 0
    submitted: int = 0
    passed: bool = False
    best_percent: float | None = None
    open_attempt_id: int | None = None
    percents: list[float] = field(default_factory=list)


@dataclass
class Snapshot:
    """Everything needed to say where one learner stands, read in one go."""

    user: User
    lessons: dict[str, LessonProgress]
    quizzes: dict[str, QuizRecord]
    completions: dict[tuple[str, str], Completion]
    plan_submitted_at: datetime | None
    report_submitted_at: datetime | None


def apply_grading(course: Course, records: dict[str, QuizRecord]) -> None:
    """A quiz counts as passed when the score its grading method picks reaches the pass mark."""
    for quiz_id, record in records.items():
        content = course.quizzes.get(quiz_id)
        if content is not None and record.percents:
            settings = content.quiz.settings
            record.passed = (quiz_engine.final_score(record.percents, settings.grading) or 0) >= settings.pass_mark


def quiz_records(course: Course, attempts: Iterable[Any]) -> dict[int, dict[str, QuizRecord]]:
    """Per learner and quiz, what their attempts add up to; `attempts` in learner, quiz and number order.

    Attempts may be ORM objects or plain rows: only id, user_id, quiz_id, submitted_at and percent are read.
    """
    records: dict[int, dict[str, QuizRecord]] = defaultdict(dict)
    for attempt in attempts:
        record = records[attempt.user_id].setdefault(attempt.quiz_id, QuizRecord())
        record.attempts += 1
        if attempt.submitted_at is None:
            record.open_attempt_id = attempt.id
            continue
        record.submitted += 1
        record.percents.append(attempt.percent or 0.0)
        record.best_percent = max(record.best_percent or 0.0, attempt.percent or 0.0)
    for user_records in records.values():
        apply_grading(course, user_records)
    return records


def snapshot(session: Session, user: User, course: Course) -> Snapshot:
    """Read one learner's records."""
    return snapshots(session, [user], course)[user.id]


def snapshots(session: Session, users: list[User], course: Course) -> dict[int, Snapshot]:
    """Read many learners' records in one query per table, whatever their number or the course size."""
    ids = [u.id for u in users]
    lessons: dict[int, dict[str, LessonProgress]] = defaultdict(dict)
    for row in session.scalars(select(LessonProgress).where(LessonProgress.user_id.in_(ids))):
        lessons[row.user_id][row.lesson_id] = row
    records = quiz_records(course, session.scalars(
        select(QuizAttempt).options(defer(QuizAttempt.plan))  # the plan's JSON is not needed here
        .where(QuizAttempt.user_id.in_(ids)).order_by(QuizAttempt.user_id, QuizAttempt.quiz_id, QuizAttempt.number)))
    completions: dict[int, dict[tuple[str, str], Completion]] = defaultdict(dict)
    for c in session.scalars(select(Completion).where(Completion.user_id.in_(ids))):
        completions[c.user_id][(c.scope, c.ref_id)] = c
    plans = dict(session.execute(select(PilotPlan.user_id, PilotPlan.submitted_at).where(PilotPlan.user_id.in_(ids))).all())
    reports = dict(session.execute(select(PilotReport.user_id, PilotReport.submitted_at).where(PilotReport.user_id.in_(ids))).all())
    return {u.id: Snapshot(u, lessons[u.id], records[u.id], completions[u.id], plans.get(u.id), reports.get(u.id))
            for u in users}


def lesson_status(snap: Snapshot, lesson_id: str) -> Status:
    progress = snap.lessons.get(lesson_id)
    if progress is None:
        return Status.NOT_ATTEMPTED
    return Status.COMPLETED if progress.completed_at else Status.INCOMPLETE


def quiz_status(snap: Snapshot, quiz_id: str) -> Status:
    record = snap.quizzes.get(quiz_id)
    if record is None or record.attempts == 0:
        return Status.NOT_ATTEMPTED
    if record.passed:
        return Status.PASSED
    return Status.FAILED if record.submitted else Status.INCOMPLETE


def module_status(snap: Snapshot, module: Module) -> Status:
    """passed/completed once earned (kept across edits); else from lessons and quiz."""
    if (Scope.MODULE, module.id) in snap.completions:
        return Status.PASSED if module.quiz_id else Status.COMPLETED
    statuses = [lesson_status(snap, lid) for lid in module.lesson_ids]
    quiz = quiz_status(snap, module.quiz_id) if module.quiz_id else None
    if all(s == Status.NOT_ATTEMPTED for s in statuses) and quiz in (None, Status.NOT_ATTEMPTED):
        return Status.NOT_ATTEMPTED
    if quiz == Status.FAILED and all(s == Status.COMPLETED for s in statuses):
        return Status.FAILED
    return Status.INCOMPLETE


def module_rule_met(snap: Snapshot, module: Module) -> bool:
    lessons_done = all(lesson_status(snap, lid) == Status.COMPLETED for lid in module.lesson_ids)
    return lessons_done and (module.quiz_id is None or quiz_status(snap, module.quiz_id) == Status.PASSED)


def unit_rule_met(course: Course, snap: Snapshot, unit: Unit) -> bool:
    modules_done = all(module_status(snap, m) in DONE or module_rule_met(snap, m) for m in course.unit_modules(unit))
    quiz_ok = unit.quiz_id is None or quiz_status(snap, unit.quiz_id) == Status.PASSED
    plan_ok = not unit.requires_pilot_plan or snap.plan_submitted_at is not None
    report_ok = not unit.requires_pilot_report or snap.report_submitted_at is not None
    return modules_done and quiz_ok and plan_ok and report_ok


def unit_status(course: Course, snap: Snapshot, unit: Unit) -> Status:
    if (Scope.UNIT, unit.id) in snap.completions:
        return Status.PASSED if unit.quiz_id or any(m.quiz_id for m in course.unit_modules(unit)) else Status.COMPLETED
    statuses = [module_status(snap, m) for m in course.unit_modules(unit)]
    quiz = quiz_status(snap, unit.quiz_id) if unit.quiz_id else None
    if all(s == Status.NOT_ATTEMPTED for s in statuses) and quiz in (None, Status.NOT_ATTEMPTED):
        return Status.NOT_ATTEMPTED
    if quiz == Status.FAILED and all(s in DONE for s in statuses):
        return Status.FAILED
    return Status.INCOMPLETE


def completed_on(snap: Snapshot, scope: str, ref_id: str) -> datetime | None:
    completion = snap.completions.get((scope, ref_id))
    return completion.completed_at if completion else None


def record_completions(session: Session, course: Course, snap: Snapshot, now: datetime) -> list[Completion]:
    """Store every module and unit completion newly earned (the caller commits); returns the new ones.

    Each is an insert that skips an existing row, so two requests finishing a module at once store it once.
    """
    new: list[Completion] = []

    def add(scope: Scope, ref_id: str) -> None:
        completion = Completion(user_id=snap.user.id, scope=scope, ref_id=ref_id, completed_at=now,
                                content_version=course.full_version)
        snap.completions[(scope, ref_id)] = completion
        if once.add_completion(session, snap.user.id, scope, ref_id, now, course.full_version):
            new.append(completion)

    for unit in course.units:
        for module in course.unit_modules(unit):
            if (Scope.MODULE, module.id) not in snap.completions and module_rule_met(snap, module):
                add(Scope.MODULE, module.id)
        earned = (Scope.UNIT, unit.id) not in snap.completions and unit_rule_met(course, snap, unit)
        if earned and unit_is_open(course, snap, unit, now):
            add(Scope.UNIT, unit.id)
    return new


def refresher_opens_on(course: Course, snap: Snapshot) -> date | None:
    """The cohort's date if a trainer set one, else core completion + opens_after_days; None if unknown yet."""
    cohort = snap.user.cohort
    if cohort is not None and cohort.refresher_opens_on is not None:
        return cohort.refresher_opens_on
    core = course.unit("core")
    refresher = course.unit("refresher")
    done = completed_on(snap, Scope.UNIT, core.id) if core else None
    if refresher is None or done is None:
        return None
    return (done + timedelta(days=refresher.opens_after_days)).date()


def refresher_is_open(course: Course, snap: Snapshot, now: datetime) -> bool:
    if snap.user.role != Role.TSP:
        return True  # trainers and admins preview everything
    core = course.unit("core")
    if core is not None and ("unit", core.id) not in snap.completions:
        return False  # the refresher follows the core training, whatever date a trainer set for the cohort
    opens = refresher_opens_on(course, snap)
    return opens is not None and now.date() >= opens


def unit_is_open(course: Course, snap: Snapshot, unit: Unit, now: datetime) -> bool:
    return unit.kind != "refresher" or refresher_is_open(course, snap, now)


def module_progress(snap: Snapshot, module: Module) -> tuple[int, int]:
    """(done, total) steps in a module: its lessons plus its quiz."""
    done = sum(lesson_status(snap, lid) == Status.COMPLETED for lid in module.lesson_ids)
    total = len(module.lesson_ids)
    if module.quiz_id:
        total += 1
        done += quiz_status(snap, module.quiz_id) == Status.PASSED
    if module_status(snap, module) in DONE:
        done = total
    return done, total
