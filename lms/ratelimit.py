"""A small sliding-window rate limiter, per client address and per worker process."""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from flask import abort, current_app, request


class RateLimiter:
    """Allows `limit` hits per `window` seconds per key."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, window: float) -> bool:
        """Record a hit; False when the key is over its limit."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(now)
            if len(self._hits) > 50_000:  # bound memory under a flood of addresses
                self._hits = defaultdict(deque, {k: v for k, v in self._hits.items() if v})
            return True


def limit(bucket: str, setting: str) -> None:
    """Abort with 429 when this client is over the configured limit for `bucket`."""
    limiter: RateLimiter = current_app.extensions.setdefault("lms.ratelimiter", RateLimiter())
    count, window = current_app.config[setting]
    if not limiter.hit(f"{bucket}:{request.remote_addr}", count, window):
        abort(429)
