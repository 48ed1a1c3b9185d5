"""Logging in and out; refusals change nothing."""
from __future__ import annotations

import pytest

from tests.conftest import ACCOUNTS, PASSWORD, csrf_token


def test_login_page_has_labelled_fields(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<label for="email">Email</label>' in html
    assert '<label for="password">Password</label>' in html


def test_login_then_dashboard_then_logout(client, auth):
    response = auth.login("tsp")
    assert response.status_code == 302 and response.headers["Location"].endswith("/learn/")
    assert "Fixture course" in client.get("/learn/").get_data(as_text=True)
    out = auth.post("/logout")
    assert out.status_code == 302
    assert client.get("/learn/").status_code == 302


@pytest.mark.parametrize("email, password", [
    ("tsp@example.org", "wrong password!"),
    ("nobody@example.org", PASSWORD),
    ("TSP@EXAMPLE.ORG", "wrong password!"),
])
def test_bad_credentials_are_refused_with_one_clear_message(client, email, password):
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)})
    assert response.status_code == 401
    assert "That email and password do not match an account" in response.get_data(as_text=True)
    assert client.get("/learn/").status_code == 302  # still not logged in


def test_email_is_case_insensitive(client):
    response = client.post("/login", data={"email": " TSP@Example.org ", "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert response.status_code == 302


def test_missing_csrf_token_is_refused_and_changes_nothing(client):
    response = client.post("/login", data={"email": ACCOUNTS["tsp"][0], "password": PASSWORD})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert client.get("/learn/").status_code == 302


def test_missing_csrf_on_mark_done_changes_nothing(client, auth):
    auth.login()
    client.get("/learn/lessons/basics-one")
    response = client.post("/learn/lessons/basics-one/done", data={})
    assert response.status_code == 400
    assert "Mark as done" in client.get("/learn/lessons/basics-one").get_data(as_text=True)


def test_open_redirect_is_not_followed(client):
    response = client.post("/login?next=https://evil.example/", data={
        "email": ACCOUNTS["tsp"][0], "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/learn/"


def test_next_parameter_returns_to_the_page(client):
    response = client.get("/learn/lessons/basics-two")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    response = client.post(login_url, data={"email": ACCOUNTS["tsp"][0], "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/learn/lessons/basics-two"


def test_login_is_rate_limited(make_app, course_dir):
    app = make_app(course_dir, LOGIN_RATE_LIMIT=(3, 300))
    client = app.test_client()
    codes = [client.post("/login", data={"email": "x@example.org", "password": "y" * 12, "csrf_token": csrf_token(client)}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_login_limit_is_shared_by_every_worker_and_its_window_slides(make_app, course_dir, clock):
    """Two app instances on one database stand for two gunicorn workers: tries on either count against both."""
    first = make_app(course_dir, LOGIN_RATE_LIMIT=(4, 300))
    second = make_app(course_dir, LOGIN_RATE_LIMIT=(4, 300))
    clients = [first.test_client(), second.test_client()]

    def attempt(client):
        data = {"email": ACCOUNTS["tsp"][0], "password": "wrong password 1", "csrf_token": csrf_token(client)}
        return client.post("/login", data=data).status_code

    assert [attempt(clients[i % 2]) for i in range(5)] == [401, 401, 401, 401, 429]
    refused = clients[1].post("/login", data={"email": ACCOUNTS["tsp"][0], "password": PASSWORD,
                                              "csrf_token": csrf_token(clients[1])})
    assert refused.status_code == 429  # even the right password waits: guessing gains nothing
    clock.advance(seconds=301)
    ok = clients[0].post("/login", data={"email": ACCOUNTS["tsp"][0], "password": PASSWORD, "csrf_token": csrf_token(clients[0])})
    assert ok.status_code == 302


def test_behind_a_proxy_each_client_has_its_own_count(make_app, course_dir):
    app = make_app(course_dir, LOGIN_RATE_LIMIT=(2, 300), PROXY_COUNT="1")
    client = app.test_client()

    def attempt(address):
        data = {"email": "x@example.org", "password": "wrong password 1", "csrf_token": csrf_token(client)}
        return client.post("/login", data=data, headers={"X-Forwarded-For": address}).status_code

    assert [attempt("203.0.113.7") for _ in range(3)] == [401, 401, 429]
    assert attempt("198.51.100.20") == 401  # another client behind the same proxy is not locked out


def test_without_a_proxy_forwarded_headers_are_ignored(make_app, course_dir):
    app = make_app(course_dir, LOGIN_RATE_LIMIT=(2, 300))
    client = app.test_client()
    codes = [client.post("/login", data={"email": "x@example.org", "password": "wrong password 1", "csrf_token": csrf_token(client)},
                         headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(3)]
    assert codes == [401, 401, 429]  # a client cannot dodge the limit by claiming new addresses


def test_a_bad_proxy_count_stops_the_app_with_a_clear_message(make_app, course_dir):
    from lms.config import ConfigError

    with pytest.raises(ConfigError, match="LMS_PROXY_COUNT must be a whole number"):
        make_app(course_dir, PROXY_COUNT="one")
