"""`lms run`: the development server on the embedded default, with demo accounts on an empty database."""
from __future__ import annotations

import os

import click
from sqlalchemy import func, select

from lms.cli.appload import load_app
from lms.cli.demo import seed
from lms.db.enums import Role
from lms.db.models import User
from lms.db.session import get_session, upgrade
from lms.learning.accounts import create_user, random_password


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int, help="0 picks any free port")
def run_command(host: str, port: int) -> None:
    """Run the development server on the embedded default (SQLite, the shipped course)."""
    os.environ.setdefault("LMS_ENV", "development")
    app = load_app()
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
    if os.environ.get("LMS_ENV") != "development":
        return []
    session = get_session()
    if session.scalar(select(func.count()).select_from(User)):
        return []
    created: list[tuple[str, str, str]] = []
    for role, email, name in ((Role.TSP, "tsp@example.org", "Demo Learner"), (Role.TRAINER, "trainer@example.org", "Demo Trainer"),
                              (Role.ADMIN, "admin@example.org", "Demo Admin")):
        password = random_password()
        create_user(session, email, name, role, password, cohort=None if role == Role.ADMIN else "Demo cohort")
        created.append((role, email, password))
    session.commit()
    seed(12, "Demo cohort")  # so the trainer's views have something to show
    return created
