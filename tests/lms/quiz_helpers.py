"""Taking a quiz through the test client, as a learner's browser would post it.

A page names each choice by a token of its attempt (see quizzes/plan.py), so answers are posted
with the tokens the attempt's plan gives each option, as the page the learner sees offers them.
"""
from __future__ import annotations

import re

from quizzes import PlannedQuestion, Question


def correct_form(question: Question, planned: PlannedQuestion) -> dict[str, object]:
    """Form fields that answer a question correctly, per its type."""
    name = f"q-{question.id}"
    token = planned.tokens.get
    if question.type in ("single", "truefalse"):
        return {name: token(next(o.id for o in question.options if o.correct))}
    if question.type == "multiple":
        return {name: [token(o.id) for o in question.options if o.correct]}
    if question.type == "text":
        return {name: question.accept[0]}
    if question.type == "matching":
        first = {}
        for option in question.options:  # a text shared by several items is offered once, as its first option
            first.setdefault(option.text, option.id)
        return {f"{name}-{planned.slots[pid]}": token(first[right]) for pid, _left, right in question.pairs}
    if question.type == "ordering":
        return {f"{name}-{planned.slots[o.id]}": str(i + 1) for i, o in enumerate(question.options)}
    raise AssertionError(f"no answer helper for {question.type}")


def wrong_form(question: Question, planned: PlannedQuestion) -> dict[str, object]:
    """Form fields that answer a question wrongly (or not at all)."""
    if question.type in ("single", "truefalse"):
        return {f"q-{question.id}": planned.tokens[next(o.id for o in question.options if not o.correct)]}
    return {}


def option_token(app, attempt_id: int, question_id: str, option_id: str) -> str:
    """The value an attempt's page gives one option."""
    return plan_of(app, attempt_id)[question_id].tokens[option_id]


def plan_of(app, attempt_id: int) -> dict[str, PlannedQuestion]:
    from lms.db.models import QuizAttempt
    from lms.db.session import get_session

    with app.app_context():
        attempt = get_session().get(QuizAttempt, attempt_id)
        return {p["question_id"]: PlannedQuestion.from_json(p) for p in attempt.plan}


def start_attempt(client, auth, quiz_id: str) -> int:
    response = auth.post(f"/learn/quizzes/{quiz_id}/start", page=f"/learn/quizzes/{quiz_id}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/learn/attempts/(\d+)", response.headers["Location"]).group(1))


def question_ids_on_page(client, attempt_id: int) -> list[str]:
    html = client.get(f"/learn/attempts/{attempt_id}").get_data(as_text=True)
    return list(dict.fromkeys(re.findall(r'id="h-([a-z0-9-]+)"', html)))


def answers(app, client, attempt_id: int, quiz_id: str, correct: bool = True) -> dict[str, object]:
    """Form fields answering every question shown on an attempt's page, rightly or wrongly."""
    quiz = app.extensions["lms.course"].quizzes[quiz_id].quiz
    plan = plan_of(app, attempt_id)
    data: dict[str, object] = {}
    for qid in question_ids_on_page(client, attempt_id):
        data.update((correct_form if correct else wrong_form)(quiz.question(qid), plan[qid]))
    return data


def take_quiz(app, client, auth, quiz_id: str, correct: bool = True, action: str = "submit"):
    """Start (or continue) an attempt, answer every question shown, and submit; returns (attempt id, response)."""
    attempt_id = start_attempt(client, auth, quiz_id)
    data: dict[str, object] = {"action": action, **answers(app, client, attempt_id, quiz_id, correct)}
    response = auth.post(f"/learn/attempts/{attempt_id}", data, page=f"/learn/attempts/{attempt_id}")
    return attempt_id, response


def tokenized(app, attempt_id: int, quiz_id: str, by_id: dict[str, object]) -> dict[str, object]:
    """Answers written with option and item ids (`q-<question>`, `q-<question>-<item>`), as the attempt's page names them.

    A matching answer names the option whose text is chosen; the page offers a text shared by several items once,
    under its first option, so that option's token is sent.
    """
    quiz = app.extensions["lms.course"].quizzes[quiz_id].quiz
    plan = plan_of(app, attempt_id)
    form: dict[str, object] = {}
    for key, value in by_id.items():
        qid = max((q for q in plan if key == f"q-{q}" or key.startswith(f"q-{q}-")), key=len)
        question, planned = quiz.question(qid), plan[qid]
        if key == f"q-{qid}":
            if question.type == "text":
                form[key] = value
            elif isinstance(value, list):
                form[key] = [planned.tokens[v] for v in value]
            else:
                form[key] = planned.tokens[str(value)]
            continue
        item = key[len(f"q-{qid}-"):]
        if question.type == "matching":
            text = question.option(str(value)).text
            first = next(o.id for o in question.options if o.text == text)
            form[f"q-{qid}-{planned.slots[item]}"] = planned.tokens[first]
        else:  # ordering: the position chosen for the item
            form[f"q-{qid}-{planned.slots[item]}"] = value
    return form
