"""Every route against every role, found by walking app.url_map: no route can forget its access rule."""
from __future__ import annotations

import pytest

from lms.web.access import PUBLIC
from tests.conftest import ACCOUNTS, csrf_token

ROLES = ("anonymous", "tsp", "trainer", "admin")
# A value for each URL variable; ids that exist where it matters for "allowed" to mean "not refused".
SAMPLE_VALUES = {"lesson_id": "basics-one", "module_id": "basics", "quiz_id": "quiz-basics", "filename": "images/diagram.png",
                 "fmt": "csv"}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        values = {arg: SAMPLE_VALUES.get(arg, "1") for arg in rule.arguments}
        yield rule, values


def test_every_view_declares_an_access_rule(app):
    missing = [rule.rule for rule, _ in routes(app) if getattr(app.view_functions[rule.endpoint], "access", None) is None]
    assert missing == []


@pytest.mark.parametrize("role", ROLES)
def test_every_route_enforces_its_rule_for(app, role):
    client = app.test_client()
    if role != "anonymous":
        email = ACCOUNTS[role][0]
        response = client.post("/login", data={"email": email, "password": "correct horse battery", "csrf_token": csrf_token(client)})
        assert response.status_code == 302
    token = csrf_token(client, "/login" if role == "anonymous" else "/learn/journey")
    checked = 0
    for rule, values in routes(app):
        access = app.view_functions[rule.endpoint].access
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.endpoint == "auth.logout" and role != "anonymous":
                continue  # would end this client's session; logout is tested on its own
            response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
            where = f"{method} {url} as {role}"
            if access == PUBLIC:
                assert response.status_code != 403, where
                assert "/login?next=" not in response.headers.get("Location", ""), where
            elif role == "anonymous":
                assert response.status_code == 302 and "/login" in response.headers["Location"], where
            elif role in access:  # a 403 here may only be the course's own rule (the refresher is not open yet)
                assert response.status_code != 401, where
                assert b"have access to this page" not in response.get_data(), where
                assert "/login" not in response.headers.get("Location", ""), where
            else:
                assert response.status_code == 403, where
                assert "have access to this page" in response.get_data(as_text=True), where
            checked += 1
    assert checked > 5
