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
