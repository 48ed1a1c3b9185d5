"""Completion records in the SCORM vocabularies (CSV, JSON), streamed learner batch by learner batch."""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

import quizzes
from lms.content.model import Course, Unit
from lms.db.models import Cohort, QuizAttempt, User
from lms.interop import csvsafe
from lms.learning import progress
from lms.learning.reports import cohort_snapshots

BATCH = 200
COLUMNS = (
    "learner_id", "name", "email", "cohort", "unit_id", "unit_title",
    "lesson_status", "score_raw", "score_min", "score_max", "total_time",  # SCORM 1.2 (cmi.core.*)
    "completion_status", "success_status", "score_scaled", "total_time_iso",  # SCORM 2004 (cmi.*)
    "completed_at", "content_version",
)


def cmi_timespan(seconds: float) -> str:
    """SCORM 1.2 CMITimespan: HHHH:MM:SS.SS (rounded to hundredths first, so seconds never read 60)."""
    hundredths = int(round(max(0.0, seconds) * 100))
    hours, rest = divmod(hundredths, 360_000)
    minutes, rest = divmod(rest, 6_000)
    secs, frac = divmod(rest, 100)
    return f"{min(hours, 9999):04d}:{minutes:02d}:{secs:02d}.{frac:02d}"


def iso_duration(seconds: float) -> str:
    """SCORM 2004 timeinterval: an ISO 8601 duration."""
    hours, rest = divmod(int(round(max(0.0, seconds))), 3600)
    minutes, secs = divmod(rest, 60)
    return f"PT{hours}H{minutes}M{secs}S"


def scorm2004(status: str) -> tuple[str, str]:
    """(completion_status, success_status) for a SCORM 1.2 lesson_status."""
    completion = {"passed": "completed", "completed": "completed", "failed": "completed", "incomplete": "incomplete",
                  "browsed": "incomplete"}.get(status, "not attempted")
    success = {"passed": "passed", "failed": "failed"}.get(status, "unknown")
    return completion, success


def _unit_row(course: Course, unit: Unit, user: User, snap: progress.Snapshot, seconds: float) -> dict:
    status = progress.unit_status(course, snap, unit)
    score = None
    if unit.quiz_id and unit.quiz_id in snap.quizzes:
        settings = course.quizzes[unit.quiz_id].quiz.settings
        score = quizzes.final_score(snap.quizzes[unit.quiz_id].percents, settings.grading)
    completion, success = scorm2004(status)
    done = snap.completions.get(("unit", unit.id))
    return {
        "learner_id": user.id, "name": user.name, "email": user.email,
        "cohort": user.cohort.name if user.cohort else "", "unit_id": unit.id, "unit_title": unit.title,
        "lesson_status": status,
        "score_raw": None if score is None else round(score, 2), "score_min": 0, "score_max": 100,
        "total_time": cmi_timespan(seconds),
        "completion_status": completion, "success_status": success,
        "score_scaled": None if score is None else round(score / 100, 4),
        "total_time_iso": iso_duration(seconds),
        "completed_at": done.completed_at.isoformat() if done else None,
        "content_version": done.content_version if done else None,
    }


def _quiz_seconds(session: Session, ids: list[int]) -> dict[tuple[int, str], float]:
    seconds: dict[tuple[int, str], float] = defaultdict(float)
    rows = session.execute(select(QuizAttempt.user_id, QuizAttempt.quiz_id, QuizAttempt.started_at, QuizAttempt.submitted_at)
                           .where(QuizAttempt.user_id.in_(ids), QuizAttempt.submitted_at.is_not(None)))
    for user_id, quiz_id, started, submitted in rows:
        if submitted is not None:  # the query asks only for submitted attempts; this tells the type checker
            seconds[(user_id, quiz_id)] += (submitted - started).total_seconds()
    return seconds


def records(session: Session, course: Course, cohort: Cohort | None = None) -> Iterator[dict]:
    """One record per learner per unit, read in batches so memory stays flat however many learners there are."""
    last_id = 0
    while True:
        stmt = select(User).where(User.role == "tsp", User.id > last_id).order_by(User.id).limit(BATCH)
        if cohort is not None:
            stmt = stmt.where(User.cohort_id == cohort.id)
        users = list(session.scalars(stmt))
        if not users:
            return
        snaps = cohort_snapshots(session, users, course)
        quiz_time = _quiz_seconds(session, [u.id for u in users])
        for user in users:
            snap = snaps[user.id]
            for unit in course.units:
                lesson_ids = [lid for m in course.unit_modules(unit) for lid in m.lesson_ids]
                seconds: float = sum(snap.lessons[lid].seconds_spent or 0 for lid in lesson_ids if lid in snap.lessons)
                seconds += sum(quiz_time.get((user.id, q), 0.0) for q in course.all_quizzes_of(unit))
                yield _unit_row(course, unit, user, snap, seconds)
        last_id = users[-1].id
        session.expunge_all()  # keep the identity map from growing with the export
        del users, snaps, quiz_time  # and let this batch go before the next is read: one batch in memory at a time


def as_csv(rows: Iterator[dict]) -> Iterator[str]:
    """Spreadsheet-safe CSV (BOM, CRLF, no live formulas), in chunks."""
    return csvsafe.dict_rows(COLUMNS, rows)


def as_json(rows: Iterator[dict]) -> Iterator[str]:
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]\n"
