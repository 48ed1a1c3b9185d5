"""Walking the manifest: units, modules, lessons, quizzes and the glossary."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import quizzes

from .collector import Collector
from .markdown import heading_ids
from .model import (
    GLOSSARY,
    GLOSSARY_KEYS,
    LESSON_KEYS,
    MANIFEST,
    MANIFEST_KEYS,
    MODULE_KEYS,
    NOTES_KEYS,
    UNIT_KEYS,
    UNIT_KINDS,
    Course,
    Lesson,
    Module,
    QuizContent,
    Unit,
)


def _number(value: Any, default: float) -> float | None:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return None
    return float(value)


def load_units(loader: Collector, manifest: dict, key_lines: dict, item_lines: dict) -> Course | None:
    """Walk the manifest; every problem goes to the loader; returns a Course or None."""
    for key in manifest:
        if key not in MANIFEST_KEYS:
            loader.error(MANIFEST, key_lines.get(key, 1), f"unknown manifest key {key!r}")
    for key in ("id", "title", "version", "units"):
        if key not in manifest:
            loader.error(MANIFEST, 1, f"the manifest needs `{key}:`")
    terms = manifest.get("stigmatising_terms") or []
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        loader.error(MANIFEST, key_lines.get("stigmatising_terms", 1), "stigmatising_terms must be a list of words")
        terms = []
    loader.terms = [re.compile(rf"(?<![\w-]){re.escape(t)}(?![\w-])", re.IGNORECASE) for t in terms]
    course_id = loader.claim_id(manifest.get("id", "course"), MANIFEST, key_lines.get("id", 1), "course")
    units_raw = manifest.get("units")
    if not isinstance(units_raw, list) or not units_raw:
        loader.error(MANIFEST, key_lines.get("units", 1), "`units:` must be a non-empty list")
        units_raw = []

    course = Course(
        id=course_id or "course",
        title=str(manifest.get("title", "")),
        version=str(manifest.get("version", "")),
        content_hash="",
        organisation=str(manifest.get("organisation", "")),
        language=str(manifest.get("language", "en")),
        units=[], modules={}, lessons={}, quizzes={}, glossary_html=None, path=loader.root,
    )
    seen_kinds: dict[str, int] = {}
    for index, raw in enumerate(units_raw):
        line = item_lines.get("units", [1] * len(units_raw))[index]
        unit = _load_unit(loader, course, raw, index)
        if unit:
            if unit.kind in seen_kinds:
                loader.error(MANIFEST, line, f"a second unit of kind {unit.kind!r} (one of each kind at most)")
            seen_kinds[unit.kind] = line
            course.units.append(unit)
    if units_raw and "core" not in seen_kinds:
        loader.error(MANIFEST, key_lines.get("units", 1), "the course needs a unit of kind `core`")

    glossary = loader.root / GLOSSARY
    if glossary.is_file():
        fm = loader.front(glossary, GLOSSARY_KEYS, ())
        if fm:
            course.glossary_html = loader.markdown(fm.body, glossary, fm.body_line - 1)

    _finish(loader, course)
    return course


def _finish(loader: Collector, course: Course) -> None:
    _check_links(loader, course)
    for lesson in course.lessons.values():
        lesson.html = loader.finish_links(lesson.html)
    for module in course.modules.values():
        module.intro_html = loader.finish_links(module.intro_html)
        if module.trainer_notes_html:
            module.trainer_notes_html = loader.finish_links(module.trainer_notes_html)
    for content in course.quizzes.values():
        content.html = {k: loader.finish_links(v) for k, v in content.html.items()}
    if course.glossary_html:
        course.glossary_html = loader.finish_links(course.glossary_html)


def _check_links(loader: Collector, course: Course) -> None:
    """Every link to another page names a lesson, a module or the glossary (and a term the glossary has)."""
    pages = {path: course.lessons[lid].html for path, lid in loader.lesson_by_path.items()}
    pages.update({path: course.modules[mid].intro_html for path, mid in loader.module_by_path.items()})
    if course.glossary_html is not None:
        pages[GLOSSARY] = course.glossary_html
    for file, line, target, anchor in loader.pending_links:
        if target not in pages:
            loader.error(file, line, f"link to {target} is not a lesson, a module or the glossary of this course")
        elif target == GLOSSARY and anchor and anchor not in heading_ids(pages[target]):
            loader.error(file, line, f"link to {target}#{anchor}: the glossary has no term with that anchor")


def _load_unit(loader: Collector, course: Course, raw: Any, index: int) -> Unit | None:
    line = loader.manifest_line("units", index)
    at = lambda *keys: loader.manifest_line("units", index, *keys)  # noqa: E731
    if not isinstance(raw, dict):
        loader.error(MANIFEST, line, "each unit must be a mapping with id, kind, title and modules")
        return None
    for key in raw:
        if key not in UNIT_KEYS:
            loader.error(MANIFEST, at(key), f"unknown unit key {key!r}")
    unit_id = loader.claim_id(raw.get("id"), MANIFEST, at("id"), "unit")
    kind = raw.get("kind")
    if kind not in UNIT_KINDS:
        loader.error(MANIFEST, at("kind"), f"unit kind {kind!r} must be one of {', '.join(UNIT_KINDS)}")
    hours = _number(raw.get("study_hours"), 0.0)
    days = _number(raw.get("opens_after_days"), 180.0)
    if hours is None:
        loader.error(MANIFEST, at("study_hours"), "study_hours must be a number of hours, 0 or more")
    if days is None:
        loader.error(MANIFEST, at("opens_after_days"), "opens_after_days must be a whole number of days, 0 or more")
    modules = raw.get("modules") or []
    if not isinstance(modules, list):
        loader.error(MANIFEST, line, "`modules:` must be a list of module folder names")
        modules = []
    if unit_id is None or kind not in UNIT_KINDS:
        return None
    unit = Unit(
        id=unit_id, kind=kind, title=str(raw.get("title") or unit_id), study_hours=hours or 0.0,
        module_ids=[], quiz_id=None,
        requires_pilot_plan=bool(raw.get("requires_pilot_plan", False)),
        requires_pilot_report=bool(raw.get("requires_pilot_report", False)),
        opens_after_days=int(days or 0),
    )
    for position, folder in enumerate(modules):
        module = _load_module(loader, course, str(folder), unit_id, at("modules", position))
        if module:
            unit.module_ids.append(module.id)
    quiz_key = "final_quiz" if raw.get("final_quiz") else "quiz"
    if raw.get("final_quiz") and raw.get("quiz"):
        loader.error(MANIFEST, line, "a unit has one quiz: use either `quiz:` or `final_quiz:`")
    if raw.get(quiz_key):
        unit.quiz_id = _load_quiz(loader, course, loader.root / str(raw[quiz_key]), MANIFEST, at(quiz_key), unit_id)
    return unit


def _load_module(loader: Collector, course: Course, folder: str, unit_id: str, line: int) -> Module | None:
    folder_path = loader.root / "modules" / folder
    path = folder_path / "module.md"
    if not path.is_file():
        loader.error(MANIFEST, line, f"module {folder!r}: file not found: modules/{folder}/module.md")
        return None
    fm = loader.front(path, MODULE_KEYS, ("id", "title", "lessons"))
    if fm is None:
        return None
    file = loader.rel(path)
    module_id = loader.claim_id(fm.data.get("id"), file, fm.line_of("id"), "module")
    if module_id is None:
        return None
    objectives = fm.data.get("objectives") or []
    if not isinstance(objectives, list):
        loader.error(file, fm.line_of("objectives"), "objectives must be a list")
        objectives = []
    minutes = _number(fm.data.get("minutes"), 0)
    if minutes is None:
        loader.error(file, fm.line_of("minutes"), "minutes must be a number")
    loader.module_by_path[file] = module_id
    module = Module(
        id=module_id, title=str(fm.data.get("title", module_id)), summary=str(fm.data.get("summary") or ""),
        minutes=int(minutes or 0), objectives=[str(o) for o in objectives],
        intro_html=loader.markdown(fm.body, path, fm.body_line - 1), lesson_ids=[], quiz_id=None,
        trainer_notes_html=None, unit_id=unit_id, source=file,
    )
    lessons = fm.data.get("lessons") or []
    if not isinstance(lessons, list):
        loader.error(file, fm.line_of("lessons"), "lessons must be a list of file names")
        lessons = []
    for index, name in enumerate(lessons):
        lesson = _load_lesson(loader, course, folder_path / str(name), module_id, file, fm.line_of("lessons", index))
        if lesson:
            module.lesson_ids.append(lesson.id)
    listed = {str(n) for n in lessons} | {"module.md", str(fm.data.get("quiz")), str(fm.data.get("trainer_notes"))}
    for extra in sorted(p.name for p in folder_path.glob("*.md")):
        if extra not in listed:
            loader.warn(loader.rel(folder_path / extra), 1, "this file is not listed in module.md, so learners never see it")
    if fm.data.get("quiz"):
        module.quiz_id = _load_quiz(loader, course, folder_path / str(fm.data["quiz"]), file, fm.line_of("quiz"), module_id)
    if fm.data.get("trainer_notes"):
        notes_path = folder_path / str(fm.data["trainer_notes"])
        if not notes_path.is_file():
            loader.error(file, fm.line_of("trainer_notes"), f"file not found: {loader.rel(notes_path)}")
        else:
            notes = loader.front(notes_path, NOTES_KEYS, ())
            if notes:
                module.trainer_notes_html = loader.markdown(notes.body, notes_path, notes.body_line - 1)
    course.modules[module_id] = module
    return module


def _load_lesson(loader: Collector, course: Course, path: Path, module_id: str, listed_in: str, line: int) -> Lesson | None:
    if not path.is_file():
        loader.error(listed_in, line, f"lesson file not found: {loader.rel(path)}")
        return None
    fm = loader.front(path, LESSON_KEYS, ("id", "title"))
    if fm is None:
        return None
    file = loader.rel(path)
    lesson_id = loader.claim_id(fm.data.get("id"), file, fm.line_of("id"), "lesson")
    if lesson_id is None:
        return None
    minutes = _number(fm.data.get("minutes"), 0)
    if minutes is None:
        loader.error(file, fm.line_of("minutes"), "minutes must be a number")
    loader.lesson_by_path[file] = lesson_id
    lesson = Lesson(
        id=lesson_id, title=str(fm.data.get("title", lesson_id)), minutes=int(minutes or 0),
        html=loader.markdown(fm.body, path, fm.body_line - 1), module_id=module_id, source=file,
    )
    course.lessons[lesson_id] = lesson
    return lesson


def _load_quiz(loader: Collector, course: Course, path: Path, listed_in: str, line: int, owner: str) -> str | None:
    text = loader.read(path, listed_in, line)
    if text is None:
        return None
    file = loader.rel(path)
    loader.check_terms(file, text)
    try:
        quiz = quizzes.parse_quiz(text)
    except quizzes.QuizParseError as exc:
        for problem in exc.problems:
            if problem.severity == "warning":
                loader.warn(file, problem.line, problem.message)
            else:
                loader.error(file, problem.line, problem.message)
        return None
    if loader.claim_id(quiz.id, file, 1, "quiz") is None:
        return None
    for question in quiz.questions:
        loader.claim_id(question.id, file, question.line, "question")
    for case in quiz.cases.values():
        loader.claim_id(case.id, file, case.line, "case")
    content = QuizContent(quiz=quiz, source=file, owner=owner)
    md = lambda text, at=1: loader.markdown(text, path, at - 1) if text else ""  # noqa: E731
    content.html["intro"] = md(quiz.intro)
    for case in quiz.cases.values():
        content.html[f"case:{case.id}"] = md(case.text, case.line)
    for question in quiz.questions:
        content.html[f"stem:{question.id}"] = md(question.stem, question.line)
        content.html[f"feedback:{question.id}"] = md(question.feedback, question.line)
        for option in question.options:
            content.html[f"option:{question.id}:{option.id}"] = md(option.text, question.line)
            content.html[f"option-feedback:{question.id}:{option.id}"] = md(option.feedback, question.line)
        for pair_id, left, _right in getattr(question, "pairs", ()) or ():
            content.html[f"left:{question.id}:{pair_id}"] = md(left, question.line)
    course.quizzes[quiz.id] = content
    return quiz.id

