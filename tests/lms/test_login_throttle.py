"""Failed logins slow down, gently; correct logins from a shared office address are never refused."""
from __future__ import annotations

import re

from lms.db.session import get_session
from lms.learning.accounts import create_user
from tests.conftest import PASSWORD, csrf_token


def _try(client, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)})


def test_thirty_correct_logins_from_one_office_in_a_minute_all_succeed(app, clock):
    with app.app_context():
        session = get_session()
        for i in range(30):
            create_user(session, f"colleague{i}@example.org", f"Colleague {i}", "tsp", PASSWORD, "Cohort A")
        session.commit()
    for i in range(30):  # one office, one address, thirty people signing in within a minute
        assert _try(app.test_client(), f"colleague{i}@example.org", PASSWORD).status_code == 302
        clock.advance(seconds=2)


def test_repeated_wrong_passwords_are_slowed_and_told_how_long_to_wait(app, clock):
    client = app.test_client()
    codes = [_try(client, "tsp@example.org", "wrong password!").status_code for _ in range(5)]
    assert codes == [401] * 5  # five free tries for an account
    slowed = _try(client, "tsp@example.org", "wrong password!")
    assert slowed.status_code == 429
    wait = int(re.search(r"Wait (\d+) seconds", slowed.get_data(as_text=True)).group(1))
    assert wait == 2
    assert _try(client, "tsp@example.org", PASSWORD).status_code == 429  # guessing gains nothing while waiting
    clock.advance(seconds=wait)
    assert _try(client, "tsp@example.org", "wrong password!").status_code == 401
    assert "Wait 4 seconds" in _try(client, "tsp@example.org", "wrong password!").get_data(as_text=True)
    clock.advance(seconds=4)
    assert _try(client, "tsp@example.org", PASSWORD).status_code == 302  # the owner is never held back for long


def test_the_back_off_is_capped_so_nobody_is_locked_out_for_long(app, clock):
    client = app.test_client()
    waits = []
    while len(waits) < 8:  # a guesser who always waits as long as told
        response = _try(client, "tsp@example.org", "wrong password!")
        if response.status_code == 429:
            waits.append(int(re.search(r"Wait (\d+) seconds", response.get_data(as_text=True)).group(1)))
            clock.advance(seconds=waits[-1])
    assert waits == [2, 4, 8, 16, 32, 64, 120, 120]
    clock.advance(seconds=120)
    assert _try(client, "tsp@example.org", PASSWORD).status_code == 302


def test_someone_mistyping_in_the_office_does_not_hold_back_colleagues_who_signed_in_before(make_app, course_dir, clock):
    app = make_app(course_dir, LOGIN_RATE_LIMIT=(3, 300))
    colleague = app.test_client()
    assert _try(colleague, "peer@example.org", PASSWORD).status_code == 302
    colleague.post("/logout", data={"csrf_token": csrf_token(colleague, "/learn/")})
    mistyper = app.test_client()
    for email in ("tsp@example.org", "tsp2@example.org", "someone@example.org", "tsp@example.org"):
        _try(mistyper, email, "wrong password!")
    assert _try(app.test_client(), "trainer@example.org", PASSWORD).status_code == 429  # a new browser waits a moment
    assert _try(colleague, "peer@example.org", PASSWORD).status_code == 302  # a known browser goes straight in
