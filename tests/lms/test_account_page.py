"""The account page: a person changes their own name and email (the email only with their password)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.db.models import User
from lms.db.session import get_session
from tests.conftest import PASSWORD, Auth


def _me(app) -> User:
    with app.app_context():
        return get_session().scalar(select(User).where(User.name.like("Rina%")))


def test_change_name_and_email(app, auth):
    auth.login("tsp")
    page = auth.client.get("/account").get_data(as_text=True)
    assert 'value="Rina Akter"' in page and "Change password" in page
    response = auth.post("/account", {"name": "Rina  Akter Chowdhury", "email": "rina.new@example.org",
                                      "current_password": PASSWORD, "email_kinds": ["comment"]}, page="/account")
    assert response.status_code == 302
    me = _me(app)
    assert (me.name, me.email) == ("Rina Akter Chowdhury", "rina.new@example.org")
    assert set(me.email_optout.split(",")) == {"certificate", "refresher"}
    fresh = Auth(app.test_client())
    from tests.conftest import csrf_token

    assert fresh.client.post("/login", data={"email": "rina.new@example.org", "password": PASSWORD,
                                             "csrf_token": csrf_token(fresh.client)}).status_code == 302


@pytest.mark.parametrize("form, message", [
    ({"name": "Rina", "email": "other@example.org", "current_password": "wrong one"}, "type your current password"),
    ({"name": "Rina", "email": "peer@example.org", "current_password": PASSWORD}, "another account already uses"),
    ({"name": "  ", "email": "tsp@example.org"}, "the name is empty"),
    ({"name": "Rina", "email": "not an address"}, "is not an email address"),
])
def test_refused_changes_say_why_and_change_nothing(app, auth, form, message):
    auth.login("tsp")
    response = auth.post("/account", form, page="/account")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    me = _me(app)
    assert (me.name, me.email) == ("Rina Akter", "tsp@example.org")
