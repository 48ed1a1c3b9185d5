"""Reading one `## Question:` block of a quiz file: its settings, stem, answers and feedback, every problem with its line."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import yaml

from .model import Case, Option, Problem, Question
from .types import QUESTION_TYPES, QuestionType

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ATTRIBUTE = re.compile(r"^(?P<key>[a-z_]+):\s*(?P<value>.*)$")
ID_SUFFIX = re.compile(r"\s*\{#(?P<id>[^}\s]*)\}\s*$")
CHOICE = re.compile(r"^[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<text>.+)$")
PAIR = re.compile(r"^[-*]\s+(?P<left>.+?)\s+=>\s+(?P<right>.+)$")
ITEM = re.compile(r"^\d+[.)]\s+(?P<text>.+)$")
OPTION_FEEDBACK = re.compile(r"^\s{2,}>\s?(?P<text>.*)$")
GENERAL_FEEDBACK = re.compile(r"^>\s?(?P<text>.*)$")
QUESTION_KEYS = {"type", "case", "points", "accept"}


class Problems(list[Problem]):
    def add(self, line: int, message: str) -> None:
        self.append(Problem(line, message))


def _split_id(text: str, line: int, problems: Problems, what: str) -> tuple[str, str]:
    match = ID_SUFFIX.search(text)
    if not match:
        problems.add(line, f"{what} needs an id: end the line with {{#some-id}}")
        return text.strip(), ""
    option_id = match.group("id")
    if not SLUG.match(option_id):
        problems.add(line, f"{what} id {option_id!r} must be a slug: lower-case letters, digits and hyphens")
    return text[: match.start()].strip(), option_id


def _answer_kind(line: str) -> str | None:
    """Which answer syntax a line is written in; answer lines always end with their {#id}."""
    if not ID_SUFFIX.search(line):
        return None
    if CHOICE.match(line):
        return "choices"
    if PAIR.match(line):
        return "pairs"
    if ITEM.match(line):
        return "items"
    return None


def _attributes(body: list[tuple[int, str]], problems: Problems) -> tuple[dict[str, Any], int]:
    """The `key: value` lines right under a question heading, and the index of the first line after them."""
    attrs: dict[str, Any] = {}
    index = 0
    while index < len(body) and body[index][1].strip():
        number, text = body[index]
        match = ATTRIBUTE.match(text)
        if not match:
            break
        key = match.group("key")
        if key not in QUESTION_KEYS:
            problems.add(number, f"unknown question setting {key!r} (allowed: {', '.join(sorted(QUESTION_KEYS))})")
        else:
            try:
                attrs[key] = yaml.safe_load(match.group("value"))
            except yaml.YAMLError:
                problems.add(number, f"{key}: the value is not valid")
        index += 1
    return attrs, index


def _is_feedback_or_blank(text: str) -> bool:
    return bool(GENERAL_FEEDBACK.match(text)) or not text.strip()


def _regions(rest: list[tuple[int, str]], answer_at: list[int]) -> tuple[int, int, int]:
    """Where the answers start, where the general feedback starts and where it ends.

    General feedback is the trailing run of `> ` lines (at the start of a line) after the answers; a
    text question has no answers, so its stem is everything before that feedback.
    """
    first = answer_at[0] if answer_at else 0
    end = len(rest)
    while end > first and not rest[end - 1][1].strip():
        end -= 1
    feedback_start = end
    while feedback_start > first and _is_feedback_or_blank(rest[feedback_start - 1][1]):
        feedback_start -= 1
    while feedback_start < end and not rest[feedback_start][1].strip():
        feedback_start += 1
    if answer_at and feedback_start <= answer_at[-1]:
        feedback_start = end
    return (first if answer_at else feedback_start), feedback_start, end


class _Answers:
    """The answer lines of one question as they are read: options, matching pairs and per-option feedback."""

    def __init__(self, kind_name: str, block: str, problems: Problems):
        self.kind_name, self.block, self.problems = kind_name, block, problems
        self.options: list[Option] = []
        self.pairs: list[tuple[str, str, str]] = []
        self.feedback: list[list[str]] = []

    def read(self, number: int, text: str) -> None:
        found = _answer_kind(text)
        if found and found != self.block:
            self.problems.add(number, f"a {found[:-1]} line in a {self.kind_name} question (see course/README.md)")
            return
        feedback = OPTION_FEEDBACK.match(text)
        if found:
            self.options.append(self._option(found, number, text))
            self.feedback.append([])
        elif feedback and self.feedback:
            self.feedback[-1].append(feedback.group("text"))
        else:
            self.problems.add(number, "unexpected text among the answers: each answer line ends with its {#id}, "
                                      "feedback lines start with `  > `")

    def _option(self, found: str, number: int, text: str) -> Option:
        if found == "choices":
            choice = _match(CHOICE, text)
            label, oid = _split_id(choice.group("text"), number, self.problems, "option")
            return Option(oid, label, choice.group("mark") in "xX", line=number)
        if found == "pairs":
            pair = _match(PAIR, text)
            right, pid = _split_id(pair.group("right"), number, self.problems, "pair")
            self.pairs.append((pid, pair.group("left").strip(), right))
            return Option(pid, right, True, line=number)
        label, oid = _split_id(_match(ITEM, text).group("text"), number, self.problems, "item")
        return Option(oid, label, True, line=number)

    def finished(self) -> list[Option]:
        return [replace(o, feedback="\n".join(fb).strip()) for o, fb in zip(self.options, self.feedback, strict=True)]


def _match(pattern: re.Pattern[str], text: str) -> re.Match[str]:
    match = pattern.match(text)
    assert match is not None, "only called on lines _answer_kind recognised"
    return match


def _points(qid: str, line: int, attrs: dict[str, Any], problems: Problems) -> float:
    points = attrs.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        problems.add(line, f"question {qid}: points must be a number above 0")
        return 1.0
    return float(points)


def _accept(qid: str, line: int, attrs: dict[str, Any], problems: Problems) -> tuple[str, ...]:
    accept = attrs.get("accept") or ()
    if isinstance(accept, str):
        accept = (accept,)
    if not isinstance(accept, (list, tuple)) or not all(isinstance(a, (str, int, float)) for a in accept):
        problems.add(line, f"question {qid}: accept must be a list of answers")
        return ()
    return tuple(str(a) for a in accept)


def _case_id(qid: str, line: int, attrs: dict[str, Any], cases: dict[str, Case], problems: Problems) -> str | None:
    case_id = attrs.get("case")
    if case_id is not None and str(case_id) not in cases:
        problems.add(line, f"question {qid}: case {case_id!r} is not defined above it (## Case: {case_id})")
    return str(case_id) if case_id else None


def _check_question(question: Question, kind: QuestionType, problems: Problems) -> None:
    qid, line = question.id, question.line
    seen: set[str] = set()
    for option in question.options:
        if option.id and option.id in seen:
            problems.add(line, f"question {qid}: option id {option.id!r} is used twice")
        seen.add(option.id)
    if not question.stem:
        problems.add(line, f"question {qid}: the question text is empty")
    for message in kind.check(question):
        problems.add(line, f"question {qid}: {message}")
    per_option = bool(question.options) and all(o.feedback for o in question.options) and kind.block == "choices"
    if not question.feedback and not per_option:
        problems.add(line, f"question {qid}: needs feedback: a `> ` paragraph after the answers, or `  > ` under every option")


def read_question(qid: str, heading_line: int, body: list[tuple[int, str]], cases: dict[str, Case],
              problems: Problems) -> Question | None:
    attrs, index = _attributes(body, problems)
    kind_name = attrs.get("type")
    if kind_name not in QUESTION_TYPES:
        problems.add(heading_line, f"question {qid}: `type:` must be one of {', '.join(sorted(QUESTION_TYPES))} (right under the heading)")
        return None
    kind = QUESTION_TYPES[kind_name]()
    rest = body[index:]
    answer_at = [i for i, (_n, text) in enumerate(rest) if _answer_kind(text)] if kind.block != "none" else []
    if kind.block != "none" and not answer_at:
        problems.add(heading_line, f"question {qid}: no answers found (see the {kind_name} syntax in course/README.md)")
        return None
    first, feedback_start, end = _regions(rest, answer_at)
    answers = _Answers(kind_name, kind.block, problems)
    for number, text in rest[first:feedback_start]:
        if text.strip():
            answers.read(number, text)
    question = Question(
        id=qid, type=kind_name, stem="\n".join(text for _n, text in rest[:first]).strip(),
        points=_points(qid, heading_line, attrs, problems), case_id=_case_id(qid, heading_line, attrs, cases, problems),
        options=tuple(answers.finished()), pairs=tuple(answers.pairs), accept=_accept(qid, heading_line, attrs, problems),
        feedback="\n".join(_match(GENERAL_FEEDBACK, t).group("text") for _n, t in rest[feedback_start:end] if t.strip()),
        line=heading_line,
    )
    _check_question(question, kind, problems)
    return question
