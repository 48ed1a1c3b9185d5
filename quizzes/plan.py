"""Building attempts: which questions, in what order, and the opaque names the form uses for each choice.

A page of an open attempt must not let a program pick the right answer: option ids are chosen by
authors (and for matching they are the pair ids that also end a drop-down's name), so the form never
shows them. Each attempt gets fresh random tokens for the values of its choices and for the names
of its per-item fields; the server maps them back to ids when it reads the form.
"""
from __future__ import annotations

import random
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .model import InvalidResponse, Question, Quiz
from .types import QUESTION_TYPES, FormLike

TOKEN = re.compile(r"^[0-9a-f]{12}$")


def new_token() -> str:
    """48 random bits as 12 hex digits: unguessable, and the same shape for every option."""
    return secrets.token_hex(6)


@dataclass(frozen=True)
class PlannedQuestion:
    """A question fixed for one attempt: the order its options or items are shown in, and their form tokens."""

    question_id: str
    option_order: tuple[str, ...] = ()
    tokens: Mapping[str, str] = field(default_factory=dict)  # option id -> the value the form sends for it
    slots: Mapping[str, str] = field(default_factory=dict)  # pair or item id -> the end of its field's name

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlannedQuestion:
        return cls(str(data["question_id"]), tuple(data.get("option_order") or ()),
                   dict(data.get("tokens") or {}), dict(data.get("slots") or {}))

    def to_json(self) -> dict[str, Any]:
        return {"question_id": self.question_id, "option_order": list(self.option_order),
                "tokens": dict(self.tokens), "slots": dict(self.slots)}

    def needs_tokens(self, question: Question) -> bool:
        """Whether this plan predates tokens (an attempt opened before they existed)."""
        block = QUESTION_TYPES[question.type].block
        return (block in ("choices", "pairs") and not self.tokens) or (block in ("pairs", "items") and not self.slots)

    def with_tokens(self, question: Question, token: Callable[[], str] = new_token) -> PlannedQuestion:
        """The same plan with fresh tokens for the question's choices and per-item fields."""
        block = QUESTION_TYPES[question.type].block
        used: set[str] = set()

        def fresh() -> str:
            value = token()
            while value in used:
                value = token()
            used.add(value)
            return value

        ids = [o.id for o in question.options]
        tokens = {oid: fresh() for oid in ids} if block in ("choices", "pairs") else {}
        slots = {oid: fresh() for oid in ids} if block in ("pairs", "items") else {}
        return PlannedQuestion(self.question_id, self.option_order, tokens, slots)


def build_attempt(quiz: Quiz, rng: random.Random, token: Callable[[], str] = new_token) -> list[PlannedQuestion]:
    """Draw and order the questions and their options for a new attempt.

    The draw and the orders are deterministic for a given rng; the tokens come from `token`
    (by default the secrets module), so they say nothing about the rng or the written order.
    """
    settings = quiz.settings
    questions = list(quiz.questions)
    if settings.draw is not None:
        questions = rng.sample(questions, settings.draw)
        if not settings.shuffle_questions:
            questions.sort(key=quiz.questions.index)
    elif settings.shuffle_questions:
        rng.shuffle(questions)
    plan = []
    for question in questions:
        order = [o.id for o in question.options]
        # Matching and ordering are always shuffled: their written order is the answer.
        if settings.shuffle_options or question.type in ("matching", "ordering"):
            rng.shuffle(order)
        plan.append(PlannedQuestion(question.id, tuple(order)).with_tokens(question, token))
    return plan


class AnswerForm:
    """A submitted form read back in option ids: what `QuestionType.response_from_form` expects.

    Field names `q-<question>-<slot token>` become `q-<question>-<id>`; values that are tokens become
    option ids. A name or value the attempt never offered is refused as a tampered form.
    """

    def __init__(self, form: FormLike, question: Question, planned: PlannedQuestion):
        self._form = form
        self._prefix = f"q-{question.id}"
        self._values = {tok: oid for oid, tok in planned.tokens.items()}
        self._slots = dict(planned.slots)
        names = {self._prefix} | {f"{self._prefix}-{slot}" for slot in self._slots.values()}
        unknown = [n for n in _names(form) if n.startswith(f"{self._prefix}-") and n not in names]
        if unknown and self._slots:
            raise InvalidResponse(f"{question.id}: the form has fields this attempt never offered")

    def _name(self, key: str) -> str:
        if key.startswith(f"{self._prefix}-") and self._slots:
            slot = self._slots.get(key[len(self._prefix) + 1:])
            return f"{self._prefix}-{slot}" if slot else ""
        return key

    def _value(self, raw: Any) -> Any:
        if raw in (None, "") or not self._values:
            return raw  # typed text, a position, or a plan from before tokens
        if raw not in self._values:
            raise InvalidResponse(f"{self._prefix[2:]}: {raw!r} is not one of the choices offered")
        return self._values[raw]

    def get(self, key: str, default: Any = None) -> Any:
        name = self._name(key)
        return self._value(self._form.get(name, default)) if name else default

    def getlist(self, key: str) -> list[Any]:
        name = self._name(key)
        return [self._value(v) for v in self._form.getlist(name)] if name else []


def _names(form: FormLike) -> Iterator[str]:
    keys = getattr(form, "keys", None)
    yield from (keys() if callable(keys) else ())
