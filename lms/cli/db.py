"""`lms db`: migrations, backups and restoring a backup into an empty database."""
from __future__ import annotations

import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import make_url

from lms.db.session import upgrade

PG_HELP = """This database is PostgreSQL: back it up with PostgreSQL's own tools, which are consistent while the app runs:

  pg_dump --format=custom --file {file} '{url}'

and restore into an empty database with

  pg_restore --no-owner --dbname '{url}' {file}

(add the password with PGPASSWORD or a ~/.pgpass file rather than in the URL)."""


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Database migrations, backups and restores."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply every migration not yet applied."""
    upgrade(current_app)
    click.echo("The database is up to date.")


def _sqlite_path(action: str, file: str) -> Path:
    """The app's SQLite file; for PostgreSQL, how to use pg_dump/pg_restore, and a non-zero exit."""
    url = make_url(current_app.config["DATABASE_URL"])
    if url.get_backend_name() != "sqlite":
        click.echo(f"`lms db {action}` copies SQLite databases only.", err=True)
        click.echo(PG_HELP.format(file=file, url=url.set(drivername="postgresql").render_as_string(hide_password=True)),
                   err=True)
        sys.exit(2)
    if not url.database or url.database == ":memory:":
        raise click.ClickException("the database is in memory; there is nothing on disk to back up or restore")
    return Path(url.database)


@db_group.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def db_backup(file: str) -> None:
    """Copy the SQLite database to FILE, consistently, while the app keeps running."""
    source = _sqlite_path("backup", file)
    target = Path(file)
    if target.exists():
        raise click.ClickException(f"{file} already exists; give a new file name (a backup never overwrites one)")
    if not source.is_file():
        raise click.ClickException(f"there is no database at {source} yet")
    partial = target.with_name(f".{target.name}.partial")
    try:
        # SQLite's online backup API: one consistent snapshot; writers are not blocked in WAL mode.
        with _open(source) as src, _open(partial) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            problem = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise click.ClickException(f"the copy failed its integrity check ({problem}); nothing was written")
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise click.ClickException(f"the backup failed: {exc}; nothing was written") from None
    finally:
        partial.unlink(missing_ok=True)
    tables, rows = _summary(target)
    click.echo(f"Backed up {source} to {target}: {tables} tables, {rows} rows.")


@db_group.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True))
@with_appcontext
def db_restore(file: str) -> None:
    """Restore a backup made by `lms db backup` into an empty SQLite database, then apply migrations."""
    target = _sqlite_path("restore", file)
    problem = _backup_problem(Path(file))
    if problem:
        raise click.ClickException(f"{file} cannot be restored: {problem}; nothing was changed")
    engine = current_app.extensions["lms.engine"]
    holding = _rows_held(engine)
    if holding:
        raise click.ClickException(
            f"the database {target} is not empty ({holding}); restore only into an empty database, "
            "so nothing there is lost. Point LMS_DATABASE_URL at a new file, or move this one away first.")
    engine.dispose()
    try:
        with _open(Path(file), readonly=True) as src, _open(target) as dst:
            src.backup(dst)
    except sqlite3.Error as exc:
        raise click.ClickException(f"the restore failed: {exc}") from None
    upgrade(current_app)  # a backup from an older version gets the newer tables
    tables, rows = _summary(target)
    click.echo(f"Restored {file} into {target}: {tables} tables, {rows} rows; the database is up to date.")


def _backup_problem(path: Path) -> str | None:
    """Why a file is not a usable backup, or None."""
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            return "it is not a SQLite database file"
    try:
        with _open(path, readonly=True) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return "the file is damaged (its integrity check fails)"
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as exc:
        return f"it cannot be read ({exc})"
    if not {"alembic_version", "users"} <= names:
        return "it is not a backup of this LMS (it has no users or migration tables)"
    return None


def _rows_held(engine) -> str:
    """What a database already holds, e.g. "12 rows in users"; empty when it has no rows at all."""
    with engine.connect() as conn:
        held = []
        for name in inspect(conn).get_table_names():
            if name == "alembic_version":
                continue
            count = conn.scalar(select(func.count()).select_from(table(name)))
            if count:
                held.append(f"{count} rows in {name}")
    return ", ".join(held)


def _summary(path: Path) -> tuple[int, int]:
    with _open(path, readonly=True) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                "AND name NOT LIKE 'sqlite_%'")]
        return len(names), sum(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names)


def _open(path: Path, readonly: bool = False) -> closing[sqlite3.Connection]:
    """A plain sqlite3 connection that is closed (not only committed) at the end of the `with`."""
    if readonly:
        return closing(sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=30))
    return closing(sqlite3.connect(path, timeout=30))
