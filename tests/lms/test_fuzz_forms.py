"""Hostile input against every form, on SQLite and PostgreSQL: never a 5xx, and a refusal changes nothing.

Hypothesis mutates each field of a valid form (tests/lms/post_routes.py) into control characters, huge
strings, numbers where text belongs, lists where one value belongs, or leaves it out; ids in URLs become
numbers beyond 64 bits. The app runs with TESTING on, so an unhandled exception fails the test outright.
"""
from __future__ import annotations

import io
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.learning.inputs import ID_MAX, INT64_MAX
from tests.conftest import FIXTURE_COURSE, PASSWORD, csrf_token
from tests.lms.post_routes import BY_ENDPOINT, HOME, PEOPLE, ROUTES, build_app, database_state, fresh_database, prepare
from tests.pg import postgres_server

FUZZ = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

CONTROL = st.text(alphabet=st.sampled_from("\x00\x01\x07\x08\x0b\x0c\x1b\x7f\t\n\r aé\u200b\ufeff"), min_size=1, max_size=30)
HUGE = st.sampled_from(["x" * 201, "y" * 255, "z" * 6001, "long line " * 5000, "w" * 600_000, "v" * 2_200_000])
NUMBERS = st.one_of(st.integers().map(str), st.sampled_from([str(2**63), str(2**64), "-1", "1e309", "NaN", "0x10", "9" * 40,
                                                            "\u00b2", "\u0663"]))  # digits to str.isdigit(), not all to int()
ODD = st.sampled_from(["", " ", "          ", "\u00a0", "[]", "{}", "null", "../../etc/passwd", "<script>alert(1)</script>",
                       "'; DROP TABLE users; --", "2026-02-30", "9999-12-31", "0001-01-01"])
