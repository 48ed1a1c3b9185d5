"""Taking a quiz through the test client, as a learner's browser would post it."""
from __future__ import annotations

import re


def correct_form(question) -> dict[str, object]:
    """Form fields that answer a question correctly, per its type."""
    name = f"q-{question.id}"
    if question.type in ("single", "truefalse"):
        return {name: next(o.id for o in question.options if o.correct)}
    if question.type == "multiple":
        return {name: [o.id for o in question.options if o.correct]}
    if question.type == "text":
        return {name: question.accept[0]}
    if question.type == "matching":
        return {f"{name}-{pair_id}": pair_id for pair_id, _left, _right in question.pairs}
    if question.type == "ordering":
        return {f"{name}-{o.id}": str(i + 1) for i, o in enumerate(question.options)}
    raise AssertionError(f"no answer helper for {question.type}")


def wrong_form(question) -> dict[str, object]:
    """Form fields that answer a question wrongly (or not at all)."""
    if question.type in ("single", "truefalse"):
        return {f"q-{question.id}": next(o.id for o in question.options if not o.correct)}
    return {}


def start_attempt(client, auth, quiz_id: str) -> int:
    response = auth.post(f"/learn/quizzes/{quiz_id}/start", page=f"/learn/quizzes/{quiz_id}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/learn/attempts/(\d+)", response.headers["Location"]).group(1))


def question_ids_on_page(client, attempt_id: int) -> list[str]:
    html = client.get(f"/learn/attempts/{attempt_id}").get_data(as_text=True)
    return list(dict.fromkeys(re.findall(r'id="h-([a-z0-9-]+)"', html)))


def take_quiz(app, client, auth, quiz_id: str, correct: bool = True, action: str = "submit"):
    """Start (or continue) an attempt, answer every question shown, and submit; returns (attempt id, response)."""
    attempt_id = start_attempt(client, auth, quiz_id)
    quiz = app.extensions["lms.course"].quizzes[quiz_id].quiz
    data: dict[str, object] = {"action": action}
    for qid in question_ids_on_page(client, attempt_id):
        question = quiz.question(qid)
        data.update(correct_form(question) if correct else wrong_form(question))
    response = auth.post(f"/learn/attempts/{attempt_id}", data, page=f"/learn/attempts/{attempt_id}")
    return attempt_id, response
