"""xAPI 1.0.3 statements of what learners did, to a file or a Learning Record Store (sending: lms.interop.lrs).

Statement ids are derived from the records they describe, so sending twice stores nothing twice. Every statement
about a quiz attempt carries the attempt's `context.registration`, derived the same way. Actors are accounts with
an opaque id, never an email address: statements carry no contact data.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import quizzes
from lms.content.model import Course
from lms.db.models import Completion, LessonProgress, QuizAttempt, User
from lms.interop import interactions
from lms.interop.lrs import VERSION
from lms.interop.records import iso_duration

ADL = "http://adlnet.gov/expapi/verbs/"
ACTIVITY_TYPES = {"course": "http://adlnet.gov/expapi/activities/course",
                  "module": "http://adlnet.gov/expapi/activities/module",
                  "lesson": "http://adlnet.gov/expapi/activities/lesson",
                  "quiz": "http://adlnet.gov/expapi/activities/assessment",
                  "question": "http://adlnet.gov/expapi/activities/cmi.interaction"}
BATCH = 200


class Builder:
    """Makes statements for one deployment and course."""

    def __init__(self, course: Course, base_url: str):
        self.course = course
        self.base = base_url.rstrip("/")
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, self.base)

    def activity(self, kind: str, ref: str, name: str) -> dict:
        return {"objectType": "Activity", "id": f"{self.base}/xapi/{self.course.id}/{kind}/{ref}",
                "definition": {"type": ACTIVITY_TYPES[kind], "name": {self.course.language: name}}}

    def actor(self, user: User) -> dict:
        return {"objectType": "Agent", "account": {"homePage": self.base, "name": str(user.id)}}

    def registration(self, user: User, attempt: QuizAttempt) -> str:
        """One UUID per attempt, the same on every export."""
        return str(uuid.uuid5(self.namespace, f"registration:{user.id}:{attempt.quiz_id}:{attempt.number}"))

    def statement(self, key: str, user: User, verb: str, obj: dict, when: datetime, parent: dict | None = None,
                  result: dict | None = None, revision: str | None = None, registration: str | None = None) -> dict:
        context: dict = {"contextActivities": {"grouping": [self.activity("course", self.course.id, self.course.title)]},
                         "platform": "TSP training LMS", "language": self.course.language}
        if parent:
            context["contextActivities"]["parent"] = [parent]
        if revision:
            context["revision"] = revision
        if registration:
            context["registration"] = registration
        statement = {
            "id": str(uuid.uuid5(self.namespace, key)), "actor": self.actor(user),
            "verb": {"id": ADL + verb, "display": {"en-US": verb}}, "object": obj,
            "timestamp": _utc(when).isoformat().replace("+00:00", "Z"), "context": context, "version": VERSION,
        }
        if result:
            statement["result"] = result
        return statement

    def _module_of_quiz(self, quiz_id: str) -> dict | None:
        owner = self.course.quizzes[quiz_id].owner
        module = self.course.modules.get(owner)
        return self.activity("module", module.id, module.title) if module else None

    def lesson(self, user: User, row: LessonProgress) -> Iterator[dict]:
        lesson = self.course.lessons.get(row.lesson_id)
        if lesson is None:
            return
        module = self.course.modules[lesson.module_id]
        obj, parent = self.activity("lesson", lesson.id, lesson.title), self.activity("module", module.id, module.title)
        yield self.statement(f"experienced:{user.id}:{lesson.id}", user, "experienced", obj, row.first_viewed_at, parent)
        if row.completed_at:
            yield self.statement(f"completed:{user.id}:{lesson.id}", user, "completed", obj, row.completed_at, parent,
                                 {"completion": True, "duration": iso_duration(row.seconds_spent)}, row.content_version)

    def attempt(self, user: User, attempt: QuizAttempt) -> Iterator[dict]:
        content = self.course.quizzes.get(attempt.quiz_id)
        if content is None:
            return
        quiz = self.activity("quiz", attempt.quiz_id, content.quiz.title)
        key = f"{user.id}:{attempt.quiz_id}:{attempt.number}"
        registration = self.registration(user, attempt)
        yield self.statement(f"attempted:{key}", user, "attempted", quiz, attempt.started_at,
                             self._module_of_quiz(attempt.quiz_id), revision=attempt.content_version,
                             registration=registration)
        if attempt.submitted_at is None:
            return
        for item in attempt.items:
            try:
                question = content.quiz.question(item.question_id)
            except KeyError:
                continue
            obj = {"objectType": "Activity", "id": self.activity("question", question.id, "")["id"],
                   "definition": {"type": ACTIVITY_TYPES["question"],
                                  **interactions.definition(question, self.course.language)}}
            response = (item.response or {}).get("value")
            yield self.statement(f"answered:{key}:{question.id}", user, "answered", obj, attempt.submitted_at, quiz,
                                 {"score": {"scaled": round(item.score or 0, 4)}, "success": (item.score or 0) >= 1,
                                  "response": interactions.response(question, response)},
                                 attempt.content_version, registration)
        verb = "passed" if attempt.passed else "failed"
        result = {"score": {"scaled": round((attempt.percent or 0) / 100, 4), "raw": round(attempt.percent or 0, 2),
                            "min": 0, "max": 100},
                  "success": bool(attempt.passed), "completion": True,
                  "duration": iso_duration((attempt.submitted_at - attempt.started_at).total_seconds())}
        yield self.statement(f"{verb}:{key}", user, verb, quiz, attempt.submitted_at, self._module_of_quiz(attempt.quiz_id),
                             result, attempt.content_version, registration)

    def unit_results(self, user: User, submitted: dict[str, list[QuizAttempt]]) -> Iterator[dict]:
        """Per unit with a quiz: passed or failed, with the unit's score by its quiz's grading method, as of the
        learner's latest submitted attempt (a later attempt gives a new statement; a resend gives the same one)."""
        for unit in self.course.units:
            attempts = submitted.get(unit.quiz_id or "")
            if not attempts or unit.quiz_id is None:
                continue
            settings = self.course.quizzes[unit.quiz_id].quiz.settings
            score = quizzes.final_score([a.percent or 0 for a in attempts], settings.grading) or 0
            success = any(a.passed for a in attempts)
            verb, last = ("passed" if success else "failed"), attempts[-1]
            if last.submitted_at is None:  # `submitted` holds submitted attempts only
                continue
            obj = self.activity("course", f"{self.course.id}-{unit.id}", unit.title)
            result = {"score": {"scaled": round(score / 100, 4), "raw": round(score, 2), "min": 0, "max": 100},
                      "success": success}
            yield self.statement(f"unit-{verb}:{user.id}:{unit.id}:{last.number}", user, verb, obj, last.submitted_at,
                                 result=result, revision=last.content_version)

    def completion(self, user: User, completion: Completion) -> dict | None:
        if completion.scope == "module":
            module = self.course.modules.get(completion.ref_id)
            obj = self.activity("module", completion.ref_id, module.title if module else completion.ref_id)
        else:
            unit = self.course.unit(completion.ref_id)
            obj = self.activity("course", f"{self.course.id}-{completion.ref_id}", unit.title if unit else completion.ref_id)
        return self.statement(f"completed:{user.id}:{completion.scope}:{completion.ref_id}", user, "completed", obj,
                              completion.completed_at, result={"completion": True}, revision=completion.content_version)



