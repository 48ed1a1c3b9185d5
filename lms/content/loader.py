"""Loading, validating and rendering a course folder (manifest + Markdown)."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from lms.content import frontmatter

from .collector import Collector
from .itemchecks import check_items
from .model import MANIFEST, Course, CourseInvalid, Problem
from .units import load_units


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
    root = Path(path).resolve()
    loader = Collector(root)
    if not root.is_dir():
        return None, [Problem(str(path), 1, "course folder not found")]
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        return None, [Problem(MANIFEST, 1, f"the course folder has no {MANIFEST} manifest")]
    hostile = _screen_files(root, manifest_path)
    if hostile:
        return None, hostile
    try:
        manifest_text = manifest_path.read_text(encoding="utf-8")
        manifest, key_lines, item_lines = frontmatter.parse_yaml_mapping(manifest_text)
    except UnicodeDecodeError as exc:
        return None, [Problem(MANIFEST, 1, f"not UTF-8 text ({exc.reason})")]
    except frontmatter.FrontMatterError as exc:
        return None, [Problem(MANIFEST, exc.line, exc.message)]
    loader.manifest_lines = frontmatter.path_lines(yaml.compose(manifest_text, Loader=yaml.SafeLoader))
    course = load_units(loader, manifest, key_lines, item_lines)
    if course is not None:
        loader.problems.extend(check_items(course))
        _check_option_ids(loader, course)
    course_obj = None
    if course is not None and not any(p.severity == "error" for p in loader.problems):
        course.content_hash = _content_hash(root)
        course.warnings = [p for p in loader.problems if p.severity == "warning"]
        course_obj = course
    return course_obj, loader.problems


QUIZ_SETTING = re.compile(r"^(?:type|case|points|accept):(?P<value>.*)$")


def _screen_files(root: Path, manifest_path: Path) -> list[Problem]:
    """Refuse, before any parsing, files too big to be course content and YAML built to stall the parser.

    The manifest and every Markdown file's front matter (and a quiz's per-question settings, also
    YAML) are scanned for anchors, aliases and deep nesting; see frontmatter.screen.
    """
    problems: list[Problem] = []
    if manifest_path.stat().st_size > frontmatter.MAX_MANIFEST_BYTES:
        return [Problem(MANIFEST, 1, f"the manifest is larger than {frontmatter.MAX_MANIFEST_BYTES // 1024} KiB")]
    try:
        frontmatter.screen(manifest_path.read_text(encoding="utf-8", errors="replace"))
    except frontmatter.FrontMatterError as exc:
        problems.append(Problem(MANIFEST, exc.line, exc.message))
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        if "/." in f"/{rel}" or not path.is_file():
            continue
        if path.stat().st_size > frontmatter.MAX_MARKDOWN_BYTES:
            problems.append(Problem(rel, 1, f"the file is larger than {frontmatter.MAX_MARKDOWN_BYTES // 1024} KiB"))
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            block = frontmatter.front_matter_block(text)
            if block is not None:
                frontmatter.screen(block[0], block[1], syntax_errors=False)
            if QUIZ_HEADING.search(text):
                for number, line in enumerate(text.splitlines(), start=1):
                    match = QUIZ_SETTING.match(line)
                    if match:
                        frontmatter.screen(match.group("value"), number - 1, syntax_errors=False)
        except frontmatter.FrontMatterError as exc:
            problems.append(Problem(rel, exc.line, exc.message))
    return problems


QUIZ_HEADING = re.compile(r"^##\s+Question\s*:", re.MULTILINE)

CHOICE_LINE = re.compile(r"^[-*]\s+\[[ xX]\]\s+\S")
OPTION_ID = re.compile(r"\{#[^}\s]*\}\s*$")


def _check_option_ids(loader: Collector, course: Course) -> None:
    """An option line that lost its `{#id}` would silently join the question text: say so, with its line."""
    for content in course.quizzes.values():
        text = loader.read(loader.root / content.source, content.source, 1) or ""
        for number, line in enumerate(text.splitlines(), start=1):
            if CHOICE_LINE.match(line) and not OPTION_ID.search(line):
                loader.error(content.source, number, "this option has no id: end the line with {#option-id}, "
                                                     "so answers stay attached to it when the text changes")
