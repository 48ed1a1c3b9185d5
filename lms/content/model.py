"""The course model: units, modules, lessons and quizzes as loaded, and the problems a check reports."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import quizzes

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UNIT_KINDS = ("core", "pilot", "refresher")
MANIFEST = "course.yaml"
GLOSSARY = "glossary.md"

MANIFEST_KEYS = {"id", "title", "version", "organisation", "language", "stigmatising_terms", "units", "description"}
UNIT_KEYS = {
    "id", "kind", "title", "study_hours", "modules", "final_quiz", "quiz",
    "requires_pilot_plan", "requires_pilot_report", "opens_after_days", "summary",
}
MODULE_KEYS = {"id", "title", "summary", "minutes", "objectives", "lessons", "quiz", "trainer_notes"}
LESSON_KEYS = {"id", "title", "minutes"}
NOTES_KEYS = {"id", "title"}
GLOSSARY_KEYS = {"id", "title"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


class CourseError(Exception):
    """Base error of course loading."""


class CourseInvalid(CourseError):
    """A course folder with errors; `problems` lists them."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    """One finding of the course check, reported as `file:line: message`."""

    file: str
    line: int
    message: str
    severity: str = "error"

    def format(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}: {prefix}{self.message}"


@dataclass
class Lesson:
    id: str
    title: str
    minutes: int
    html: str
    module_id: str
    source: str


@dataclass
class Module:
    id: str
    title: str
    summary: str
    minutes: int
    objectives: list[str]
    intro_html: str
    lesson_ids: list[str]
    quiz_id: str | None
    trainer_notes_html: str | None
    unit_id: str
    source: str


@dataclass
class Unit:
    id: str
    kind: str
    title: str
    study_hours: float
    module_ids: list[str]
    quiz_id: str | None  # the unit's own quiz: final assessment (core) or refresher quiz
    requires_pilot_plan: bool
    requires_pilot_report: bool
    opens_after_days: int


@dataclass
class QuizContent:
    """A parsed quiz plus its Markdown rendered once: `html[key]` for stems, options, feedback."""

    quiz: quizzes.Quiz
    source: str
    owner: str  # a module id or a unit id
    html: dict[str, str] = field(default_factory=dict)


@dataclass
class Course:
    id: str
    title: str
    version: str
    content_hash: str
    organisation: str
    language: str
    units: list[Unit]
    modules: dict[str, Module]
    lessons: dict[str, Lesson]
    quizzes: dict[str, QuizContent]
    glossary_html: str | None
    path: Path
    warnings: list[Problem] = field(default_factory=list)

    @property
    def full_version(self) -> str:
        """What every record stores: the manifest version plus the content hash."""
        return f"{self.version}+{self.content_hash}"

    def unit(self, kind_or_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == kind_or_id), None) or next(
            (u for u in self.units if u.kind == kind_or_id), None
        )

    def module_lessons(self, module_id: str) -> list[Lesson]:
        return [self.lessons[i] for i in self.modules[module_id].lesson_ids]

    def unit_modules(self, unit: Unit) -> list[Module]:
        return [self.modules[m] for m in unit.module_ids]

    def all_quizzes_of(self, unit: Unit) -> list[str]:
        """Quiz ids that count towards a unit: module quizzes, then the unit's own quiz."""
        ids = [m.quiz_id for m in self.unit_modules(unit) if m.quiz_id]
        return ids + ([unit.quiz_id] if unit.quiz_id else [])

    def neighbours(self, lesson_id: str) -> tuple[Lesson | None, Lesson | None]:
        """Previous and next lesson in course order."""
        order = [lid for u in self.units for m in u.module_ids for lid in self.modules[m].lesson_ids]
        index = order.index(lesson_id)
        prev_id = order[index - 1] if index > 0 else None
        next_id = order[index + 1] if index + 1 < len(order) else None
        return (self.lessons.get(prev_id) if prev_id else None, self.lessons.get(next_id) if next_id else None)
