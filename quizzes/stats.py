"""Item statistics: pure functions over attempt rows, for trainers looking for questions that mislead."""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ItemRow:
    """One question in one attempt: its score from 0 to 1 and the raw response."""

    attempt_id: int
    learner_id: int
    question_id: str
    score: float
    response: Any = None


@dataclass(frozen=True)
class ItemStats:
    question_id: str
    n: int
    facility: float  # mean score: 0 hard .. 1 easy
    discrimination: float | None  # point-biserial of the item against the rest of the attempt
    option_counts: dict[str, int] = field(default_factory=dict)
    flag: str | None = None


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / math.sqrt(sxx * syy)


def _chosen(response: Any) -> list[str]:
    if isinstance(response, str):
        return [response]
    if isinstance(response, (list, tuple)):
        return [r for r in response if isinstance(r, str)]
    return []


def _flag(facility: float, discrimination: float | None, n: int) -> str | None:
    if discrimination is not None and discrimination < 0:
        return "check: negative discrimination"
    if facility < 0.3:
        return "too hard"
    if facility > 0.95:
        return "too easy"
    if discrimination is not None and discrimination < 0.2 and n >= 10:
        return "low discrimination"
    return None


def item_statistics(rows: Iterable[ItemRow]) -> dict[str, ItemStats]:
    """Facility, discrimination (item vs rest-of-attempt, point-biserial) and option counts per question."""
    rows = list(rows)
    totals: dict[int, float] = defaultdict(float)
    for row in rows:
        totals[row.attempt_id] += row.score
    by_question: dict[str, list[ItemRow]] = defaultdict(list)
    for row in rows:
        by_question[row.question_id].append(row)
    result = {}
    for question_id, items in by_question.items():
        scores = [r.score for r in items]
        rest = [totals[r.attempt_id] - r.score for r in items]
        facility = sum(scores) / len(scores)
        discrimination = _correlation(scores, rest)
        counts: dict[str, int] = defaultdict(int)
        for item in items:
            for option_id in _chosen(item.response):
                counts[option_id] += 1
        result[question_id] = ItemStats(question_id, len(items), facility, discrimination, dict(counts),
                                        _flag(facility, discrimination, len(items)))
    return result
