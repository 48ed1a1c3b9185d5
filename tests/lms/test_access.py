"""Every route against every role, found by walking app.url_map: no route can forget its access rule."""
from __future__ import annotations

import pytest

from lms.web.access import PUBLIC
from tests.conftest import ACCOUNTS, csrf_token
from tests.helpers import course_of, database, finish_core, key, user

ROLES = ("anonymous", "tsp", "trainer", "admin")
# A value for each URL variable. Id 1 is the TSP Rina (Cohort A, trained by the trainer), who has finished the core
# training: her quiz attempt 1, her core certificate 1. There is no pilot report 1 and the course has no glossary.
SAMPLE_VALUES = {"lesson_id": "basics-one", "module_id": "basics", "quiz_id": "quiz-basics", "filename": "images/diagram.png",
                 "fmt": "csv", "code": "en", "target": "plan"}  # English stays the language of the pages checked
SIGNED_IN_HOME = {"tsp": 302, "trainer": 302, "admin": 302}
# What each role that may open a route gets, exactly: the course's own rules and the data decide, never the access rule.
# A POST carries only its CSRF token, so forms that need fields answer with their validation result.
ALLOWED = {
    "GET /login": {"anonymous": 200, **SIGNED_IN_HOME},  # signed in: sent home
    "POST /login": {"anonymous": 200, **SIGNED_IN_HOME},  # no email or password: the form again, with its messages
    "GET /": {"anonymous": 302, **SIGNED_IN_HOME},
    "GET /verify": 200,
    "GET /verify/en": 404,  # not a certificate code
    "GET /learn/": 200,
    "GET /learn/modules/basics": 200,
    "GET /learn/lessons/basics-one": 200,
    "POST /learn/lessons/basics-one/done": 302,
    "GET /learn/glossary": 404,
    "GET /learn/files/images/diagram.png": 200,
    "GET /learn/quizzes/quiz-basics": 200,
    "POST /learn/quizzes/quiz-basics/start": 302,
    "GET /learn/attempts/1": {"tsp": 302, "trainer": 404, "admin": 404},  # hers, submitted: to its review; nobody else's
    "POST /learn/attempts/1": {"tsp": 409, "trainer": 404, "admin": 404},  # submitted: its answers no longer change
    "GET /learn/reviews/1": {"tsp": 200, "trainer": 404, "admin": 404},
    "GET /learn/journey": 200,
    "GET /learn/pilot/plan": 200,
    "POST /learn/pilot/plan": {"tsp": 400, "trainer": 302, "admin": 302},  # her submitted plan needs every field
    "GET /learn/pilot/log": 200,
    "POST /learn/pilot/log": 400,  # an empty entry
    "GET /learn/pilot/report": {"tsp": 403, "trainer": 200, "admin": 200},  # her refresher opens in six months
    "POST /learn/pilot/report": {"tsp": 403, "trainer": 302, "admin": 302},
    "GET /learn/pilot/shared": {"tsp": 403, "trainer": 200, "admin": 200},
    "GET /learn/pilot/shared/1": {"tsp": 403, "trainer": 404, "admin": 404},
    "GET /learn/certificates": 200,
    "GET /certificates/1.pdf": 200,  # hers, her trainer's, an admin's
    "GET /trainer/": 200,
    "GET /trainer/cohorts/1": 200,
    "POST /trainer/cohorts/1/refresher": 302,
    "GET /trainer/cohorts/1/quizzes/quiz-basics": 200,
    "GET /trainer/cohorts/1/quizzes/quiz-basics.csv": 200,
    "GET /trainer/attempts/1": 200,
    "GET /trainer/learners/1": 200,
    "POST /trainer/learners/1/comments": 302,  # no text: a message, nothing saved
    "GET /admin/": 200,
    "POST /admin/users": 302,  # no fields: a message, nothing created
    "POST /admin/users/1/active": 400,  # neither yes nor no
    "POST /admin/users/import": 302,  # no file: a message
    "POST /admin/cohorts": 302,  # no name: a message
    "GET /admin/records.csv": 200,
    "GET /admin/certificates": 200,
    "POST /admin/certificates/1/revoke": 302,  # no reason: a message, not revoked
    "POST /admin/certificates/1/reissue": 302,  # no name: a message, not re-issued
    # Accounts, invitations and password links (a link that was never issued is gone: 410)
    "GET /account": 200,
    "POST /account": 400,  # no name or email: the form again, with its messages
    "GET /account/password": 200,
    "POST /account/password": 400,  # no current password
    "POST /notifications/read": 302,
    "POST /learn/pilot/plan/reply": 302,  # no text: a message, nothing saved
    "GET /password/forgot": 200,
    "POST /password/forgot": 400,  # no email
    "GET /password/reset/1": 410,
    "POST /password/reset/1": 410,
    "GET /invite/1": 410,
    "POST /invite/1": 410,
    "GET /admin/people/": 200,
    "GET /admin/people/1": 200,
    "POST /admin/people/1": 400,  # no fields
    "POST /admin/people/1/link": 400,  # neither reset nor invitation
    "POST /admin/people/links/1.csv": 410,  # a list that was never made, or was downloaded already
    # Organisations, the cohort at scale, the queue, extra attempts, restored certificates
    "GET /admin/organisations/": 200,
    "POST /admin/organisations/": 302,  # no name: a message
    "POST /admin/organisations/1": 404,  # no organisation 1
    "POST /admin/organisations/1/delete": 404,
    "POST /admin/organisations/members": 302,  # nobody named: a message
    "POST /admin/certificates/1/restore": 302,  # not revoked: a message
    "GET /trainer/cohorts.csv": 200,
    "GET /trainer/cohorts/1/learners.csv": 200,
    "GET /trainer/queue/": 200,
    "GET /trainer/queue/queue.csv": 200,
    "POST /trainer/learners/1/extra-attempts": 404,  # no quiz named
    # Languages and offline reading
    "GET /language/en": 302,
    "POST /language": 400,  # no language chosen
    "GET /learn/modules/basics/download": 200,
}


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
    with database(app) as session:
        finish_core(session, course_of(app), user(session, "tsp"), key(app))
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
            if access == PUBLIC or role in access:
                expected = ALLOWED[f"{method} {url}"]
                assert response.status_code == (expected[role] if isinstance(expected, dict) else expected), where
                assert b"have access to this page" not in response.get_data(), where
                assert "/login?next=" not in response.headers.get("Location", ""), where
            elif role == "anonymous":
                assert response.status_code == 302 and "/login?next=" in response.headers["Location"], where
            else:
                assert response.status_code == 403, where
                assert "have access to this page" in response.get_data(as_text=True), where
            checked += 1
    assert checked > 5
