"""Reading the Markdown quiz format (see course/README.md), reporting every problem with its line."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from .model import GRADING_METHODS, REVIEW_MODES, Case, Question, Quiz, QuizParseError, QuizSettings
from .questionblock import SLUG, Problems, read_question

HEADING = re.compile(r"^##\s+(?P<kind>Question|Case)\s*:\s*(?P<id>\S+)\s*$")
SETTINGS = {"id", "title", "pass_mark", "attempts", "shuffle_questions", "shuffle_options", "draw",
            "time_limit_minutes", "grading", "review"}


def _front_matter(lines: list[str], problems: Problems) -> tuple[dict[str, Any], int]:
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


def _optional_count(data: dict[str, Any], key: str, what: str, at: Callable[[str], int], problems: Problems) -> int | None:
    value = data.get(key)
    if value is not None and _int(value, 1) is None:
        problems.add(at(key), f"{key} must be a number of {what} from 1 up, not {value!r}")
        return None
    return value


def _one_of(data: dict[str, Any], key: str, allowed: tuple[str, ...], at: Callable[[str], int], problems: Problems) -> str:
    value = data.get(key, allowed[0])
    if value not in allowed:
        problems.add(at(key), f"{key} must be one of {', '.join(allowed)}")
        return allowed[0]
    return value


def _flag(data: dict[str, Any], key: str, default: bool, at: Callable[[str], int], problems: Problems) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        problems.add(at(key), f"{key} must be true or false")
        return default
    return value


def _settings(data: dict[str, Any], lines: list[str], problems: Problems) -> QuizSettings:
    def at(key: str) -> int:
        return _key_line(lines, key)

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
    # GRADING_METHODS and REVIEW_MODES list their default first.
    return QuizSettings(
        pass_mark=pass_mark or 70, attempts=attempts,
        draw=_optional_count(data, "draw", "questions", at, problems),
        time_limit_minutes=_optional_count(data, "time_limit_minutes", "minutes", at, problems),
        grading=_one_of(data, "grading", GRADING_METHODS, at, problems),
        review=_one_of(data, "review", REVIEW_MODES, at, problems),
        shuffle_questions=_flag(data, "shuffle_questions", False, at, problems),
        shuffle_options=_flag(data, "shuffle_options", True, at, problems),
    )


Block = tuple[str, str, int, list[tuple[int, str]]]  # kind (Question or Case), id, heading line, body lines


def _blocks(lines: list[str], body_start: int, problems: Problems) -> tuple[list[str], list[Block]]:
    """The intro lines and the `## Question:` / `## Case:` blocks of a quiz body."""
    blocks: list[Block] = []
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
    return intro, blocks


def _read_blocks(blocks: list[Block], problems: Problems) -> tuple[dict[str, Case], list[Question]]:
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
            question = read_question(block_id, number, body, cases, problems)
            if question:
                questions.append(question)
    return cases, questions


def parse_quiz(text: str) -> Quiz:
    """Parse a quiz file; raises QuizParseError listing every problem with its line."""
    lines = text.splitlines()
    problems = Problems()
    data, body_start = _front_matter(lines, problems)
    settings = _settings(data, lines, problems)
    quiz_id = data.get("id")
    if not isinstance(quiz_id, str) or not SLUG.match(quiz_id):
        problems.add(_key_line(lines, "id"), f"the quiz needs an `id:` slug (lower-case letters, digits, hyphens), not {quiz_id!r}")
        quiz_id = ""
    intro, blocks = _blocks(lines, body_start, problems)
    cases, questions = _read_blocks(blocks, problems)
    if not blocks:
        problems.add(body_start + 1 if body_start < len(lines) else 1, "the quiz has no questions (## Question: id)")
    if settings.draw is not None and settings.draw > len(questions) and questions:
        problems.add(_key_line(lines, "draw"), f"draw is {settings.draw} but the quiz has only {len(questions)} questions")
    if problems:
        raise QuizParseError(sorted(problems, key=lambda p: p.line))
    return Quiz(id=quiz_id, title=str(data.get("title") or quiz_id), intro="\n".join(intro).strip(), settings=settings,
                questions=tuple(questions), cases=cases)
