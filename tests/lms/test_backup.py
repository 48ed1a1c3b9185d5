"""`lms db backup` and `lms db restore`: a consistent copy of a live SQLite database, restored with every row."""
from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import insert, select

from lms.cli import cli
from lms.db.models import PilotLogEntry, User
from lms.db.session import make_engine
from tests.conftest import ACCOUNTS


@pytest.fixture
def runner(monkeypatch, course_dir):
    monkeypatch.setenv("LMS_COURSE_DIR", str(course_dir))
    monkeypatch.setenv("LMS_SECRET_KEY", "backup-test-key")
    return CliRunner()


def _invoke(runner, monkeypatch, url: str, *args: str):
    monkeypatch.setenv("LMS_DATABASE_URL", url)
    return runner.invoke(cli, list(args))


def _log_ids(path: Path) -> list[int]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM pilot_log_entries ORDER BY id")]


def test_backup_of_a_live_database_under_writes_restores_every_row(app, database_url, runner, monkeypatch, tmp_path):
    """A writer thread keeps adding log entries while the backup runs: the copy is one consistent moment."""
    engine = make_engine(database_url)
    with engine.begin() as conn:
        learner = conn.scalar(select(User.id).where(User.email == ACCOUNTS["tsp"][0]))
    committed: list[int] = []
    stop = threading.Event()
    started = threading.Event()

    def writer() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            with engine.begin() as conn:
                new_id = conn.execute(insert(PilotLogEntry).values(
                    user_id=learner, entry_date=date(2026, 1, 5), did=f"entry {number} " + "x" * 2000, happened="",
                    learned="", created_at=datetime.now(UTC))).inserted_primary_key[0]
            committed.append(new_id)
            if number == 200:
                started.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert started.wait(30), "the writer did not get going"
        before_backup = list(committed)
        backup = tmp_path / "nightly.sqlite"
        result = _invoke(runner, monkeypatch, database_url, "db", "backup", str(backup))
        time.sleep(0.2)  # the writer keeps going after the copy
    finally:
        stop.set()
        thread.join()
    engine.dispose()
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output
    assert not (tmp_path / "nightly.sqlite-wal").exists()
    copied = _log_ids(backup)
    # Every row committed before the backup began is there, and the copy is a prefix of what was
    # committed (one consistent moment, no torn write); the writer went on adding rows afterwards.
    assert set(before_backup) <= set(copied)
    assert copied == committed[:len(copied)]
    assert len(committed) > len(copied)

    target = tmp_path / "restored.sqlite"
    restored = _invoke(runner, monkeypatch, f"sqlite:///{target}", "db", "restore", str(backup))
    assert restored.exit_code == 0, restored.output
    assert _log_ids(target) == copied
    with sqlite3.connect(target) as conn, sqlite3.connect(backup) as original:
        for table in ("users", "cohorts", "pilot_log_entries", "alembic_version"):
            query = f"SELECT * FROM {table} ORDER BY 1"
            assert conn.execute(query).fetchall() == original.execute(query).fetchall(), table
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_refuses_a_database_that_holds_data(app, database_url, runner, monkeypatch, tmp_path):
    backup = tmp_path / "copy.sqlite"
    assert _invoke(runner, monkeypatch, database_url, "db", "backup", str(backup)).exit_code == 0
    source = Path(database_url.removeprefix("sqlite:///"))
    before = source.read_bytes()
    result = _invoke(runner, monkeypatch, database_url, "db", "restore", str(backup))
    assert result.exit_code == 1
    assert "is not empty" in result.output and "rows in users" in result.output
    assert "Traceback" not in result.output
    assert source.read_bytes() == before


def test_backup_never_overwrites_and_restore_refuses_what_is_not_a_backup(app, database_url, runner, monkeypatch, tmp_path):
    existing = tmp_path / "exists.sqlite"
    existing.write_text("keep me")
    result = _invoke(runner, monkeypatch, database_url, "db", "backup", str(existing))
    assert result.exit_code == 1 and "already exists" in result.output
    assert existing.read_text() == "keep me"
    result = _invoke(runner, monkeypatch, f"sqlite:///{tmp_path / 'new.sqlite'}", "db", "restore", str(existing))
    assert result.exit_code == 1 and "not a SQLite database" in result.output


def test_postgres_backup_explains_pg_dump(runner, monkeypatch, tmp_path):
    result = _invoke(runner, monkeypatch, "postgresql+psycopg://lms:secret@db.example.org/lms", "db", "backup",
                     str(tmp_path / "x.dump"))
    assert result.exit_code != 0
    assert "pg_dump --format=custom" in result.output and "pg_restore" in result.output
    assert "secret" not in result.output
    assert not (tmp_path / "x.dump").exists()
