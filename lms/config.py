"""Environment -> settings: the database, the course, the secret key, and what a wrong value means."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

SHIPPED_COURSE = Path(__file__).resolve().parent.parent / "course"


class ConfigError(RuntimeError):
    """A setting that is missing or wrong; the message says what to do."""


def _secret_key(app: Flask) -> str:
    """LMS_SECRET_KEY, or for local use a key generated once and kept in the instance folder."""
    key = os.environ.get("LMS_SECRET_KEY")
    if key:
        return key
    key_file = Path(app.instance_path) / "secret_key"
    if key_file.is_file():
        return key_file.read_text().strip()
    if os.environ.get("LMS_ENV", "production") != "development":
        raise ConfigError(
            "LMS_SECRET_KEY is not set. In production set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_hex(32))'); for local use run `lms run`."
        )
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Defaults from the environment, then the test overrides, then the secret key."""
    app.config.from_mapping(
        DATABASE_URL=os.environ.get("LMS_DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'lms.sqlite'}",
        COURSE_DIR=os.environ.get("LMS_COURSE_DIR") or str(SHIPPED_COURSE),
        BASE_URL=os.environ.get("LMS_BASE_URL", ""),
        FONT_DIRS=os.environ.get("LMS_FONT_DIRS", ""),
        PROXY_COUNT=os.environ.get("LMS_PROXY_COUNT", "0"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("LMS_ENV", "production") == "production",
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # a TSP on a slow day must not lose a form to an expired token
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        VERIFY_RATE_LIMIT=(30, 60),  # lookups per client per window of seconds
        LOGIN_RATE_LIMIT=(20, 600),  # failed logins per client address before the back-off starts
        CLOCK=None,
    )
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)


def proxy_count(app: Flask) -> int:
    """How many reverse proxies stand in front (LMS_PROXY_COUNT)."""
    try:
        count = int(app.config["PROXY_COUNT"] or 0)
    except ValueError:
        raise ConfigError(f"LMS_PROXY_COUNT must be a whole number of proxies, not {app.config['PROXY_COUNT']!r}") from None
    if count < 0:
        raise ConfigError("LMS_PROXY_COUNT cannot be negative")
    return count
