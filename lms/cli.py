"""The `lms` command: run, check-course, db, users, and the rest."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext
from sqlalchemy import func, select

from .course import CourseInvalid, check_course
from .db import get_session, upgrade


def _create_app():
    from . import ConfigError, create_app

    try:
        return create_app()
    except CourseInvalid as exc:
        click.echo("The course is not valid, so the app cannot start:", err=True)
        for problem in exc.problems:
            click.echo(problem.format(), err=True)
        sys.exit(1)
    except ConfigError as exc:
        click.echo(f"Configuration problem: {exc}", err=True)
        sys.exit(1)


cli = FlaskGroup(create_app=_create_app, add_default_commands=False, add_version_option=False, load_dotenv=False,
                 help="The TSP training LMS.")
cli.add_command(shell_command)
cli.add_command(routes_command)


def main() -> None:
    cli(prog_name="lms")


def init_app(app) -> None:
    """Commands are registered on the group itself; nothing per app."""


@cli.command("check-course", with_appcontext=False)
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check_course_command(path: str | None, strict: bool) -> None:
    """Validate a course folder (default: LMS_COURSE_DIR or the shipped course)."""
    from . import SHIPPED_COURSE

    path = path or os.environ.get("LMS_COURSE_DIR") or str(SHIPPED_COURSE)
    course, problems = check_course(path)
    for problem in problems:
        shown = problem if Path(problem.file).is_absolute() else type(problem)(
            os.path.join(path, problem.file), problem.line, problem.message, problem.severity)
        click.echo(shown.format(), err=problem.severity == "error")
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


@cli.group("db")
def db_group() -> None:
    """Database migrations."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply every migration not yet applied."""
    upgrade(current_app)
    click.echo("The database is up to date.")


@cli.command("run", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int, help="0 picks any free port")
def run_command(host: str, port: int) -> None:
    """Run the development server on the embedded default (SQLite, the shipped course)."""
    os.environ.setdefault("LMS_ENV", "development")
    app = _create_app()
    with app.app_context():
        upgrade(app)
        created = ensure_demo_accounts()
    from werkzeug.serving import make_server

    server = make_server(host, port, app, threaded=True)  # a busy port: Werkzeug says so and exits
    url = f"http://{host}:{server.server_port}/"
    click.echo(f"\n  TSP training LMS on {url}  (course {app.extensions['lms.course'].full_version})")
    if created:
        click.echo("\n  Demo accounts were created on this empty database. Their passwords are shown only now:")
        for role, email, password in created:
            click.echo(f"    {role:8} {email:24} {password}")
        click.echo("  Lost them? lms users set-password --email EMAIL --password-stdin\n")
    else:
        click.echo("  Log in with an account you created (lms users create ...).\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")


def ensure_demo_accounts() -> list[tuple[str, str, str]]:
    """On an empty development database, create demo accounts with random passwords."""
    from .models import User
    from .users import create_user, random_password

    if os.environ.get("LMS_ENV") != "development":
        return []
    session = get_session()
    if session.scalar(select(func.count()).select_from(User)):
        return []
    created = []
    for role, email, name in (("tsp", "tsp@example.org", "Demo Learner"), ("trainer", "trainer@example.org", "Demo Trainer"),
                              ("admin", "admin@example.org", "Demo Admin")):
        password = random_password()
        create_user(session, email, name, role, password, cohort=None if role == "admin" else "Demo cohort")
        created.append((role, email, password))
    session.commit()
    from .demo import seed_learners

    seed_learners(12, "Demo cohort")  # so the trainer's views have something to show
    return created


from . import cli_certs, cli_export, cli_users, demo  # noqa: E402,F401  (register their commands)
