"""Which language a page is in: the account's choice, then the session's, then the browser's, then English."""
from __future__ import annotations

import pytest

from lms.db.models import User
from lms.db.session import get_session
from tests.conftest import ACCOUNTS, PASSWORD, csrf_token


def lang_of(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("header, expected", [
    ("km-KH,km;q=0.9,en;q=0.5", "km"), ("bn-BD", "bn"), ("hi", "hi"), ("tl-PH", "fil"), ("fil", "fil"),
    ("fr-FR,fr;q=0.9", "en"), ("", "en"), ("de,hi;q=0.3", "hi"),
])
def test_the_browser_language_is_used_before_any_choice(client, header, expected):
    assert lang_of(client.get("/login", headers={"Accept-Language": header})) == expected


def test_a_choice_before_login_lasts_the_session_and_beats_the_browser(client):
    response = client.get("/language/hi?next=/verify")
    assert response.status_code == 302 and response.headers["Location"] == "/verify"
    assert lang_of(client.get("/login", headers={"Accept-Language": "km"})) == "hi"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_the_language_link_never_sends_anyone_off_site(client, target):
    response = client.get("/language/bn", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_an_unknown_or_unoffered_language_changes_nothing(make_app, course_dir):
    app = make_app(course_dir, LANGUAGES="en,bn")
    client = app.test_client()
    assert client.get("/language/xx").status_code == 404
    assert client.get("/language/km").status_code == 404  # km has a catalog but is not offered here
    assert lang_of(client.get("/login", headers={"Accept-Language": "km"})) == "en"
    assert 'hreflang="km"' not in client.get("/login").get_data(as_text=True)


def test_a_signed_in_choice_is_kept_on_the_account_and_beats_session_and_browser(app, client):
    client.post("/login", data={"email": ACCOUNTS["tsp"][0], "password": PASSWORD, "csrf_token": csrf_token(client)})
    response = client.post("/language", data={"language": "km", "next": "/learn/journey", "csrf_token": csrf_token(client, "/learn/")})
    assert response.status_code == 302 and response.headers["Location"] == "/learn/journey"
    with app.app_context():
        assert get_session().query(User).filter_by(email=ACCOUNTS["tsp"][0]).one().language == "km"
    other = app.test_client()  # another browser: the account's language wins over the browser's
    other.get("/language/bn")
    other.post("/login", data={"email": ACCOUNTS["tsp"][0], "password": PASSWORD, "csrf_token": csrf_token(other)})
    assert lang_of(other.get("/learn/", headers={"Accept-Language": "hi"})) == "km"


def test_the_account_choice_needs_the_csrf_token(app, client):
    client.post("/login", data={"email": ACCOUNTS["tsp"][0], "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert client.post("/language", data={"language": "km"}).status_code == 400
    assert client.post("/language", data={"language": "xx", "csrf_token": csrf_token(client, "/learn/")}).status_code == 400
    with app.app_context():
        assert get_session().query(User).filter_by(email=ACCOUNTS["tsp"][0]).one().language is None


def test_bad_language_settings_stop_the_start_with_a_clear_message(make_app, course_dir):
    from lms.config import ConfigError

    with pytest.raises(ConfigError, match="'xx-nonsense' is not a language code"):
        make_app(course_dir, LANGUAGES="en,xx-nonsense")
    with pytest.raises(ConfigError, match="no compiled catalog for 'ta'"):
        make_app(course_dir, LANGUAGES="en,ta")


def test_dates_and_numbers_follow_the_locale(app):
    from datetime import date

    with app.test_request_context("/", headers={"Accept-Language": "bn"}):
        env = app.jinja_env
        assert env.filters["date"](date(2026, 1, 5)) == "5 জানুয়ারি, 2026"
        assert env.filters["number"](1234567) == "12,34,567"  # Indian grouping
    with app.test_request_context("/", headers={"Accept-Language": "fil"}):
        assert app.jinja_env.filters["date"](date(2026, 1, 5)) == "Enero 5, 2026"
    with app.test_request_context("/"):
        assert app.jinja_env.filters["date"](date(2026, 1, 5)) == "5 January 2026"
        assert app.jinja_env.filters["number"](1234567) == "1,234,567"
