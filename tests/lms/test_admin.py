"""Administration: importing accounts (all rows or none, on the Admin page and with `lms users import`), cohorts and their trainers."""
from __future__ import annotations

import io

from click.testing import CliRunner
from sqlalchemy import func, select

from lms.cli import cli
from lms.db.models import Cohort, User
from lms.db.session import get_session
from tests.conftest import Auth, csrf_token

GOOD = ("email,name,role,cohort,password\n"
        "nasrin@example.org,Nasrin Begum,tsp,Cohort C,a long passphrase\n"
        "Sokha@Example.org, Sokha  Pich ,trainer,Cohort C,\n")
# Three problems in one file: every one is reported, and nothing at all is imported.
BAD = ("email,name,role,cohort\n"
       "lourdes@example.org,Lourdes Reyes,tsp,Cohort C\n"
       "not-an-email,Someone,tsp,Cohort C\n"
       "tsp@example.org,Rina again,tsp,Cohort A\n"
       "joy@example.org,Joy Santos,learner,Cohort C\n")


def accounts(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(User))


def cohort_names(app) -> list[str]:
    with app.app_context():
        return list(get_session().scalars(select(Cohort.name).order_by(Cohort.name)))


def admin(app) -> Auth:
    auth = Auth(app.test_client())
    auth.login("admin")
    return auth


def upload(auth: Auth, text: str):
    return auth.post("/admin/users/import", {"file": (io.BytesIO(text.encode()), "people.csv")}, page="/admin/",
                     content_type="multipart/form-data")


def test_web_import_with_a_bad_row_imports_nothing_and_lists_every_problem(app):
    before, cohorts = accounts(app), cohort_names(app)
    response = upload(admin(app), BAD)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Nothing was imported" in html
    assert "line 3: not-an-email is not an email address" in html
    assert "line 4: tsp@example.org already has an account" in html
    assert "line 5: role &#39;learner&#39; must be one of tsp, trainer, admin" in html
    assert accounts(app) == before and cohort_names(app) == cohorts  # not even the good first row, nor its cohort


def test_web_import_of_a_good_file_creates_every_account(app):
    response = upload(admin(app), GOOD)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "/invite/" in html  # Sokha gave no password: her invitation, shown once
    with app.app_context():
        session = get_session()
        nasrin = session.scalar(select(User).where(User.email == "nasrin@example.org"))
        sokha = session.scalar(select(User).where(User.email == "sokha@example.org"))
        assert nasrin.cohort.name == "Cohort C" and nasrin.role == "tsp"
        assert sokha.name == "Sokha Pich" and [c.name for c in sokha.trains] == ["Cohort C"] and sokha.cohort is None
    assert "a long passphrase" not in html  # a password given in the file is never shown again
    assert "sokha@example.org" in html and "nasrin@example.org" not in html.split("/invite/")[0].split("<table")[-1]
    learner = app.test_client()  # the new learner signs in with the password from the file
    signed_in = learner.post("/login", data={"email": "nasrin@example.org", "password": "a long passphrase",
                                             "csrf_token": csrf_token(learner)})
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/learn/")


def test_web_import_refuses_a_file_that_is_not_utf8(app):
    before = accounts(app)
    auth = admin(app)
    response = auth.post("/admin/users/import", {"file": (io.BytesIO("email,name,role\nzoë@example.org,Zoë,tsp\n".encode("latin-1")),
                                                          "people.csv")},
                         page="/admin/", content_type="multipart/form-data", follow_redirects=True)
    assert "is not UTF-8 text" in response.get_data(as_text=True) and accounts(app) == before


def cli_env(app) -> dict[str, str]:
    return {"LMS_SECRET_KEY": app.config["SECRET_KEY"], "LMS_DATABASE_URL": app.config["DATABASE_URL"],
            "LMS_COURSE_DIR": app.config["COURSE_DIR"]}


def test_cli_import_with_a_bad_row_imports_nothing(app, tmp_path):
    before, cohorts = accounts(app), cohort_names(app)
    path = tmp_path / "people.csv"
    path.write_text(BAD)
    result = CliRunner().invoke(cli, ["users", "import", str(path)], env=cli_env(app))
    assert result.exit_code == 1
    assert "nothing was imported" in result.output and "line 3: not-an-email is not an email address" in result.output
    assert accounts(app) == before and cohort_names(app) == cohorts


def test_cli_import_of_a_good_file_prints_invitation_links(app, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    result = CliRunner().invoke(cli, ["users", "import", str(path)], env=cli_env(app))
    assert result.exit_code == 0 and "Created 2 account(s)" in result.output
    lines = dict(line.split(",", 1) for line in result.output.splitlines()[1:])
    assert "/invite/" in lines["sokha@example.org"]  # no password in the file: an invitation to choose one
    assert "nasrin@example.org" not in lines and "a long passphrase" not in result.output  # never shown again
    assert "Cohort C" in cohort_names(app)


def test_admin_creates_a_cohort_with_a_trainer_who_then_follows_it(app):
    auth = admin(app)
    response = auth.post("/admin/cohorts", {"cohort": "  Cohort   Dhaka ", "trainer_email": "Trainer@example.org"}, page="/admin/",
                         follow_redirects=True)
    assert "Cohort Cohort Dhaka saved with trainer Tara Trainer." in response.get_data(as_text=True)
    with app.app_context():
        cohort = get_session().scalar(select(Cohort).where(Cohort.name == "Cohort Dhaka"))
        assert [t.email for t in cohort.trainers] == ["trainer@example.org"]
    trainer = Auth(app.test_client())
    trainer.login("trainer")
    assert "Cohort Dhaka" in trainer.client.get("/trainer/").get_data(as_text=True)
    # Saving again adds nothing twice.
    auth.post("/admin/cohorts", {"cohort": "Cohort Dhaka", "trainer_email": "trainer@example.org"}, page="/admin/")
    with app.app_context():
        cohort = get_session().scalar(select(Cohort).where(Cohort.name == "Cohort Dhaka"))
        assert len(cohort.trainers) == 1


def test_a_learner_cannot_be_made_a_cohorts_trainer_and_nothing_changes(app):
    cohorts = cohort_names(app)
    response = admin(app).post("/admin/cohorts", {"cohort": "Cohort E", "trainer_email": "tsp@example.org"}, page="/admin/",
                               follow_redirects=True)
    assert "tsp@example.org is not a trainer&#39;s account; nothing was changed." in response.get_data(as_text=True)
    assert cohort_names(app) == cohorts
    nameless = admin(app).post("/admin/cohorts", {"cohort": "  "}, page="/admin/", follow_redirects=True)
    assert "Give the cohort a name; nothing was changed." in nameless.get_data(as_text=True)
    assert cohort_names(app) == cohorts


def test_admin_creates_a_learner_in_a_new_cohort(app):
    response = admin(app).post("/admin/users", {"email": "priya@example.org", "name": "Priya Sharma", "role": "tsp",
                                                "cohort": "Cohort F", "password": "a long passphrase"},
                               page="/admin/", follow_redirects=True)
    assert "Created the tsp account priya@example.org." in response.get_data(as_text=True)
    with app.app_context():
        priya = get_session().scalar(select(User).where(User.email == "priya@example.org"))
        assert priya.cohort.name == "Cohort F"
    short = admin(app).post("/admin/users", {"email": "joy@example.org", "name": "Joy", "role": "tsp", "password": "short"},
                            page="/admin/", follow_redirects=True)
    assert "No account was created: the password must have at least 10 characters." in short.get_data(as_text=True)
