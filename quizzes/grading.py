"""Grading attempts. Scores are computed here and nowhere else."""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .model import InvalidResponse, Quiz, QuizSettings
from .plan import PlannedQuestion
from .types import QUESTION_TYPES


@dataclass(frozen=True)
class ItemResult:
    question_id: str
    score: float  # 0..1
    points: float  # score * question points
    response: Any


@dataclass(frozen=True)
class AttemptResult:
    score: float
    max_score: float
    percent: float
    passed: bool
    items: list[ItemResult] = field(default_factory=list)


def grade_attempt(quiz: Quiz, plan: Iterable[PlannedQuestion], responses: Mapping[str, Any]) -> AttemptResult:
    """Grade the attempt's questions; a missing response scores 0; a response to a question not planned is refused."""
    plan = list(plan)
    planned = {p.question_id for p in plan}
    extra = set(responses) - planned
    if extra:
        raise InvalidResponse(f"answers to questions not in this attempt: {sorted(extra)}")
    items, score, max_score = [], 0.0, 0.0
    for planned_question in plan:
        question = quiz.question(planned_question.question_id)
        kind = QUESTION_TYPES[question.type]()
        response = kind.validate(question, responses.get(question.id))
        fraction = min(1.0, max(0.0, kind.grade(question, response)))
        items.append(ItemResult(question.id, fraction, fraction * question.points, response))
        score += fraction * question.points
        max_score += question.points
    percent = 100.0 * score / max_score if max_score else 0.0
    percent = round(percent, 6)
    return AttemptResult(score, max_score, percent, percent >= quiz.settings.pass_mark, items)


def final_score(percents: list[float], method: str) -> float | None:
    """The score that counts over a learner's submitted attempts, in order; None when there are none."""
    if not percents:
        return None
    if method == "highest":
        return max(percents)
    if method == "latest":
        return percents[-1]
    if method == "first":
        return percents[0]
    if method == "average":
        return sum(percents) / len(percents)
    raise ValueError(f"unknown grading method {method!r}")


def may_see_review(settings: QuizSettings, passed_ever: bool) -> bool:
    """Whether correct answers and feedback may be shown after submitting."""
    return settings.review == "after_submit" or (settings.review == "after_pass" and passed_ever)


def shown_points(points: float | None) -> str:
    """Points for people: at most one decimal, half up ("7.3", "7.5", "9"), never "7.33333"."""
    if points is None:
        return "–"
    rounded = Decimal(repr(float(points))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded:f}".removesuffix(".0")


def shown_percent(percent: float | None) -> str:
    """A whole percentage, rounded down so that a shown score reaches the pass mark only when it passed."""
    if percent is None:
        return "–"
    return str(math.floor(round(float(percent), 6)))
