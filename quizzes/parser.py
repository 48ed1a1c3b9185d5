"""Reading the Markdown quiz format (see course/README.md), reporting every problem with its line."""
from __future__ import annotations

import re
from typing import Any

import yaml

from .model import GRADING_METHODS, REVIEW_MODES, Case, Option, Problem, Question, Quiz, QuizParseError, QuizSettings
from .types import QUESTION_TYPES

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADING = re.compile(r"^##\s+(?P<kind>Question|Case)\s*:\s*(?P<id>\S+)\s*$")
ATTRIBUTE = re.compile(r"^(?P<key>[a-z_]+):\s*(?P<value>.*)$")
ID_SUFFIX = re.compile(r"\s*\{#(?P<id>[^}\s]*)\}\s*$")
CHOICE = re.compile(r"^[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<text>.+)$")
PAIR = re.compile(r"^[-*]\s+(?P<left>.+?)\s+=>\s+(?P<right>.+)$")
ITEM = re.compile(r"^\d+[.)]\s+(?P<text>.+)$")
OPTION_FEEDBACK = re.compile(r"^\s{2,}>\s?(?P<text>.*)$")
GENERAL_FEEDBACK = re.compile(r"^>\s?(?P<text>.*)$")
SETTINGS = {"id", "title", "pass_mark", "attempts", "shuffle_questions", "shuffle_options", "draw",
            "time_limit_minutes", "grading", "review"}
QUESTION_KEYS = {"type", "case", "points", "accept"}


class _Problems(list):
    def add(self, line: int, message: str) -> None:
        self.append(Problem(line, message))


def _front_matter(lines: list[str], problems: _Problems) -> tuple[dict[str, Any], int]:
    """The front matter mapping and the index of the first body line."""
    if not lines or lines[0].strip() != "---":
        problems.add(1, "a quiz starts with front matter between two `---` lines (id, title, pass_mark, ...)")
        return {}, 0
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            try:
                data = yaml.safe_load("\n".join(lines[1:index])) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                problems.add((mark.line + 2) if mark else 1, f"front matter: invalid YAML: {getattr(exc, 'problem', exc)}")
                return {}, index + 1
            if not isinstance(data, dict):
                problems.add(1, "front matter must be `key: value` lines")
                return {}, index + 1
            return data, index + 1
    problems.add(1, "front matter starts with '---' but has no closing '---' line")
    return {}, len(lines)


def _key_line(lines: list[str], key: str) -> int:
    for number, line in enumerate(lines, start=1):
        if line.startswith(f"{key}:"):
            return number
        if number > 1 and line.strip() == "---":
            break
    return 1


def _int(value: Any, low: int, high: int | None = None) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        return None
    return value


def _settings(data: dict[str, Any], lines: list[str], problems: _Problems) -> QuizSettings:
    at = lambda key: _key_line(lines, key)  # noqa: E731
    for key in data:
        if key not in SETTINGS:
            problems.add(at(key), f"unknown setting {key!r} (allowed: {', '.join(sorted(SETTINGS))})")
    pass_mark = _int(data.get("pass_mark", 70), 1, 100)
    if pass_mark is None:
        problems.add(at("pass_mark"), f"pass_mark must be a whole percentage from 1 to 100, not {data.get('pass_mark')!r}")
    attempts_raw = data.get("attempts", "unlimited")
    attempts = None if attempts_raw == "unlimited" else _int(attempts_raw, 1)
    if attempts_raw != "unlimited" and attempts is None:
        problems.add(at("attempts"), f"attempts must be a number from 1 up, or `unlimited`, not {attempts_raw!r}")
    draw = data.get("draw")
    if draw is not None and _int(draw, 1) is None:
        problems.add(at("draw"), f"draw must be a number of questions from 1 up, not {draw!r}")
        draw = None
    limit = data.get("time_limit_minutes")
    if limit is not None and _int(limit, 1) is None:
        problems.add(at("time_limit_minutes"), f"time_limit_minutes must be a number of minutes from 1 up, not {limit!r}")
        limit = None
    flags = {}
    for key, default in (("shuffle_questions", False), ("shuffle_options", True)):
        flags[key] = data.get(key, default)
        if not isinstance(flags[key], bool):
            problems.add(at(key), f"{key} must be true or false")
            flags[key] = default
    grading = data.get("grading", "highest")
    if grading not in GRADING_METHODS:
        problems.add(at("grading"), f"grading must be one of {', '.join(GRADING_METHODS)}")
        grading = "highest"
    review = data.get("review", "after_submit")
    if review not in REVIEW_MODES:
        problems.add(at("review"), f"review must be one of {', '.join(REVIEW_MODES)}")
        review = "after_submit"
    return QuizSettings(pass_mark=pass_mark or 70, attempts=attempts, draw=draw, time_limit_minutes=limit,
                        grading=grading, review=review, **flags)