VALUE = st.one_of(CONTROL, HUGE, NUMBERS, ODD, st.text(max_size=40))
FILE = st.one_of(
    st.sampled_from([
        "email,name,role\nlatin@example.org,Jos\u00e9 Mar\u00eda,tsp\n".encode("latin-1"),
        "email,name,role\nutf16@example.org,Name,tsp\n".encode("utf-16"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"email,name,role\nnul@example.org,A\x00B,tsp\n",
        b"email,name,role\nlong@example.org," + b"N" * 300 + b",tsp\n",
        b"email,name,role,cohort\nc@example.org,Name,tsp," + b"C" * 200 + b"\n",
        b"email,name,role,password\np@example.org,Name,tsp,          \n",
        b"",
    ]),
    st.binary(max_size=200),
)
HUGE_IDS = st.sampled_from([ID_MAX + 1, INT64_MAX, INT64_MAX + 1, 2**64, 10**30, 10**19 - 1])


@pytest.fixture(scope="module")
def pg_url():
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def fuzzed(request, tmp_path_factory):
    """One app per database and a signed-in test client per account a route uses (and a visitor's), for the whole module."""
    tmp = tmp_path_factory.mktemp("fuzz")
    course = tmp / "course"
    shutil.copytree(FIXTURE_COURSE, course)
    app = build_app(fresh_database(request, tmp), course)
    world = prepare(app)
    clients = {}
    for who in {route.who for route in ROUTES} - {"peer"} | {"tsp", "tsp2", "trainer", "admin"}:
        client = app.test_client()
        if who == "visitor":
            clients[who] = (client, csrf_token(client))
            continue
        client.post("/login", data={"email": PEOPLE[who][0], "password": PASSWORD, "csrf_token": csrf_token(client)})
        clients[who] = (client, csrf_token(client, HOME[PEOPLE[who][2]]))
    yield app, world, clients
    app.extensions["lms.engine"].dispose()


def _mutated(draw, route, world) -> tuple[str, dict]:
    url = route.url(world)
    if re.search(r"/\d+(/|$)", url) and draw(st.booleans()):
        url = re.sub(r"/\d+(/|$)", lambda m: f"/{draw(HUGE_IDS)}{m.group(1)}", url, count=1)
    data: dict = {}
    for key, value in route.data(world).items():
        choice = draw(st.sampled_from(["keep", "hostile", "hostile", "list", "missing"]))
        if isinstance(value, tuple):  # a file upload
            data[key] = (io.BytesIO(draw(FILE) if choice != "keep" else value[0]), value[1])
        elif choice == "keep":
            data[key] = value
        elif choice == "hostile":
            data[key] = draw(VALUE)
        elif choice == "list":
            data[key] = [draw(VALUE), draw(VALUE)]
    if draw(st.booleans()):  # a field no form has
        data[draw(st.sampled_from(["extra", "q-nope", "id", "user_id", "role"]))] = draw(VALUE)
    return url, data


FUZZED = [route.endpoint for route in ROUTES if route.endpoint != "auth.logout"]  # logout has no fields to fuzz


@pytest.mark.parametrize("endpoint", FUZZED)
def test_hostile_forms_never_fail_and_refusals_change_nothing(fuzzed, endpoint):
    app, world, clients = fuzzed
    route = BY_ENDPOINT[endpoint]
    @FUZZ
    @given(st.data())
    def check(data):
        url, form = _mutated(data.draw, route, world)
        if endpoint == "auth.login":  # a fresh visitor each time (a fuzzed login may succeed)
            client = app.test_client()
            form["csrf_token"] = csrf_token(client)
        else:
            client, form["csrf_token"] = clients[route.who]
        before = database_state(app)
        response = client.post(url, data=form, content_type="multipart/form-data")
        assert response.status_code < 500, (url, {k: (v[:80] if isinstance(v, str) else v) for k, v in form.items()})
        if response.status_code >= 400:
            assert database_state(app) == before, f"{endpoint} refused with {response.status_code} but changed the data"
            body = response.get_data(as_text=True)
            assert "Traceback" not in body

    check()


@pytest.mark.parametrize("url", ["/admin/certificates?q", "/verify?code", "/login?next",
                                 "/trainer/cohorts/1/quizzes/quiz-basics?attempts"])
def test_hostile_query_strings_never_fail(fuzzed, url):
    """Searches and links: a NUL, invalid UTF-8 or a huge value is a page or a 400, never a 5xx."""
    app, _world, clients = fuzzed
    client = clients["admin"][0]
    path, key = url.split("?")
    for raw in ("%00", "a%00b", "%ff%fe", "%1b%5b", "q" * 5000):
        assert client.get(f"{path}?{key}={raw}").status_code < 500, raw

    @FUZZ
    @given(st.one_of(CONTROL, NUMBERS, ODD, st.text(max_size=40)))
    def check(value):
        assert client.get(path, query_string={key: value}).status_code < 500

    check()


def test_ids_beyond_64_bits_are_not_found_on_every_route(fuzzed):
    """Every route with an id in its path answers 404 to an id no id column can hold, for every role."""
    app, _world, clients = fuzzed
    rules = [rule for rule in app.url_map.iter_rules() if any(
        type(conv).__name__ == "IdConverter" for conv in rule._converters.values())]
    assert len(rules) >= 6
    for rule in rules:
        for huge in (ID_MAX + 1, INT64_MAX, INT64_MAX + 1, 2**64, 10**30):
            values = {name: (huge if type(conv).__name__ == "IdConverter" else "x")
                      for name, conv in rule._converters.items()}
            path = rule.build(values, append_unknown=False)[1]
            for who, (client, token) in clients.items():
                method = "GET" if "GET" in rule.methods else "POST"
                response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
                assert response.status_code == 404, (who, method, path, response.status_code)


def test_control_characters_in_paths_are_not_found_on_every_route(fuzzed):
    """A NUL or an escape in a slug, a code or a file name names nothing, and never reaches the database."""
    app, _world, clients = fuzzed
    client = clients["admin"][0]
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or all(type(c).__name__ == "IdConverter" for c in rule._converters.values()):
            continue
        for bad in ("a\x00b", "\x1b[0m", "%00"):
            values = {name: (1 if type(conv).__name__ == "IdConverter" else bad) for name, conv in rule._converters.items()}
            path = rule.build(values, append_unknown=False)[1]
            response = client.get(path)
            assert response.status_code < 500, (path, response.status_code)
            if "\x00" in bad or "\x1b" in bad:
                assert response.status_code == 404, (path, response.status_code)
