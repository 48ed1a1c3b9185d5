"""Shared fixtures: a real SQLite database file per test, a copy of a small course, signed-in clients."""
from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lms import create_app
from lms.db.session import get_session, upgrade
from lms.learning.accounts import create_user
from lms.web.clock import FrozenClock

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"
SHIPPED_COURSE = Path(__file__).parent.parent / "course"
PASSWORD = "correct horse battery"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

ACCOUNTS = {
    "tsp": ("tsp@example.org", "Rina Akter", "tsp", "Cohort A"),
    "tsp2": ("tsp2@example.org", "Sok Chanthy", "tsp", "Cohort B"),
    "peer": ("peer@example.org", "Maria Santos", "tsp", "Cohort A"),
    "trainer": ("trainer@example.org", "Tara Trainer", "trainer", "Cohort A"),
    "admin": ("admin@example.org", "Ada Admin", "admin", None),
}


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A private copy of the fixture course, so a test may edit it."""
    target = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, target)
    return target


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def make_app(tmp_path: Path, clock: FrozenClock, database_url: str):
    """Build an app on a course folder, with migrations applied and the four test accounts."""

    def build(course: Path, **config):
        app = create_app({
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": database_url,
            "COURSE_DIR": str(course),
            "CLOCK": clock,
            "SESSION_COOKIE_SECURE": False,
            **config,
        })
        with app.app_context():
            upgrade(app)
            session = get_session()
            from sqlalchemy import select

            from lms.db.models import User

            if session.scalar(select(User).limit(1)) is None:
                for email, name, role, cohort in ACCOUNTS.values():
                    create_user(session, email, name, role, PASSWORD, cohort)
                session.commit()
        return app

    return build


@pytest.fixture
def app(make_app, course_dir: Path):
    return make_app(course_dir)


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, url: str = "/login") -> str:
    """The CSRF token from a page's form, as a browser would send it back."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, who: str = "tsp", password: str = PASSWORD):
        email = ACCOUNTS[who][0]
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(self.client)})

    def post(self, url: str, data: dict | None = None, page: str = "/learn/", **kwargs):
        """POST with the session's CSRF token, taken from a page as a browser would."""
        payload = {"csrf_token": csrf_token(self.client, page), **(data or {})}
        return self.client.post(url, data=payload, **kwargs)


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


def user_id(app, who: str) -> int:
    from sqlalchemy import select

    from lms.db.models import User

    with app.app_context():
        return get_session().scalar(select(User.id).where(User.email == ACCOUNTS[who][0]))
