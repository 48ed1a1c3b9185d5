"""Collects every problem of a course check in one pass, so authors see them all at once."""
from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from lms.content import frontmatter
from lms.content.markdown import ROOT, render

from .model import GLOSSARY, IMAGE_SUFFIXES, SLUG, Problem


class Collector:
    """Collects every problem in one pass so authors see them all at once."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.ids: dict[str, str] = {}  # id -> "file:line" of first use
        self.unit_ids: dict[str, str] = {}
        self.lesson_by_path: dict[str, str] = {}
        self.module_by_path: dict[str, str] = {}
        self.terms: list[re.Pattern[str]] = []
        self.pending_links: list[tuple[str, int, str, str]] = []  # file, line, target, anchor
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
                self.pending_links.append((file, line, joined, anchor))
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
            if target == GLOSSARY:
                return "/learn/glossary"
            return "/learn/"

        return re.sub(r"/@@MD:([^@]+)@@", replace, html)
