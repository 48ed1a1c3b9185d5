"""Loading, validating and rendering a course folder (manifest + Markdown)."""
from __future__ import annotations

import hashlib
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
    try:
        manifest, key_lines, item_lines = frontmatter.parse_yaml_mapping(manifest_path.read_text(encoding="utf-8"))
    except frontmatter.FrontMatterError as exc:
        return None, [Problem(MANIFEST, exc.line, exc.message)]
    loader.manifest_lines = frontmatter.path_lines(yaml.compose(manifest_path.read_text(encoding="utf-8")))
    course = load_units(loader, manifest, key_lines, item_lines)
    if course is not None:
        loader.problems.extend(check_items(course))
    course_obj = None
    if course is not None and not any(p.severity == "error" for p in loader.problems):
        course.content_hash = _content_hash(root)
        course.warnings = [p for p in loader.problems if p.severity == "warning"]
        course_obj = course
    return course_obj, loader.problems
