"""The input layer and exactly-once saves, one reported failure at a time (SQLite; PostgreSQL in the fuzz suite)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from lms.cli import cli
from lms.db.models import Cohort, Comment, LessonProgress, PilotLogEntry, PilotPlan, PilotPlanVersion, User
from lms.db.session import get_session
from lms.learning import inputs, pilot
from tests.conftest import ACCOUNTS, PASSWORD, csrf_token, user_id
from tests.lms.post_routes import PLAN


def count(app, model, *where) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model).where(*where))


def test_mark_done_on_a_lesson_never_opened(app, client, auth):
    auth.login()
    response = auth.post("/learn/lessons/basics-two/done")
    assert response.status_code == 302
    with app.app_context():
        row = get_session().scalar(select(LessonProgress).where(LessonProgress.lesson_id == "basics-two"))
        assert row.completed_at is not None and row.seconds_spent == 0
    assert auth.post("/learn/lessons/basics-two/done").status_code == 302  # again is harmless
    assert count(app, LessonProgress) == 1


def test_the_error_page_promises_only_what_is_true(make_app, course_dir, monkeypatch):
    app = make_app(course_dir, PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()
    client.post("/login", data={"email": ACCOUNTS["tsp"][0], "password": PASSWORD, "csrf_token": csrf_token(client)})

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(pilot, "add_log_entry", broken)
    response = client.post("/learn/pilot/log", data={"csrf_token": csrf_token(client, "/learn/pilot/log"), "did": "x",
                                                     "entry_date": "2026-01-05"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Your work so far is saved" not in page
    assert "check whether it was saved before trying again" in page
    assert "the disk is full" not in page


@pytest.mark.parametrize("email", ["tsp@example.org\x00", "\x00", "a\x1bb@example.org"])
def test_control_characters_are_refused_before_any_view(client, email):
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)


def test_long_text_keeps_newlines_and_tabs(app, client, auth):
    auth.login()
    response = auth.post("/learn/pilot/log", {"entry_date": "2026-01-04", "did": "Line one\n\tLine two\r\n"},
                         page="/learn/pilot/log")
    assert response.status_code == 302
    with app.app_context():
        assert get_session().scalar(select(PilotLogEntry.did)) == "Line one\n\tLine two"


@pytest.mark.parametrize("field, value, message", [
    ("name", "N" * 201, "the name is too long (at most 200 characters"),
    ("cohort", "C" * 121, "the cohort name is too long (at most 120 characters"),
    ("email", "e" * 250 + "@example.org", "the email address is too long"),
    ("password", " " * 10, "the password is empty or only spaces"),
    ("password", "short", "at least 10 characters"),
])
def test_admin_account_form_refuses_with_a_message(app, client, auth, field, value, message):
    auth.login("admin")
    form = {"email": "new@example.org", "name": "New Person", "role": "tsp", "password": "a long password",
            "cohort": "Cohort N", field: value}
    response = auth.post("/admin/users", form, page="/admin/", follow_redirects=True)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(app, User) == len(ACCOUNTS)
    assert count(app, Cohort, Cohort.name.like("C%C")) == 0


def test_cohort_form_refuses_an_overlong_name(app, client, auth):
    auth.login("admin")
    response = auth.post("/admin/cohorts", {"cohort": "C" * 121}, page="/admin/", follow_redirects=True)
    assert "the cohort name is too long" in response.get_data(as_text=True)
    assert count(app, Cohort) == 2


@pytest.mark.parametrize("url", ["/trainer/attempts/9223372036854775808", "/trainer/attempts/2147483648",
                                 "/learn/reviews/99999999999999999999999", "/certificates/18446744073709551616.pdf"])
def test_ids_out_of_range_are_not_found(client, auth, url):
    auth.login("trainer")
    assert client.get(url).status_code == 404


def test_a_request_over_the_size_limit_gets_a_friendly_413(app, client, auth):
    auth.login()
    response = auth.post("/learn/pilot/log", {"entry_date": "2026-01-04", "did": "x" * (3 * 1024 * 1024)},
                         page="/learn/pilot/log")
    assert response.status_code == 413
    assert "nothing was saved" in response.get_data(as_text=True)
    assert count(app, PilotLogEntry) == 0


def test_a_resent_log_entry_or_comment_is_stored_once(app, client, auth):
    auth.login()
    entry = {"entry_date": "2026-01-04", "did": "Met the team", "happened": "", "learned": ""}
    first = auth.post("/learn/pilot/log", entry, page="/learn/pilot/log", follow_redirects=True)
    again = auth.post("/learn/pilot/log", entry, page="/learn/pilot/log", follow_redirects=True)
    assert "Log entry added" in first.get_data(as_text=True)
    assert "already in your log" in again.get_data(as_text=True)
    assert count(app, PilotLogEntry) == 1
    auth.post("/learn/pilot/log", {**entry, "did": "Met the team again"}, page="/learn/pilot/log")
    assert count(app, PilotLogEntry) == 2

    auth.post("/learn/pilot/plan", dict(PLAN), page="/learn/pilot/plan")  # something to comment on
    client.post("/logout", data={"csrf_token": csrf_token(client, "/learn/")})
    auth.login("trainer")
    learner = user_id(app, "tsp")
    for _ in range(2):
        auth.post(f"/trainer/learners/{learner}/comments", {"target": "plan", "body": "Add an indicator by age."},
                  page="/trainer/")
    assert count(app, Comment) == 1


def test_plan_versions_skip_identical_saves_and_stay_bounded(app, client, auth, monkeypatch):
    monkeypatch.setattr(pilot, "MAX_VERSIONS", 5)
    auth.login()
    auth.post("/learn/pilot/plan", {**PLAN, "action": "submit"}, page="/learn/pilot/plan")
    auth.post("/learn/pilot/plan", {**PLAN, "action": "submit"}, page="/learn/pilot/plan")  # resent: no new version
    assert count(app, PilotPlanVersion) == 1
    for n in range(12):
        assert auth.post("/learn/pilot/plan", {**PLAN, "timeline": f"Months 1-{n + 7}"},
                         page="/learn/pilot/plan").status_code == 302
    with app.app_context():
        numbers = get_session().scalars(select(PilotPlanVersion.number).order_by(PilotPlanVersion.number)).all()
        plan = get_session().scalar(select(PilotPlan))
    assert numbers == [1, 9, 10, 11, 12, 13]  # the first submitted version and the latest five
    assert plan.fields["timeline"] == "Months 1-18" and plan.submitted_at is not None


def test_plan_fields_are_bounded_with_a_field_error(app, client, auth):
    auth.login()
    response = auth.post("/learn/pilot/plan", {**PLAN, "actions": "a" * 6001}, page="/learn/pilot/plan")
    assert response.status_code == 400
    assert "Actions is too long (at most 6,000 characters" in response.get_data(as_text=True)
    assert count(app, PilotPlan) == 0


@pytest.mark.parametrize("value, expected", [
    ("  Rina  Akter ", "Rina Akter"), ("a\tb", "a b"),
])
def test_short_text_is_tidied(value, expected):
    assert inputs.text(value, "the name", 200) == expected


@pytest.mark.parametrize("value", ["a\x00b", "\x1b[31m", "x" * 201])
def test_short_text_refusals(value):
    with pytest.raises(inputs.InputError):
        inputs.text(value, "the name", 200)


def test_cli_refuses_a_whitespace_password(app, monkeypatch):
    monkeypatch.setenv("LMS_DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("LMS_COURSE_DIR", app.config["COURSE_DIR"])
    monkeypatch.setenv("LMS_SECRET_KEY", "x")
    result = CliRunner().invoke(cli, ["users", "create", "--email", "s@example.org", "--name", "S", "--role", "tsp",
                                      "--password-stdin"], input=" " * 10 + "\n")
    assert result.exit_code == 1 and "empty or only spaces" in result.output
    assert count(app, User, User.email == "s@example.org") == 0


@pytest.fixture
def import_file(app, monkeypatch, tmp_path):
    """Run `lms users import` on given bytes against the test app's database."""
    monkeypatch.setenv("LMS_DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("LMS_COURSE_DIR", app.config["COURSE_DIR"])
    monkeypatch.setenv("LMS_SECRET_KEY", "x")

    def run(data: bytes):
        path = tmp_path / "people.csv"
        path.write_bytes(data)
        return CliRunner().invoke(cli, ["users", "import", str(path)])

    return run


PEOPLE = "email,name,role,cohort,password\nana@example.org,Ana Gómez,tsp,Cohort I,\nbo@example.org,Bo Chea,tsp,Cohort I,given password 1\n"


@pytest.mark.parametrize("data", [
    PEOPLE.encode("latin-1"),
    PEOPLE.encode("utf-16-le"),  # UTF-16 without a BOM cannot be told from binary
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    b"\xff\xd8\xff\xe0" + bytes(range(256)),
])
def test_import_of_a_file_that_is_not_utf8_text_says_so(app, import_file, data):
    result = import_file(data)
    assert result.exit_code == 1
    assert "save it as “CSV UTF-8”" in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert count(app, User) == len(ACCOUNTS)


@pytest.mark.parametrize("data", [PEOPLE.encode("utf-8"), PEOPLE.encode("utf-8-sig"), PEOPLE.encode("utf-16")])
def test_import_reads_utf8_with_or_without_bom_and_utf16_with_bom(app, import_file, data):
    result = import_file(data)
    assert result.exit_code == 0, result.output
    listed = dict(line.split(",", 1) for line in result.output.splitlines()[1:])
    assert "/invite/" in listed["ana@example.org"]  # no password in the file: an invitation
    assert "bo@example.org" not in listed and "given password 1" not in result.output  # given in the file: never shown
    with app.app_context():
        assert get_session().scalar(select(User.name).where(User.email == "ana@example.org")) == "Ana Gómez"


def test_import_with_an_overlong_name_imports_nothing(app, import_file):
    data = PEOPLE + "cy@example.org," + "N" * 201 + ",tsp,Cohort I,\n"
    result = import_file(data.encode())
    assert result.exit_code == 1
    assert "line 4: the name is too long (at most 200 characters" in result.output
    assert count(app, User) == len(ACCOUNTS)
    assert count(app, Cohort, Cohort.name == "Cohort I") == 0
