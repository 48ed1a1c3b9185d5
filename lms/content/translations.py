"""Course translations: `translations/<lang>/` mirrors the course's files, with the same relative paths and ids.

A translated file is the original with its text translated and two more front-matter keys:

    translation_status: draft        # or reviewed
    source_hash: 3f2a9c41d0b7        # `lms check-course` prints it: the first 12 hex digits of the original's SHA-256

A language's course is loaded like the original, reading each translated file in place of its
original; what is not translated stays English. Links and images are written as in the
original (relative to the original's folder), so a translation needs no copies of images.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lms.content import frontmatter

from .collector import Collector
from .markdown import heading_ids
from .model import GLOSSARY, MANIFEST, Course, Problem
from .units import load_units

FOLDER = "translations"
STATUSES = ("draft", "reviewed")
_KEY_LINE = re.compile(r"^(translation_status|source_hash)\s*:.*$", re.MULTILINE)


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


@dataclass
class FileState:
    status: str  # draft | reviewed
    current: bool  # False when the original changed since the translation was made


@dataclass
class Translation:
    """One language's course: the loaded Course and the state of each translated file (by original path)."""

    language: str
    course: Course
    files: dict[str, FileState] = field(default_factory=dict)

    def status_of(self, source: str) -> str:
        """missing (shown in English), draft, outdated or reviewed."""
        state = self.files.get(source)
        if state is None:
            return "missing"
        if not state.current:
            return "outdated"
        return state.status


class _TranslatingCollector(Collector):
    """Reads `translations/<lang>/<path>` in place of `<path>` where it exists, and notes its state."""

    def __init__(self, root: Path, language: str):
        super().__init__(root)
        self.language = language
        self.folder = root / FOLDER / language
        self.files: dict[str, FileState] = {}
        self.front_data: dict[str, dict] = {}

    def read(self, path: Path, file_for_error: str, line: int) -> str | None:
        original = super().read(path, file_for_error, line)
        if original is None or not path.is_relative_to(self.root):
            return original
        rel = self.rel(path)
        translated = self.folder / rel
        if not translated.is_file():
            return original
        where = f"{FOLDER}/{self.language}/{rel}"
        try:
            text = translated.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            self.error(where, 1, f"not UTF-8 text ({exc.reason})")
            return original
        try:
            data = frontmatter.split(text).data
        except frontmatter.FrontMatterError as exc:
            self.error(where, exc.line, f"front matter: {exc.message}")
            return original
        status, recorded = data.get("translation_status"), str(data.get("source_hash") or "")
        if status not in STATUSES:
            self.error(where, 1, f"front matter needs `translation_status: draft` or `translation_status: reviewed` (found {status!r})")
            status = "draft"
        actual = source_hash(path)
        if not recorded:
            self.error(where, 1, f"front matter needs `source_hash: {actual}` (the original this translates)")
        elif recorded != actual:
            self.warn(where, 1, f"outdated: {rel} changed since this translation was made (source_hash {recorded}, now {actual}); "
                                "update the translation, then the hash")
        self.files[rel] = FileState(status=str(status), current=recorded == actual)
        self.front_data[rel] = data
        # The two keys become comments, so the engine's own checks see the original's keys and line numbers.
        return _KEY_LINE.sub(lambda m: "# " + m.group(0), text)


def _where(problem: Problem, collector: _TranslatingCollector) -> Problem:
    """A problem found in a translated file is reported at the translated file."""
    if problem.file in collector.files and not problem.file.startswith(FOLDER + "/"):
        return Problem(f"{FOLDER}/{collector.language}/{problem.file}", problem.line, problem.message, problem.severity)
    return problem


def languages_in(root: Path) -> list[str]:
    folder = root / FOLDER
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def load_translation(english: Course, language: str) -> tuple[Translation | None, list[Problem]]:
    """The course in `language` (English where untranslated) and the problems of its translated files."""
    root = english.path
    collector = _TranslatingCollector(root, language)
    manifest_path = root / MANIFEST
    text = manifest_path.read_text(encoding="utf-8")
    manifest, key_lines, item_lines = frontmatter.parse_yaml_mapping(text)
    collector.manifest_lines = frontmatter.path_lines(yaml.compose(text))
    course = load_units(collector, manifest, key_lines, item_lines)
    # Warnings in untranslated (English) files were reported by the English check already; an error there
    # is the translation's doing (say, a glossary term a lesson links to is missing from the translated glossary).
    problems = []
    for found in collector.problems:
        problem = _where(found, collector)
        if problem.file.startswith(FOLDER + "/"):
            problems.append(problem)
        elif problem.severity == "error":
            problems.append(Problem(problem.file, problem.line, f"with the {language} translation: {problem.message}"))
    _compare_ids(english, course, collector, problems)
    _unmatched_files(root, language, collector, problems)
    if course is None or any(p.severity == "error" for p in problems):
        return None, problems
    course.content_hash = english.content_hash
    course.language = language
    return Translation(language, course, collector.files), problems


