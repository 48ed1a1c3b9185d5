"""Quiz questions and answers in xAPI's interaction format (xAPI 1.0.3, "Interaction Activities").

Each question type maps to an `interactionType` with the lists it needs (`choices`, `source`/`target`) and its
`correctResponsesPattern`; a learner's answer becomes `result.response` in the same syntax (`[,]` between items,
`[.]` between a matched pair). These go to the LRS from the server only: correct answers never reach a browser.
"""
from __future__ import annotations

from typing import Any

from quizzes.model import Question

TYPES = {"single": "choice", "truefalse": "true-false", "multiple": "choice", "matching": "matching",
         "ordering": "sequencing", "text": "fill-in"}
SEP, PAIR = "[,]", "[.]"
NAME_LENGTH = 120


def _words(text: str) -> str:
    return " ".join(text.split())


def _components(items: list[tuple[str, str]], lang: str) -> list[dict]:
    return [{"id": ident, "description": {lang: _words(text)}} for ident, text in items]


def _targets(question: Question) -> dict[str, str]:
    """Matching: each right text once, under the id of the first pair that has it (the form offers each once)."""
    first: dict[str, str] = {}
    for option in question.options:
        first.setdefault(option.text, option.id)
    return first


def definition(question: Question, lang: str) -> dict:
    """The activity definition of a question: name, description, interactionType, components, correct pattern."""
    stem = _words(question.stem) or question.id
    name = stem if len(stem) <= NAME_LENGTH else stem[: NAME_LENGTH - 1].rstrip() + "…"
    kind = TYPES.get(question.type, "other")
    result: dict[str, Any] = {"name": {lang: name}, "description": {lang: stem}, "interactionType": kind}
    right = [o.id for o in question.options if o.correct]
    if question.type in ("single", "multiple"):
        result["choices"] = _components([(o.id, o.text) for o in question.options], lang)
        result["correctResponsesPattern"] = [SEP.join(right)]
    elif question.type == "truefalse":
        result["correctResponsesPattern"] = right[:1]
    elif question.type == "ordering":
        result["choices"] = _components([(o.id, o.text) for o in question.options], lang)
        result["correctResponsesPattern"] = [SEP.join(o.id for o in question.options)]  # options are in right order
    elif question.type == "matching":
        targets = _targets(question)
        result["source"] = _components([(pid, left) for pid, left, _r in question.pairs], lang)
        result["target"] = _components([(tid, text) for text, tid in targets.items()], lang)
        result["correctResponsesPattern"] = [SEP.join(f"{pid}{PAIR}{targets[r]}" for pid, _l, r in question.pairs)]
    elif question.type == "text":
        result["correctResponsesPattern"] = [f"{{case_matters=false}}{answer}" for answer in question.accept]
    return result


def response(question: Question, value: Any) -> str:
    """A stored response (normal form, by type) in the interaction's response syntax; "" for no answer."""
    if value in (None, "", [], {}):
        return ""
    if question.type in ("single", "truefalse", "text"):
        return str(value)
    if question.type in ("multiple", "ordering"):
        return SEP.join(value)
    if question.type == "matching":
        texts = {o.id: o.text for o in question.options}
        targets = _targets(question)
        order = [pid for pid, _l, _r in question.pairs]
        chosen = sorted(value.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
        return SEP.join(f"{pid}{PAIR}{targets.get(texts.get(oid, ''), oid)}" for pid, oid in chosen)
    return str(value)