def _split_id(text: str, line: int, problems: _Problems, what: str) -> tuple[str, str]:
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


def _question(qid: str, heading_line: int, body: list[tuple[int, str]], cases: dict[str, Case],
              problems: _Problems) -> Question | None:
    attrs: dict[str, Any] = {}
    index = 0
    while index < len(body) and ATTRIBUTE.match(body[index][1]) and body[index][1].strip():
        number, text = body[index]
        match = ATTRIBUTE.match(text)
        key = match.group("key")
        if key not in QUESTION_KEYS:
            problems.add(number, f"unknown question setting {key!r} (allowed: {', '.join(sorted(QUESTION_KEYS))})")
        else:
            try:
                attrs[key] = yaml.safe_load(match.group("value"))
            except yaml.YAMLError:
                problems.add(number, f"{key}: the value is not valid")
        index += 1
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
    first = answer_at[0] if answer_at else 0
    # General feedback: the trailing run of `> ` lines at the start of a line, after the answers.
    end = len(rest)
    while end > first and not rest[end - 1][1].strip():
        end -= 1
    feedback_start = end
    while feedback_start > first and (GENERAL_FEEDBACK.match(rest[feedback_start - 1][1]) or not rest[feedback_start - 1][1].strip()):
        feedback_start -= 1
    while feedback_start < end and not rest[feedback_start][1].strip():
        feedback_start += 1
    if answer_at and feedback_start <= answer_at[-1]:
        feedback_start = end
    if not answer_at:  # a text question: the stem is everything before its feedback
        first = feedback_start
    stem = "\n".join(text for _n, text in rest[:first]).strip()
    feedback = "\n".join(GENERAL_FEEDBACK.match(t).group("text") for _n, t in rest[feedback_start:end] if t.strip())

    options: list[Option] = []
    pairs: list[tuple[str, str, str]] = []
    option_feedback: list[list[str]] = []
    for number, text in rest[first:feedback_start]:
        if not text.strip():
            continue
        found = _answer_kind(text)
        if found and found != kind.block:
            problems.add(number, f"a {found[:-1]} line in a {kind_name} question (see course/README.md)")
            continue
        if found == "choices":
            match = CHOICE.match(text)
            label, oid = _split_id(match.group("text"), number, problems, "option")
            options.append(Option(oid, label, match.group("mark") in "xX"))
            option_feedback.append([])
        elif found == "pairs":
            match = PAIR.match(text)
            right, pid = _split_id(match.group("right"), number, problems, "pair")
            pairs.append((pid, match.group("left").strip(), right))
            options.append(Option(pid, right, True))
            option_feedback.append([])
        elif found == "items":
            label, oid = _split_id(ITEM.match(text).group("text"), number, problems, "item")
            options.append(Option(oid, label, True))
            option_feedback.append([])
        elif OPTION_FEEDBACK.match(text) and option_feedback:
            option_feedback[-1].append(OPTION_FEEDBACK.match(text).group("text"))
        else:
            problems.add(number, "unexpected text among the answers: each answer line ends with its {#id}, feedback lines start with `  > `")
    options = [Option(o.id, o.text, o.correct, "\n".join(fb).strip()) for o, fb in zip(options, option_feedback, strict=True)]
    seen: set[str] = set()
    for option in options:
        if option.id and option.id in seen:
            problems.add(heading_line, f"question {qid}: option id {option.id!r} is used twice")
        seen.add(option.id)
    points = attrs.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        problems.add(heading_line, f"question {qid}: points must be a number above 0")
        points = 1
    accept = attrs.get("accept") or ()
    if isinstance(accept, str):
        accept = (accept,)
    if not isinstance(accept, (list, tuple)) or not all(isinstance(a, (str, int, float)) for a in accept):
        problems.add(heading_line, f"question {qid}: accept must be a list of answers")
        accept = ()
    case_id = attrs.get("case")
    if case_id is not None and str(case_id) not in cases:
        problems.add(heading_line, f"question {qid}: case {case_id!r} is not defined above it (## Case: {case_id})")
    question = Question(
        id=qid, type=kind_name, stem=stem, points=float(points), case_id=str(case_id) if case_id else None,
        options=tuple(options), pairs=tuple(pairs), accept=tuple(str(a) for a in accept), feedback=feedback,
        line=heading_line,
    )
    if not stem:
        problems.add(heading_line, f"question {qid}: the question text is empty")
    for message in kind.check(question):
        problems.add(heading_line, f"question {qid}: {message}")
    if not feedback and not (options and all(o.feedback for o in options) and kind.block == "choices"):
        problems.add(heading_line, f"question {qid}: needs feedback: a `> ` paragraph after the answers, or `  > ` under every option")
    return question


