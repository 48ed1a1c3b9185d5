"""Starting the app: no production start without a secret key; every response carries the security headers."""
from __future__ import annotations

import stat

import pytest
from click.testing import CliRunner

from lms import create_app
from lms.cli import cli
from lms.config import ConfigError


@pytest.fixture
def bare_env(monkeypatch, tmp_path, course_dir):
    """The environment of a fresh server: no secret key, an empty instance folder."""
    for name in ("LMS_SECRET_KEY", "LMS_ENV", "LMS_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("LMS_COURSE_DIR", str(course_dir))
    return instance


def test_production_refuses_to_start_without_a_secret_key(bare_env):
    with pytest.raises(ConfigError, match="LMS_SECRET_KEY is not set"):
        create_app()
    assert not (bare_env / "secret_key").exists()  # no key was quietly made up


def test_the_lms_command_says_what_to_set_instead_of_a_traceback(bare_env):
    result = CliRunner().invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 1
    assert "Configuration problem: LMS_SECRET_KEY is not set" in result.output
    assert "Traceback" not in result.output


def test_development_makes_a_private_key_once_and_keeps_it(bare_env, monkeypatch):
    monkeypatch.setenv("LMS_ENV", "development")
    first = create_app().config["SECRET_KEY"]
    key_file = bare_env / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(first) >= 64
    assert create_app().config["SECRET_KEY"] == first  # sessions and certificate codes survive a restart


def test_a_given_secret_key_is_used(bare_env, monkeypatch):
    monkeypatch.setenv("LMS_SECRET_KEY", "a key from the environment")
    assert create_app().config["SECRET_KEY"] == "a key from the environment"


CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")


def test_public_pages_carry_the_security_headers(client):
    for url in ("/login", "/verify", "/no-such-page"):
        headers = client.get(url).headers
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["X-Frame-Options"] == "DENY", url
        assert headers["Referrer-Policy"] == "same-origin", url
        assert headers["Content-Security-Policy"] == CSP, url
        assert "no-store" not in headers.get("Cache-Control", ""), url


def test_signed_in_pages_are_never_stored_by_caches(client, auth):
    auth.login("tsp")
    for url in ("/learn/", "/learn/lessons/basics-one", "/learn/journey"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "private, no-store", url
        assert response.headers["Content-Security-Policy"] == CSP, url
        assert response.headers["X-Frame-Options"] == "DENY", url
