"""xAPI 1.0.3 statements of what learners did, to a file or a Learning Record Store.

Statement ids are derived from the records they describe, so sending twice stores nothing twice.
Actors are accounts with an opaque id, never an email address: statements carry no contact data.
"""
from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import quizzes
from lms.content.model import Course
from lms.db.models import Completion, LessonProgress, QuizAttempt, User
from lms.interop.records import iso_duration

VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
ACTIVITY_TYPES = {"course": "http://adlnet.gov/expapi/activities/course",
                  "module": "http://adlnet.gov/expapi/activities/module",
                  "lesson": "http://adlnet.gov/expapi/activities/lesson",
                  "quiz": "http://adlnet.gov/expapi/activities/assessment",
                  "question": "http://adlnet.gov/expapi/activities/cmi.interaction"}
INTERACTION_TYPES = {"single": "choice", "truefalse": "true-false", "multiple": "choice", "matching": "matching",
                     "ordering": "sequencing", "text": "fill-in"}
BATCH = 200


class LrsError(RuntimeError):
    """The Learning Record Store refused or could not be reached; the message says which."""


class Builder:
    """Makes statements for one deployment and course."""

    def __init__(self, course: Course, base_url: str):
        self.course = course
        self.base = base_url.rstrip("/")
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, self.base)

    def activity(self, kind: str, ref: str, name: str) -> dict:
        return {"objectType": "Activity", "id": f"{self.base}/xapi/{self.course.id}/{kind}/{ref}",
                "definition": {"type": ACTIVITY_TYPES[kind], "name": {"en": name}}}

    def actor(self, user: User) -> dict:
        return {"objectType": "Agent", "account": {"homePage": self.base, "name": str(user.id)}}

    def statement(self, key: str, user: User, verb: str, obj: dict, when: datetime, parent: dict | None = None,
                  result: dict | None = None, revision: str | None = None) -> dict:
        context = {"contextActivities": {"grouping": [self.activity("course", self.course.id, self.course.title)]},
                   "platform": "TSP training LMS", "language": self.course.language}
        if parent:
            context["contextActivities"]["parent"] = [parent]
        if revision:
            context["revision"] = revision
        statement = {
            "id": str(uuid.uuid5(self.namespace, key)), "actor": self.actor(user),
            "verb": {"id": ADL + verb, "display": {"en-US": verb}}, "object": obj,
            "timestamp": when.isoformat().replace("+00:00", "Z"), "context": context, "version": VERSION,
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
        yield self.statement(f"attempted:{key}", user, "attempted", quiz, attempt.started_at,
                             self._module_of_quiz(attempt.quiz_id), revision=attempt.content_version)
        if attempt.submitted_at is None:
            return
        for item in attempt.items:
            try:
                question = content.quiz.question(item.question_id)
            except KeyError:
                continue
            kind = quizzes.QUESTION_TYPES[question.type]()
            obj = self.activity("question", question.id, question.id)
            obj["definition"]["interactionType"] = INTERACTION_TYPES.get(question.type, "other")
            response = (item.response or {}).get("value")
            yield self.statement(f"answered:{key}:{question.id}", user, "answered", obj, attempt.submitted_at, quiz,
                                 {"score": {"scaled": round(item.score or 0, 4)}, "success": (item.score or 0) >= 1,
                                  "response": kind.describe_response(question, response)[:1000]},
                                 attempt.content_version)
        verb = "passed" if attempt.passed else "failed"
        result = {"score": {"scaled": round((attempt.percent or 0) / 100, 4), "raw": round(attempt.percent or 0, 2),
                            "min": 0, "max": 100},
                  "success": bool(attempt.passed), "completion": True,
                  "duration": iso_duration((attempt.submitted_at - attempt.started_at).total_seconds())}
        yield self.statement(f"{verb}:{key}", user, verb, quiz, attempt.submitted_at, self._module_of_quiz(attempt.quiz_id),
                             result, attempt.content_version)

    def completion(self, user: User, completion: Completion) -> dict | None:
        if completion.scope == "module":
            module = self.course.modules.get(completion.ref_id)
            obj = self.activity("module", completion.ref_id, module.title if module else completion.ref_id)
        else:
            unit = self.course.unit(completion.ref_id)
            obj = self.activity("course", f"{self.course.id}-{completion.ref_id}", unit.title if unit else completion.ref_id)
        return self.statement(f"completed:{user.id}:{completion.scope}:{completion.ref_id}", user, "completed", obj,
                              completion.completed_at, result={"completion": True}, revision=completion.content_version)


def statements(session: Session, course: Course, base_url: str) -> Iterator[dict]:
    """Every statement, learner batch by learner batch (flat memory)."""
    builder = Builder(course, base_url)
    last_id = 0
    while True:
        users = list(session.scalars(select(User).where(User.role == "tsp", User.id > last_id).order_by(User.id).limit(BATCH)))
        if not users:
            return
        ids = [u.id for u in users]
        by_id = {u.id: u for u in users}
        for row in session.scalars(select(LessonProgress).where(LessonProgress.user_id.in_(ids)).order_by(LessonProgress.id)):
            yield from builder.lesson(by_id[row.user_id], row)
        attempts = session.scalars(select(QuizAttempt).options(selectinload(QuizAttempt.items))
                                   .where(QuizAttempt.user_id.in_(ids)).order_by(QuizAttempt.id))
        for attempt in attempts:
            yield from builder.attempt(by_id[attempt.user_id], attempt)
        for completion in session.scalars(select(Completion).where(Completion.user_id.in_(ids)).order_by(Completion.id)):
            statement = builder.completion(by_id[completion.user_id], completion)
            if statement:
                yield statement
        last_id = users[-1].id
        session.expunge_all()


def send(statements_: Iterable[dict], endpoint: str, username: str, password: str, batch: int = 100) -> int:
    """POST statements to an LRS in batches; returns how many were sent. Already-stored ids are not an error."""
    url = endpoint.rstrip("/") + "/statements"
    auth = base64.b64encode(f"{username}:{password}".encode()).decode()
    sent = 0
    chunk: list[dict] = []

    def flush() -> None:
        nonlocal sent
        if not chunk:
            return
        request = urllib.request.Request(url, data=json.dumps(chunk).encode(), method="POST", headers={
            "Content-Type": "application/json", "X-Experience-API-Version": VERSION, "Authorization": f"Basic {auth}"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code != 409:  # 409: these ids are stored already (a resend)
                raise LrsError(f"the LRS answered {exc.code}: {exc.read()[:300].decode(errors='replace')}") from None
            for statement in chunk:  # resend one by one so new statements in the batch still arrive
                single = urllib.request.Request(url, data=json.dumps([statement]).encode(), method="POST",
                                                headers=request.headers)
                try:
                    urllib.request.urlopen(single, timeout=60).read()
                except urllib.error.HTTPError as inner:
                    if inner.code != 409:
                        raise LrsError(f"the LRS answered {inner.code}") from None
        except urllib.error.URLError as exc:
            raise LrsError(f"cannot reach the LRS at {url}: {exc.reason}") from None
        sent += len(chunk)
        chunk.clear()

    for statement in statements_:
        chunk.append(statement)
        if len(chunk) >= batch:
            flush()
    flush()
    return sent
