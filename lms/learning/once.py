"""Writes that happen once however often a request is repeated: inserts that skip an existing row.

A double click, a resent form or two tabs send the same request twice at the same moment. Reading
first and inserting after races (both read "nothing yet", one insert hits the unique constraint
and the learner sees an error page). `INSERT ... ON CONFLICT DO NOTHING` lets the database decide,
on SQLite and PostgreSQL alike; the caller still owns the transaction.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Table, and_, func, literal_column, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lms.db.models import Completion, LessonProgress


def table(model: Any) -> Table:
    """A mapped class's table, typed as one (the ORM declares it as a plain FROM clause)."""
    return cast(Table, model.__table__)


def rowcount(result: Any) -> int:
    """How many rows an INSERT, UPDATE or DELETE touched."""
    return cast(CursorResult, result).rowcount


def insert_once(session: Session, table: Table, values: dict, conflict: tuple[str, ...]) -> bool:
    """Insert a row unless one with the same `conflict` columns exists; whether it was inserted."""
    dialect = session.get_bind().dialect.name
    dialects: dict[str, Any] = {"postgresql": postgresql, "sqlite": sqlite}
    if dialect not in dialects:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(dialect)
    stmt = dialects[dialect].insert(table).values(**values).on_conflict_do_nothing(index_elements=list(conflict))
    # A row comes back only when one was inserted. Not the rowcount: on PostgreSQL SQLAlchemy adds its own
    # RETURNING for the new id, and psycopg then reports -1, which read as "skipped" every time.
    return session.execute(stmt.returning(literal_column("1"))).first() is not None


def add_completion(session: Session, user_id: int, scope: str, ref_id: str, now: datetime, version: str) -> bool:
    """Store a module or unit completion unless it is already stored; whether this call stored it."""
    return insert_once(session, table(Completion), {
        "user_id": user_id, "scope": scope, "ref_id": ref_id, "completed_at": now, "content_version": version,
    }, ("user_id", "scope", "ref_id"))


def mark_lesson_done(session: Session, user_id: int, lesson_id: str, now: datetime, version: str,
                     max_credited: timedelta) -> bool:
    """Mark a lesson done, opened or not; whether this call marked it (False: it was done already).

    The time since the last view is credited, up to `max_credited`. A lesson never opened gets a
    progress row first (the column default applies on insert only, so it is set here).
    """
    progress = table(LessonProgress)
    insert_once(session, progress, {
        "user_id": user_id, "lesson_id": lesson_id, "first_viewed_at": now, "last_viewed_at": now,
        "seconds_spent": 0, "content_version": version,
    }, ("user_id", "lesson_id"))
    where = and_(progress.c.user_id == user_id, progress.c.lesson_id == lesson_id, progress.c.completed_at.is_(None))
    last_viewed = session.execute(select(progress.c.last_viewed_at).where(where)).scalar_one_or_none()
    if last_viewed is None:
        return False
    credit = int(max(timedelta(0), min(now - _aware(last_viewed, now), max_credited)).total_seconds())
    done = session.execute(update(progress).where(where).values(
        completed_at=now, content_version=version,
        seconds_spent=func.coalesce(progress.c.seconds_spent, 0) + credit,
    ))
    return rowcount(done) == 1


def _aware(value: datetime, like: datetime) -> datetime:
    """Core reads bypass the UTC type's conversion on some paths; give naive values the caller's zone."""
    return value.replace(tzinfo=like.tzinfo) if value.tzinfo is None else value