def _compare_ids(english: Course, course: Course | None, collector: _TranslatingCollector, problems: list[Problem]) -> None:
    """A translation must keep every id of its original, so records stay comparable across languages."""
    if course is None:
        return
    where = {rel: f"{FOLDER}/{collector.language}/{rel}" for rel in collector.files}
    for rel, data in collector.front_data.items():
        original = frontmatter.split((english.path / rel).read_text(encoding="utf-8")).data
        if "id" in original and data.get("id") != original.get("id"):
            problems.append(Problem(where[rel], 1, f"id mismatch: the translation has id {data.get('id')!r}, the original {original['id']!r}"))
        if "lessons" in original and data.get("lessons") != original.get("lessons"):
            problems.append(Problem(where[rel], 1, "lessons differ from the original's list: keep the same files in the same order"))
    for qid, content in english.quizzes.items():
        if content.source not in collector.files:
            continue
        translated = course.quizzes.get(qid)
        if translated is None:
            problems.append(Problem(where[content.source], 1, f"id mismatch: the translation does not have quiz id {qid!r}"))
            continue
        _same_ids(where[content.source], content.quiz, translated.quiz, problems)
    if GLOSSARY in collector.files and english.glossary_html:
        missing = sorted(set(heading_ids(english.glossary_html)) - set(heading_ids(course.glossary_html or "")))
        if missing:  # lessons link to terms by these anchors, in every language
            problems.append(Problem(where[GLOSSARY], 1, f"id mismatch: glossary terms missing (keep each term with its English anchor, "
                                                        f"`## Term {{#anchor}}`): {', '.join(missing)}"))
    for lid in english.lessons:
        if english.lessons[lid].source in collector.files and lid not in course.lessons:
            problems.append(Problem(where[english.lessons[lid].source], 1, f"id mismatch: lesson id {lid!r} is missing"))


def _same_ids(file: str, original, translated, problems: list[Problem]) -> None:
    mine = {q.id: q for q in translated.questions}
    for question in original.questions:
        other = mine.pop(question.id, None)
        if other is None:
            problems.append(Problem(file, 1, f"id mismatch: question {question.id!r} is missing"))
            continue
        if other.type != question.type:
            problems.append(Problem(file, other.line, f"question {question.id!r}: type {other.type!r}, the original's is {question.type!r}"))
        want = sorted(o.id for o in question.options)
        got = sorted(o.id for o in other.options)
        if want != got:
            problems.append(Problem(file, other.line, f"id mismatch: question {question.id!r} has options {got}, the original {want}"))
        right = sorted(o.id for o in question.options if o.correct)
        if want == got and right != sorted(o.id for o in other.options if o.correct):
            problems.append(Problem(file, other.line, f"question {question.id!r}: the right answers differ from the original's"))
    for qid, other in mine.items():
        problems.append(Problem(file, other.line, f"id mismatch: question {qid!r} is not in the original"))


def _unmatched_files(root: Path, language: str, collector: _TranslatingCollector, problems: list[Problem]) -> None:
    folder = root / FOLDER / language
    for path in sorted(folder.rglob("*.md")):
        rel = path.relative_to(folder).as_posix()
        if rel not in collector.files:
            reason = "the course has no such file" if not (root / rel).is_file() else "its original is not part of the course"
            problems.append(Problem(f"{FOLDER}/{language}/{rel}", 1, f"translation of {rel}, but {reason}"))


def missing_report(english: Course, translation: Translation, each: bool = False) -> list[Problem]:
    """Pages with no translation in this language: a count, or one line each (informational, never a failure)."""
    sources = [m.source for m in english.modules.values()] + [lesson.source for lesson in english.lessons.values()]
    sources += [q.source for q in english.quizzes.values()] + (["glossary.md"] if english.glossary_html else [])
    missing = [s for s in sources if s not in translation.files]
    where = f"{FOLDER}/{translation.language}"
    notes = [Problem(where, 0, f"translated {len(sources) - len(missing)} of {len(sources)} pages; "
                               f"{len(missing)} missing (shown in English with a note)", "info")]
    if each:
        notes += [Problem(f"{where}/{source}", 0, "missing translation", "info") for source in missing]
    return notes


# Loading renders the whole course again per language. The content hash covers every file of the course
# folder, translations included, so a result is reused only for exactly the same files.
_LOADED: dict[tuple[str, str, str], tuple[Translation | None, list[Problem]]] = {}


def load_all(english: Course, languages: list[str] | None = None) -> tuple[dict[str, Translation], list[Problem]]:
    """Every language that has a translations folder (or only `languages`), with all their problems."""
    found: dict[str, Translation] = {}
    problems: list[Problem] = []
    for language in languages if languages is not None else languages_in(english.path):
        if language == english.language or not (english.path / FOLDER / language).is_dir():
            continue
        key = (str(english.path), english.content_hash, language)
        if key not in _LOADED:
            if len(_LOADED) > 64:
                _LOADED.clear()
            _LOADED[key] = load_translation(english, language)
        translation, found_problems = _LOADED[key]
        problems += found_problems
        if translation is not None:
            found[language] = translation
    return found, problems
