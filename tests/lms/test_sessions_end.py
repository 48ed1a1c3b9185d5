"""A copied session cookie stops working after logout, a password change or reset, and deactivation."""
from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD, Auth, csrf_token, user_id


def _signed_in_pair(app):
    """A signed-in browser and a second one holding a copy of its session cookie (a stolen or old device)."""
    first = Auth(app.test_client())
    assert first.login("tsp").status_code == 302
    copy = app.test_client()
    copy.set_cookie("session", first.client.get_cookie("session").value)
    assert copy.get("/learn/").status_code == 200  # the copy works, until something ends the sessions
    return first, copy


def _refused(client) -> bool:
    response = client.get("/learn/")
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_ends_the_copied_session_too(app):
    first, copy = _signed_in_pair(app)
    first.post("/logout", page="/learn/")
    assert _refused(copy)
    assert _refused(first.client)


def test_a_password_change_ends_other_sessions_but_keeps_this_one(app):
    first, copy = _signed_in_pair(app)
    response = first.post("/account/password", {"current_password": PASSWORD, "new_password": "another long password",
                                                "confirm_password": "another long password"}, page="/account/password")
    assert response.status_code == 302
    assert _refused(copy)
    assert first.client.get("/learn/").status_code == 200
    assert Auth(app.test_client()).login("tsp", "another long password").status_code == 302


@pytest.mark.parametrize("form, message", [
    ({"current_password": "not my password", "new_password": "another long password", "confirm_password": "another long password"},
     "current password is not right"),
    ({"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"}, "at least 10 characters"),
    ({"current_password": PASSWORD, "new_password": "another long password", "confirm_password": "another long passw0rd"},
     "not the same"),
])
def test_a_refused_password_change_says_why_and_changes_nothing(app, form, message):
    first, copy = _signed_in_pair(app)
    response = first.post("/account/password", form, page="/account/password")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert copy.get("/learn/").status_code == 200
    assert Auth(app.test_client()).login("tsp").status_code == 302


def test_a_password_reset_ends_every_session(app):
    first, copy = _signed_in_pair(app)
    stranger = app.test_client()
    stranger.post("/password/forgot", data={"email": "tsp@example.org", "csrf_token": csrf_token(stranger, "/password/forgot")})
    with app.app_context():
        from sqlalchemy import select

        from lms.db.models import OutboxMessage
        from lms.db.session import get_session

        body = get_session().scalar(select(OutboxMessage.body).where(OutboxMessage.to_addr == "tsp@example.org"))
    link = re.search(r"http://localhost(/password/reset/\S+)", body).group(1)
    assert copy.get("/learn/").status_code == 200  # asking for a link changes nothing yet
    stranger.post(link, data={"new_password": "reset to this one", "confirm_password": "reset to this one",
                              "csrf_token": csrf_token(stranger, link)})
    assert _refused(copy)
    assert _refused(first.client)


def test_deactivation_ends_sessions_and_reactivation_does_not_revive_them(app):
    first, copy = _signed_in_pair(app)
    admin = Auth(app.test_client())
    admin.login("admin")
    tsp = user_id(app, "tsp")
    admin.post(f"/admin/users/{tsp}/active", {"active": "no"}, page="/admin/")
    assert _refused(copy)
    admin.post(f"/admin/users/{tsp}/active", {"active": "yes"}, page="/admin/")
    assert _refused(copy)
    assert _refused(first.client)
    assert Auth(app.test_client()).login("tsp").status_code == 302  # the person can sign in again


def test_the_cli_deactivation_ends_sessions_too(app):
    _first, copy = _signed_in_pair(app)
    from lms.cli import cli

    result = app.test_cli_runner().invoke(cli, ["users", "deactivate", "--email", "tsp@example.org"])
    assert result.exit_code == 0, result.output
    app.test_cli_runner().invoke(cli, ["users", "activate", "--email", "tsp@example.org"])
    assert _refused(copy)
