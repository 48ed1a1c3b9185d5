"""The package's lesson pages: course HTML made portable, with every link pointing at a page in the package.

Links to a lesson become links to its page; links to a module, to its first lesson's page; course files (images,
handouts) are packed under files/ and listed with the lesson that uses them; any other link into the application
(quizzes, the journey) is dropped, keeping its text, since the package holds no such page. A fragment that names
no element of the target page is dropped too, so no link inside the package is dead.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from lms.content.markdown import ROOT
from lms.content.model import Course, Lesson

PAGE = """<!doctype html>
<html lang="{lang}" data-scorm="{version}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="style.css"></head>
<body><main id="main"><p class="crumbs">{module}</p><article class="prose"><h1>{title}</h1>{body}</article>
<p id="end" class="muted">{position}</p></main>
<script src="sco.js"></script></body></html>
"""
LINK = re.compile(r'<a\b([^>]*?)\bhref="([^"]*)"([^>]*)>(.*?)</a>', re.S)
SRC = re.compile(r'\bsrc="([^"]*)"')
IDS = re.compile(r'\bid="([^"]+)"')
FILES = f"{ROOT}/learn/files/"


def page_name(lesson_id: str) -> str:
    return f"lessons/{lesson_id}.html"


@dataclass
class Page:
    lesson: Lesson
    html: str
    files: list[str] = field(default_factory=list)  # course files it uses, relative to the course folder


def _ids(text: str) -> set[str]:
    return set(IDS.findall(text)) | {"top", "main", "end"}  # "#top" means the top of the page in HTML


def _course_file(course, rel: str) -> str | None:
    """A file inside the course folder, not hidden, that exists; else None."""
    parts = PurePosixPath(rel).parts
    if not parts or any(p.startswith(".") or p == ".." for p in parts):
        return None
    return rel if (course.path / rel).is_file() else None


def build_pages(course: Course, version: str) -> list[Page]:
    """Every lesson's page, in course order, with the course files each one uses."""
    order = [lid for unit in course.units for mid in unit.module_ids for lid in course.modules[mid].lesson_ids]
    ids = {lid: _ids(course.lessons[lid].html) for lid in order}
    pages = []
    for number, lesson_id in enumerate(order, start=1):
        lesson = course.lessons[lesson_id]
        files: list[str] = []

        def target(href: str, files: list[str] = files, lesson_id: str = lesson_id) -> str | None:
            """The package-relative href for an application href; None to drop the link."""
            if not href.startswith(ROOT):
                return href  # external, mailto: or an in-page anchor
            path, _, fragment = href[len(ROOT):].partition("#")
            to_lesson = None
            if path.startswith("/learn/lessons/"):
                to_lesson = path.rsplit("/", 1)[1]
            elif path.startswith("/learn/modules/"):
                module = course.modules.get(path.rsplit("/", 1)[1])
                to_lesson = module.lesson_ids[0] if module and module.lesson_ids else None
                fragment = ""
            elif path.startswith("/learn/files/"):
                rel = _course_file(course, path[len("/learn/files/"):])
                if rel is None:
                    return None
                if rel not in files:
                    files.append(rel)
                return f"../files/{rel}"
            if to_lesson not in ids:
                return None
            keep = fragment and fragment in ids[to_lesson]
            return f"{to_lesson}.html" + (f"#{fragment}" if keep else "")

        def link(match: re.Match[str]) -> str:
            new = target(html.unescape(match.group(2)))
            if new is None:
                return match.group(4)
            return f'<a{match.group(1)}href="{html.escape(new)}"{match.group(3)}>{match.group(4)}</a>'

        def source(match: re.Match[str]) -> str:
            new = target(html.unescape(match.group(1)))
            return f'src="{html.escape(new)}"' if new else 'src=""'

        body = SRC.sub(source, LINK.sub(link, lesson.html))
        module = course.modules[lesson.module_id]
        text = PAGE.format(lang=html.escape(course.language), version=version, title=html.escape(lesson.title),
                           module=html.escape(module.title), body=body,
                           position=f"Lesson {number} of {len(order)}")
        pages.append(Page(lesson, text, files))
    return pages
