"""`lms check-course`: validate a course folder."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from lms.config import SHIPPED_COURSE
from lms.content import translations
from lms.content.loader import check_course


@click.command("check-course")
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--list-missing", is_flag=True, help="List every file not yet translated, per language.")
def check_course_command(path: str | None, strict: bool, list_missing: bool) -> None:
    """Validate a course folder (default: LMS_COURSE_DIR or the shipped course) and its translations."""
    path = path or os.environ.get("LMS_COURSE_DIR") or str(SHIPPED_COURSE)
    course, problems = check_course(path)
    notes = []
    if course is not None:
        found, translation_problems = translations.load_all(course)
        problems = problems + translation_problems
        for language in translations.languages_in(course.path):
            if language in found:
                notes += translations.missing_report(course, found[language], list_missing)
    for problem in problems:
        shown = problem if Path(problem.file).is_absolute() else type(problem)(
            os.path.join(path, problem.file), problem.line, problem.message, problem.severity)
        click.echo(shown.format(), err=problem.severity == "error")
    for note in notes:  # missing translations are normal (English is shown): reported, never a failure
        click.echo(f"{os.path.join(path, note.file)}: {note.message}")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if errors or course is None:
        click.echo(f"{errors} error(s), {warnings} warning(s): the course is not valid.", err=True)
        sys.exit(1)
    lessons, questions = len(course.lessons), sum(len(q.quiz.questions) for q in course.quizzes.values())
    click.echo(f"OK: {course.title} {course.full_version}: {len(course.units)} units, {len(course.modules)} modules, "
               f"{lessons} lessons, {len(course.quizzes)} quizzes, {questions} questions; {warnings} warning(s).")
    if strict and warnings:
        sys.exit(1)
