"""Loading, validating and rendering a course folder (manifest + Markdown)."""
from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import quizzes
import yaml

from . import frontmatter
from .markdown import ROOT, render

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UNIT_KINDS = ("core", "pilot", "refresher")
MANIFEST = "course.yaml"

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

    def __init__(self, problems: list["Problem"]):
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


class _Loader:
    """Collects every problem in one pass so authors see them all at once."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.ids: dict[str, str] = {}  # id -> "file:line" of first use
        self.unit_ids: dict[str, str] = {}
        self.lesson_by_path: dict[str, str] = {}
        self.module_by_path: dict[str, str] = {}
        self.terms: list[re.Pattern[str]] = []
        self.pending_links: list[tuple[str, int, str]] = []
        self.manifest_lines: dict[tuple, int] = {}

    def manifest_line(self, *path, default: int = 1) -> int:
        """The manifest line of a path such as ("units", 0, "kind"), or of its nearest parent."""
        while path:
            if path in self.manifest_lines:
                return self.manifest_lines[path]
            path = path[:-1]
        return default

    # -- reporting -------------------------------------------------------
    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def error(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def warn(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message, "warning"))

    def claim_id(self, value: Any, file: str, line: int, what: str) -> str | None:
        if not isinstance(value, str) or not SLUG.match(value):
            self.error(file, line, f"{what} id {value!r} must be a slug: lower-case letters, digits and hyphens")
            return None
        space = self.unit_ids if what == "unit" else self.ids  # units have their own namespace
        if value in space:
            self.error(file, line, f"duplicate id {value!r} (first used at {space[value]})")
            return None
        space[value] = f"{file}:{line}"
        return value

    # -- files -----------------------------------------------------------
    def read(self, path: Path, file_for_error: str, line: int) -> str | None:
        if not path.is_file():
            self.error(file_for_error, line, f"file not found: {self.rel(path) if path.is_relative_to(self.root) else path}")
            return None
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            self.error(self.rel(path), 1, f"not UTF-8 text ({exc.reason})")
            return None

    def front(self, path: Path, allowed: set[str], required: tuple[str, ...]) -> frontmatter.FrontMatter | None:
        text = self.read(path, self.rel(path), 1)
        if text is None:
            return None
        file = self.rel(path)
        try:
            fm = frontmatter.split(text)
        except frontmatter.FrontMatterError as exc:
            self.error(file, exc.line, f"front matter: {exc.message}")
            return None
        for key in fm.data:
            if key not in allowed:
                self.error(file, fm.line_of(key), f"unknown front matter key {key!r} (allowed: {', '.join(sorted(allowed))})")
        for key in required:
            if key not in fm.data:
                self.error(file, 1, f"front matter needs `{key}:`")
        self.check_terms(file, text)
        return fm

    def check_terms(self, file: str, text: str) -> None:
        for number, line in enumerate(text.splitlines(), start=1):
            for pattern in self.terms:
                match = pattern.search(line)
                if match:
                    self.warn(file, number, f"stigmatising term {match.group(0)!r}: use person-first language")

    # -- Markdown --------------------------------------------------------
    def markdown(self, text: str, path: Path, line_offset: int) -> str:
        file = self.rel(path)

        def resolve(href: str, line: int, is_image: bool) -> tuple[str, str | None]:
            target, _, anchor = href.partition("#")
            if href.startswith("/"):
                return href, "absolute links are not portable; link to the file with a relative path"
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(file), target))
            if joined.startswith(".."):
                return href, f"link {href!r} points outside the course folder"
            if not (self.root / joined).is_file():
                return href, f"{'image' if is_image else 'link'} {href!r} does not resolve: no file {joined}"
            if is_image or Path(joined).suffix.lower() in IMAGE_SUFFIXES:
                if Path(joined).suffix.lower() not in IMAGE_SUFFIXES:
                    return href, f"image {href!r} is not a supported image type"
                return f"{ROOT}/learn/files/{joined}", None
            if Path(joined).suffix.lower() == ".md":
                self.pending_links.append((file, line, joined))
                return f"{ROOT}/@@MD:{joined}@@" + (f"#{anchor}" if anchor else ""), None
            return f"{ROOT}/learn/files/{joined}", None

        html, problems = render(text, resolve, line_offset)
        for line, message in problems:
            self.error(file, line, message)
        return html

    def finish_links(self, html: str) -> str:
        def replace(match: re.Match[str]) -> str:
            target = match.group(1)
            if target in self.lesson_by_path:
                return f"/learn/lessons/{self.lesson_by_path[target]}"
            if target in self.module_by_path:
                return f"/learn/modules/{self.module_by_path[target]}"
            return "/learn/"

        return re.sub(r"/@@MD:([^@]+)@@", replace, html)


def _content_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel == "README.md" or "/." in f"/{rel}":
            continue
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def load_course(path: str | Path) -> Course:
    """Load and render a course folder; raises CourseInvalid listing every error."""
    course, problems = check_course(path)
    errors = [p for p in problems if p.severity == "error"]
    if errors or course is None:
        raise CourseInvalid(errors or problems)
    return course


def check_course(path: str | Path) -> tuple[Course | None, list[Problem]]:
    """Validate a course folder; returns the course (None when it has errors) and all problems."""
    from .course_units import load_units  # the second half of the loader

    root = Path(path).resolve()
    loader = _Loader(root)
    if not root.is_dir():
        return None, [Problem(str(path), 1, "course folder not found")]
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        return None, [Problem(MANIFEST, 1, f"the course folder has no {MANIFEST} manifest")]
    try:
        manifest, key_lines, item_lines = frontmatter.parse_yaml_mapping(manifest_path.read_text(encoding="utf-8"))
    except frontmatter.FrontMatterError as exc:
        return None, [Problem(MANIFEST, exc.line, exc.message)]
    loader.manifest_lines = frontmatter.path_lines(yaml.compose(manifest_path.read_text(encoding="utf-8")))
    course = load_units(loader, manifest, key_lines, item_lines)
    course_obj = None
    if course is not None and not any(p.severity == "error" for p in loader.problems):
        course.content_hash = _content_hash(root)
        course.warnings = [p for p in loader.problems if p.severity == "warning"]
        course_obj = course
    return course_obj, loader.problems
