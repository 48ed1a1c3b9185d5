"""Question types in a registry: each knows its answer syntax, how to read a form, validate and grade.

A new type is a new class here; the parser and the grader need no change.
"""
from __future__ import annotations

import re
from typing import Any, Protocol

from .model import InvalidResponse, Question

Response = Any  # str | list[str] | dict[str, str] | None, by type


class FormLike(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list[Any]: ...


class QuestionType:
    """The base: subclasses override what differs."""

    name = ""
    block = "choices"  # the answer syntax: "choices" (- [x]), "pairs" (a => b), "items" (1.), or "none"

    def check(self, question: Question) -> list[str]:
        """Problems with a parsed question of this type."""
        return []

    def response_from_form(self, question: Question, form: FormLike) -> Response:
        value = form.get(f"q-{question.id}")
        return value or None

    def validate(self, question: Question, response: Response) -> Response:
        """The response in normal form; InvalidResponse when it names things the question lacks."""
        return response

    def grade(self, question: Question, response: Response) -> float:
        """A score from 0 to 1."""
        raise NotImplementedError

    def describe_response(self, question: Question, response: Response) -> str:
        """The answer in words, for trainers' reports."""
        if response in (None, "", [], {}):
            return "(no answer)"
        return str(response)

    def describe_right(self, question: Question) -> str:
        """The right answer in words, for trainers and reviews."""
        return "; ".join(o.text for o in question.options if o.correct)


QUESTION_TYPES: dict[str, type[QuestionType]] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    QUESTION_TYPES[cls.name] = cls
    return cls


def type_of(question: Question) -> QuestionType:
    return QUESTION_TYPES[question.type]()


def _ids(question: Question) -> set[str]:
    return {o.id for o in question.options}


def _text(question: Question, option_id: str) -> str:
    option = question.option(option_id)
    return option.text if option else option_id


@register
class SingleChoice(QuestionType):
    """One right option; all or nothing."""

    name = "single"

    def check(self, question):
        right = sum(o.correct for o in question.options)
        problems = [] if right == 1 else [f"a {self.name} question needs exactly one [x] option (found {right})"]
        if len(question.options) < 2:
            problems.append("a choice question needs at least two options")
        return problems

    def validate(self, question, response):
        if response is None or response == "":
            return None
        if not isinstance(response, str) or response not in _ids(question):
            raise InvalidResponse(f"{question.id}: {response!r} is not an option")
        return response

    def grade(self, question, response):
        option = question.option(response) if isinstance(response, str) else None
        return 1.0 if option is not None and option.correct else 0.0

    def describe_response(self, question, response):
        return _text(question, response) if response else "(no answer)"


@register
class TrueFalse(SingleChoice):
    """A single choice between the options {#true} and {#false}."""

    name = "truefalse"

    def check(self, question):
        problems = super().check(question)
        if sorted(_ids(question)) != ["false", "true"]:
            problems.append("a truefalse question has exactly two options, {#true} and {#false}")
        return problems


@register
class MultipleResponse(QuestionType):
    """Tick all that apply: (right ticks - wrong ticks) / number of right options, never below 0."""

    name = "multiple"

    def check(self, question):
        problems = [] if any(o.correct for o in question.options) else ["a multiple question needs at least one [x] option"]
        if len(question.options) < 2:
            problems.append("a choice question needs at least two options")
        return problems

    def response_from_form(self, question, form):
        return [v for v in form.getlist(f"q-{question.id}") if v]

    def validate(self, question, response):
        if response is None:
            return []
        if not isinstance(response, (list, tuple)) or not all(isinstance(v, str) for v in response):
            raise InvalidResponse(f"{question.id}: expected a list of option ids")
        unknown = set(response) - _ids(question)
        if unknown:
            raise InvalidResponse(f"{question.id}: {sorted(unknown)} are not options")
        return sorted(set(response), key=[o.id for o in question.options].index)

    def grade(self, question, response):
        chosen = set(response or ())
        right = {o.id for o in question.options if o.correct}
        return max(0.0, (len(chosen & right) - len(chosen - right)) / len(right))

    def describe_response(self, question, response):
        return "; ".join(_text(question, r) for r in response) if response else "(no answer)"


@register
class Matching(QuestionType):
    """Match each left item to a right text; the share of items matched right."""

    name = "matching"
    block = "pairs"

    def check(self, question):
        return [] if len(question.pairs) >= 2 else ["a matching question needs at least two `left => right` lines"]

    def response_from_form(self, question, form):
        chosen = {pid: form.get(f"q-{question.id}-{pid}") for pid, _l, _r in question.pairs}
        return {k: v for k, v in chosen.items() if v}

    def validate(self, question, response):
        if response is None:
            return {}
        if not isinstance(response, dict):
            raise InvalidResponse(f"{question.id}: expected left item -> right text")
        ids = _ids(question)
        if not set(response) <= ids or not all(isinstance(v, str) and v in ids for v in response.values()):
            raise InvalidResponse(f"{question.id}: unknown item in the matching")
        return dict(response)

    def grade(self, question, response):
        """Right when the chosen text is the item's right text, so items may share one (sorting into groups)."""
        response = response or {}
        rights = {pid: right for pid, _l, right in question.pairs}
        return sum(rights.get(response.get(pid)) == right for pid, _l, right in question.pairs) / len(question.pairs)

    def describe_response(self, question, response):
        if not response:
            return "(no answer)"
        left = {pid: text for pid, text, _r in question.pairs}
        return "; ".join(f"{left.get(k, k)} → {_text(question, v)}" for k, v in response.items())

    def describe_right(self, question):
        return "; ".join(f"{left} → {right}" for _pid, left, right in question.pairs)


@register
class Ordering(QuestionType):
    """Put items in order; the share of items in their correct position."""

    name = "ordering"
    block = "items"

    def check(self, question):
        return [] if len(question.options) >= 2 else ["an ordering question needs at least two `1. item {#id}` lines"]

    def response_from_form(self, question, form):
        """Positions typed per item become the learner's order; unplaced items go last."""
        places = {}
        for option in question.options:
            raw = form.get(f"q-{question.id}-{option.id}")
            if raw:
                if not re.fullmatch(r"\d{1,3}", str(raw)):
                    raise InvalidResponse(f"{question.id}: position {raw!r} is not a number")
                places[option.id] = int(raw)
        if not places:
            return []
        ordered = sorted(places, key=lambda oid: places[oid])
        return ordered + [o.id for o in question.options if o.id not in places]

    def validate(self, question, response):
        if response is None:
            return []
        if not isinstance(response, (list, tuple)) or not all(isinstance(v, str) for v in response):
            raise InvalidResponse(f"{question.id}: expected a list of item ids")
        if len(set(response)) != len(response) or not set(response) <= _ids(question):
            raise InvalidResponse(f"{question.id}: unknown or repeated item")
        return list(response)

    def grade(self, question, response):
        response = response or []
        return sum(a == o.id for a, o in zip(response, question.options, strict=False)) / len(question.options)

    def describe_response(self, question, response):
        return " → ".join(_text(question, r) for r in response) if response else "(no answer)"

    def describe_right(self, question):
        return " → ".join(o.text for o in question.options)


def normalise_text(value: str) -> str:
    """Case, spaces and end punctuation do not matter in short text answers."""
    return " ".join(value.casefold().split()).rstrip(".,;:!? ").strip()


@register
class ShortText(QuestionType):
    """A typed answer matched against accepted variants."""

    name = "text"
    block = "none"
    MAX_LENGTH = 500

    def check(self, question):
        return [] if question.accept else ['a text question needs `accept: ["answer", "variant"]`']

    def validate(self, question, response):
        if response is None or response == "":
            return None
        if not isinstance(response, str):
            raise InvalidResponse(f"{question.id}: expected text")
        return response.strip()[: self.MAX_LENGTH]

    def grade(self, question, response):
        if not response:
            return 0.0
        given = normalise_text(response)
        return 1.0 if any(given == normalise_text(a) for a in question.accept) else 0.0

    def describe_right(self, question):
        return " or ".join(f"“{a}”" for a in question.accept)
