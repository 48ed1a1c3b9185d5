"""An injectable clock, so tests can move time forward by months."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app


class FrozenClock:
    """A clock that stands still until moved; for tests and demos."""

    def __init__(self, start: datetime):
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


def system_clock() -> datetime:
    return datetime.now(UTC)


def init_app(app: Flask) -> None:
    app.extensions["lms.clock"] = app.config.get("CLOCK") or system_clock


def now() -> datetime:
    """The current UTC time according to the app's clock."""
    clock: Callable[[], datetime] = current_app.extensions["lms.clock"]
    return clock()
