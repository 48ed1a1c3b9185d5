"""A sliding-window rate limiter per client address, counted in the database so every worker shares it."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, request
from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.engine import Engine

from lms.db.models import RateEvent
from lms.web.clock import now

_events: Table = RateEvent.__table__  # type: ignore[assignment]


def hit(engine: Engine, key: str, limit: int, window: float) -> bool:
    """Count a request under `key`; False (and nothing counted) when `limit` were already counted in `window` seconds.

    Runs on its own connection and transaction, apart from the request's session: an allowed
    request is counted even if the view fails or rolls back afterwards, and the view's
    transaction stays its own.
    """
    key = key[:120]
    current = now()
    since = current - timedelta(seconds=window)
    with engine.begin() as connection:
        connection.execute(delete(_events).where(_events.c.bucket_key == key, _events.c.at <= since))
        counted = connection.execute(select(func.count()).select_from(_events)
                                     .where(_events.c.bucket_key == key, _events.c.at > since)).scalar_one()
        if counted >= limit:
            return False
        connection.execute(insert(_events).values(bucket_key=key, at=current))
        if counted == 0:  # now and then, sweep what other clients left behind (windows are minutes, never a day)
            connection.execute(delete(_events).where(_events.c.at <= current - timedelta(days=1)))
    return True


def limit(bucket: str, setting: str) -> None:
    """Abort with 429 when this client is over the configured limit for `bucket`."""
    count, window = current_app.config[setting]
    if not hit(current_app.extensions["lms.engine"], f"{bucket}:{request.remote_addr}", count, window):
        abort(429)


def _failure_engine():
    return current_app.extensions["lms.engine"]


def wait_after_failures(key: str, free: int, window: float, cap: float) -> int:
    """Seconds to wait before `key` may try again: none for the first `free` failures in `window`,
    then 2, 4, 8 ... seconds after the latest failure, at most `cap`. Successes are never counted.

    Counted on its own connection, so the request's transaction is untouched.
    """
    key = key[:120]
    current = now()
    with _failure_engine().begin() as connection:
        connection.execute(delete(_events).where(_events.c.bucket_key == key, _events.c.at <= current - timedelta(seconds=window)))
        count, latest = connection.execute(select(func.count(), func.max(_events.c.at)).where(_events.c.bucket_key == key)).one()
    if count < free or latest is None:
        return 0
    if latest.tzinfo is None:  # max() comes back as the stored naive UTC
        from datetime import UTC

        latest = latest.replace(tzinfo=UTC)
    wait = min(cap, 2 ** (count - free + 1))
    left = wait - (current - latest).total_seconds()
    return max(0, int(left + 0.999))


def count_failure(*keys: str) -> None:
    """Count one failed try under each key, on its own connection."""
    current = now()
    with _failure_engine().begin() as connection:
        connection.execute(insert(_events), [{"bucket_key": k[:120], "at": current} for k in keys])