def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _learner_statements(builder: Builder, session: Session, users: list[User]) -> Iterator[dict]:
    ids = [u.id for u in users]
    by_id = {u.id: u for u in users}
    for row in session.scalars(select(LessonProgress).where(LessonProgress.user_id.in_(ids)).order_by(LessonProgress.id)):
        yield from builder.lesson(by_id[row.user_id], row)
    submitted: dict[int, dict[str, list[QuizAttempt]]] = defaultdict(lambda: defaultdict(list))
    attempts = session.scalars(select(QuizAttempt).options(selectinload(QuizAttempt.items))
                               .where(QuizAttempt.user_id.in_(ids)).order_by(QuizAttempt.user_id, QuizAttempt.number))
    for attempt in attempts:
        yield from builder.attempt(by_id[attempt.user_id], attempt)
        if attempt.submitted_at is not None:
            submitted[attempt.user_id][attempt.quiz_id].append(attempt)
    for user_id, by_quiz in submitted.items():
        yield from builder.unit_results(by_id[user_id], by_quiz)
    for completion in session.scalars(select(Completion).where(Completion.user_id.in_(ids)).order_by(Completion.id)):
        statement = builder.completion(by_id[completion.user_id], completion)
        if statement:
            yield statement


def statements(session: Session, course: Course, base_url: str, since: datetime | None = None) -> Iterator[dict]:
    """Every statement (or those timestamped at or after `since`), learner batch by learner batch (flat memory)."""
    builder = Builder(course, base_url)
    since = _utc(since) if since else None
    last_id = 0
    while True:
        users = list(session.scalars(select(User).where(User.role == "tsp", User.id > last_id).order_by(User.id).limit(BATCH)))
        if not users:
            return
        for statement in _learner_statements(builder, session, users):
            if since is None or datetime.fromisoformat(statement["timestamp"]) >= since:
                yield statement
        last_id = users[-1].id
        session.expunge_all()
