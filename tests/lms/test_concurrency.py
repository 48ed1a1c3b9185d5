"""Double clicks and storms: 2 and then 20 identical requests at the same moment, for every POST route.

The app is served by Werkzeug's threaded server on a free port and driven by real HTTP clients in
threads, on SQLite and on PostgreSQL. No response may be a 5xx, and what each route creates exists once.
"""
from __future__ import annotations

import re
import shutil
import threading
from contextlib import contextmanager
from dataclasses import replace

import pytest
import requests
from sqlalchemy import select
from werkzeug.serving import make_server

from lms.db.models import LessonProgress
from lms.db.session import get_session
from tests.conftest import FIXTURE_COURSE, PASSWORD
from tests.lms.post_routes import BY_ENDPOINT, HOME, PEOPLE, ROUTES, build_app, fresh_database, prepare
from tests.pg import postgres_server


@pytest.fixture(scope="module")
def pg_url():
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def served(request, tmp_path_factory):
    """One app per database, served over HTTP for the whole module, with a signed-in browser per account a route
    uses (and a visitor's, not signed in)."""
    tmp = tmp_path_factory.mktemp("concurrency")
    course = tmp / "course"
    shutil.copytree(FIXTURE_COURSE, course)
    app = build_app(fresh_database(request, tmp), course)
    world = prepare(app)
    with serving(app) as base:
        yield app, world, base, {who: signed_in(base, who) for who in {route.who for route in ROUTES} | {"tsp2"}}
    app.extensions["lms.engine"].dispose()


@contextmanager
def serving(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def signed_in(base: str, who: str) -> tuple[dict, str]:
    """Log in over HTTP; the session cookies and a CSRF token, shared by every copy of a request.

    The "visitor" only opens the login page, for a session and its token."""
    browser = requests.Session()
    token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', browser.get(f"{base}/login").text).group(1)
    if who == "visitor":
        return browser.cookies.get_dict(), token
    response = browser.post(f"{base}/login", data={"email": PEOPLE[who][0], "password": PASSWORD, "csrf_token": token},
                            allow_redirects=False)
    assert response.status_code == 302, response.text
    page = browser.get(f"{base}{HOME[PEOPLE[who][2]]}")
    token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page.text).group(1)
    return browser.cookies.get_dict(), token


def storm(base: str, route, world, cookies: dict, token: str, copies: int) -> list[int]:
    """`copies` identical requests released at the same instant; their status codes."""
    data = {"csrf_token": token}
    files = {}
    for key, value in route.data(world).items():
        if isinstance(value, tuple):
            files[key] = (value[1], value[0])
        else:
            data[key] = value
    barrier = threading.Barrier(copies)
    statuses: list[int] = []

    def send() -> None:
        with requests.Session() as browser:
            browser.cookies.update(cookies)
            barrier.wait()
            response = browser.post(f"{base}{route.url(world)}", data=data, files=files or None, allow_redirects=False,
                                    timeout=60)
            statuses.append(response.status_code)

    threads = [threading.Thread(target=send) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_every_post_route_is_in_the_table(app):
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}
    assert posts == set(BY_ENDPOINT), "add the new POST route to tests/lms/post_routes.py"


@pytest.mark.parametrize("endpoint", [route.endpoint for route in ROUTES])
def test_identical_requests_at_once_never_fail_or_duplicate(served, endpoint):
    app, world, base, browsers = served
    route = BY_ENDPOINT[endpoint]
    cookies, token = browsers[route.who]
    successes = 0
    for copies in (2, 20):
        statuses = storm(base, route, world, cookies, token, copies)
        assert len(statuses) == copies
        assert all(status < 500 for status in statuses), f"{endpoint} x{copies}: {sorted(statuses)}"
        with app.app_context():
            counts = route.once(get_session(), world)
        assert counts == dict.fromkeys(counts, 1), f"{endpoint} x{copies}: {counts}"
        successes += statuses.count(route.succeeds_once)
    if route.succeeds_once is not None:  # a link that works once: one copy of all 22 got through
        assert successes == 1, f"{endpoint}: {successes} copies answered {route.succeeds_once}"


def test_double_click_on_mark_done_shows_no_error_page(served):
    """The reported case: two "Mark as done" at once on a lesson never opened; both go on to the next page."""
    app, world, base, browsers = served
    cookies, token = browsers["tsp2"]
    for lesson in ("basics-one", "basics-two"):
        route = replace(BY_ENDPOINT["learn.mark_done"], url=lambda w, lesson=lesson: f"/learn/lessons/{lesson}/done")
        assert storm(base, route, world, cookies, token, 2) == [302, 302]
        with app.app_context():
            done = get_session().scalar(select(LessonProgress.completed_at).where(
                LessonProgress.user_id == world.tsp2, LessonProgress.lesson_id == lesson))
        assert done is not None
