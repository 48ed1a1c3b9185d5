"""Item statistics: pure functions over attempt rows, for trainers looking for questions that mislead."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .model import Question
from .types import normalise_text, type_of


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


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    count: int
    right: bool | None = None  # whether this is (part of) the right answer; None for "(no answer)"
    note: str = ""


@dataclass(frozen=True)
class Breakdown:
    """How a question was answered, in a shape that fits its type, for trainers."""

    counts: str  # what each row counts, as a verb: "chosen", "typed"
    total: int
    rows: tuple[BreakdownRow, ...]


def _empty(response: Any) -> bool:
    return response in (None, [], {}) or (isinstance(response, str) and not response.strip())


def _choices(question: Question, responses: list[Any]) -> Breakdown:
    rows = [BreakdownRow(o.text, sum(o.id in _chosen(r) for r in responses), o.correct) for o in question.options]
    return Breakdown("chosen", len(responses), tuple(rows))


def _pairs(question: Question, responses: list[Any]) -> Breakdown:
    rows = []
    for pair_id, left, right in question.pairs:
        chosen = [_option_text(question, r.get(pair_id)) for r in responses if isinstance(r, dict)]
        wrong = Counter(c for c in chosen if c != right)
        note = ", ".join(f"{text or 'nothing'} ({n})" for text, n in wrong.most_common(2))
        rows.append(BreakdownRow(f"{left} → {right}", sum(c == right for c in chosen), True,
                                 f"chosen instead: {note}" if note else ""))
    return Breakdown("matched right", len(responses), tuple(rows))


def _items(question: Question, responses: list[Any]) -> Breakdown:
    rows = []
    for place, option in enumerate(question.options):
        at = [r[place] if isinstance(r, list) and place < len(r) else None for r in responses]
        wrong = Counter(_option_text(question, a) for a in at if a != option.id)
        note = ", ".join(f"{text or 'nothing'} ({n})" for text, n in wrong.most_common(2))
        rows.append(BreakdownRow(f"{place + 1}. {option.text}", sum(a == option.id for a in at), True,
                                 f"placed here instead: {note}" if note else ""))
    return Breakdown("put in this place", len(responses), tuple(rows))


def _typed(question: Question, responses: list[Any]) -> Breakdown:
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for response in responses:
        if isinstance(response, str) and response.strip():
            groups[normalise_text(response)][response.strip()] += 1
    accepted = {normalise_text(a) for a in question.accept}
    rows = sorted((BreakdownRow(spellings.most_common(1)[0][0], sum(spellings.values()), key in accepted,
                                ", ".join(s for s in spellings if s != spellings.most_common(1)[0][0]))
                   for key, spellings in groups.items()), key=lambda row: (-row.count, row.label.casefold()))
    return Breakdown("typed", len(responses), tuple(rows))


def _described(question: Question, responses: list[Any]) -> Breakdown:
    kind = type_of(question)
    counts = Counter(kind.describe_response(question, r) for r in responses if not _empty(r))
    return Breakdown("given", len(responses), tuple(BreakdownRow(text, n) for text, n in counts.most_common()))


_BY_BLOCK = {"choices": _choices, "pairs": _pairs, "items": _items, "none": _typed}


def breakdown(question: Question, responses: Iterable[Any]) -> Breakdown:
    """Option counts for choices, per-pair right counts for matching, per-place for ordering, typed answers grouped."""
    responses = list(responses)
    result = _BY_BLOCK.get(type_of(question).block, _described)(question, responses)
    unanswered = sum(_empty(r) for r in responses)
    if unanswered:
        result = Breakdown(result.counts, result.total, (*result.rows, BreakdownRow("(no answer)", unanswered)))
    return result


def _option_text(question: Question, option_id: Any) -> str:
    option = question.option(option_id) if isinstance(option_id, str) else None
    return option.text if option else ""
