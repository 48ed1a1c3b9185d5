"""Quiz answers as a trainer reads them: each attempt's answers in words, and how a cohort answered each question."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import quizzes
from lms.content.model import QuizContent
from lms.db.models import QuizAttempt
from lms.learning.attempts import planned_questions, saved_responses


def breakdowns(quiz: quizzes.Quiz, rows: list[quizzes.ItemRow]) -> dict[str, quizzes.Breakdown]:
    """How each question was answered, in a shape that fits its type (typed answers grouped with counts)."""
    by_question: dict[str, list[object]] = defaultdict(list)
    for row in rows:
        by_question[row.question_id].append(row.response)
    return {q.id: quizzes.breakdown(q, by_question[q.id]) for q in quiz.questions if q.id in by_question}


@dataclass
class AnswerRow:
    """One question of an attempt as a trainer reads it: the learner's answer and the right one, in words."""

    question: quizzes.Question
    answer: str
    right: str
    points: float | None
    max_points: float
    feedback_keys: list[str]  # keys of QuizContent.html: the question's feedback and that of the options chosen


def _feedback_keys(question: quizzes.Question, response: object) -> list[str]:
    """The feedback a learner is shown for an answer: that of the options chosen, then the question's."""
    chosen = [response] if isinstance(response, str) else response if isinstance(response, list) else []
    options = [question.option(oid) for oid in chosen] if quizzes.type_of(question).block == "choices" else []
    keys = [f"option-feedback:{question.id}:{o.id}" for o in options if o is not None and o.feedback]
    return keys + ([f"feedback:{question.id}"] if question.feedback else [])


def attempt_answers(content: QuizContent, attempt: QuizAttempt) -> list[AnswerRow]:
    """Each planned question of an attempt with the answer given, the right answer, points and feedback."""
    saved = saved_responses(attempt)
    points = {item.question_id: item.points for item in attempt.items}
    rows = []
    for question, _planned in planned_questions(content, attempt):
        kind = quizzes.type_of(question)
        response = saved.get(question.id)
        rows.append(AnswerRow(question, kind.describe_response(question, response), kind.describe_right(question),
                              points.get(question.id), question.points, _feedback_keys(question, response)))
    return rows
