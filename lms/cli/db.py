"""`lms db`: migrations."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from lms.db.session import upgrade


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Database migrations."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply every migration not yet applied."""
    upgrade(current_app)
    click.echo("The database is up to date.")