def parse_quiz(text: str) -> Quiz:
    """Parse a quiz file; raises QuizParseError listing every problem with its line."""
    lines = text.splitlines()
    problems = _Problems()
    data, body_start = _front_matter(lines, problems)
    settings = _settings(data, lines, problems)
    quiz_id = data.get("id")
    if not isinstance(quiz_id, str) or not SLUG.match(quiz_id):
        problems.add(_key_line(lines, "id"), f"the quiz needs an `id:` slug (lower-case letters, digits, hyphens), not {quiz_id!r}")
    blocks: list[tuple[str, str, int, list[tuple[int, str]]]] = []
    intro: list[str] = []
    for number in range(body_start + 1, len(lines) + 1):
        line = lines[number - 1]
        match = HEADING.match(line)
        if match:
            blocks.append((match.group("kind"), match.group("id"), number, []))
        elif line.startswith("## "):
            problems.add(number, "a `##` heading in a quiz must be `## Question: id` or `## Case: id`")
        elif blocks:
            blocks[-1][3].append((number, line))
        else:
            intro.append(line)
    cases: dict[str, Case] = {}
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for kind, block_id, number, body in blocks:
        if not SLUG.match(block_id):
            problems.add(number, f"{kind.lower()} id {block_id!r} must be a slug: lower-case letters, digits and hyphens")
        if block_id in seen:
            problems.add(number, f"id {block_id!r} is used twice (first on line {seen[block_id]})")
        seen[block_id] = number
        if kind == "Case":
            cases[block_id] = Case(block_id, "\n".join(t for _n, t in body).strip(), number)
        else:
            question = _question(block_id, number, body, cases, problems)
            if question:
                questions.append(question)
    if not blocks:
        problems.add(body_start + 1 if body_start < len(lines) else 1, "the quiz has no questions (## Question: id)")
    if settings.draw is not None and settings.draw > len(questions) and questions:
        problems.add(_key_line(lines, "draw"), f"draw is {settings.draw} but the quiz has only {len(questions)} questions")
    if problems:
        raise QuizParseError(sorted(problems, key=lambda p: p.line))
    return Quiz(id=quiz_id, title=str(data.get("title") or quiz_id), intro="\n".join(intro).strip(), settings=settings,
                questions=tuple(questions), cases=cases)
