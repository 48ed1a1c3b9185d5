"""Deactivating an account: it cannot sign in, its sessions end, its records stay; and back again."""
from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from lms.cli import cli
from lms.db.models import LessonProgress, User
from lms.db.session import get_session
from tests.conftest import PASSWORD, Auth, user_id


def progress_rows(app, who: str) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(LessonProgress)
                                    .where(LessonProgress.user_id == user_id(app, who)))


def test_admin_deactivates_and_reactivates_a_learner(app, client, auth):
    auth.login("tsp")
    client.get("/learn/lessons/basics-one")
    assert progress_rows(app, "tsp") == 1
    admin = Auth(app.test_client())
    admin.login("admin")
    tsp_id = user_id(app, "tsp")
    response = admin.post(f"/admin/users/{tsp_id}/active", {"active": "no"}, page="/admin/")
    assert response.status_code == 302
    assert "deactivated: it cannot sign in" in admin.client.get("/admin/").get_data(as_text=True)

    signed_out = client.get("/learn/")  # the learner's open session ends
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    refused = auth.login("tsp")
    assert refused.status_code == 401 and "This account has been deactivated" in refused.get_data(as_text=True)
    wrong = auth.login("tsp", password="not the password")
    assert "do not match an account" in wrong.get_data(as_text=True)  # no hint without the password
    assert progress_rows(app, "tsp") == 1  # nothing the learner did is lost

    admin.post(f"/admin/users/{tsp_id}/active", {"active": "yes"}, page="/admin/")
    assert client.get("/learn/").status_code == 302  # the old session does not come back with the account
    assert auth.login("tsp").status_code == 302
    assert client.get("/learn/").status_code == 200


def test_an_admin_cannot_deactivate_themselves_and_others_cannot_at_all(app, auth):
    admin = Auth(app.test_client())
    admin.login("admin")
    admin_id = user_id(app, "admin")
    response = admin.post(f"/admin/users/{admin_id}/active", {"active": "no"}, page="/admin/", follow_redirects=True)
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)
    trainer = Auth(app.test_client())
    trainer.login("trainer")
    assert trainer.post(f"/admin/users/{user_id(app, 'tsp')}/active", {"active": "no"}, page="/learn/").status_code == 403
    assert admin.post("/admin/users/9999/active", {"active": "no"}, page="/admin/").status_code == 404
    for bad in ({}, {"active": "maybe"}):  # a tampered form changes nothing
        assert admin.post(f"/admin/users/{user_id(app, 'tsp')}/active", bad, page="/admin/").status_code == 400
    with app.app_context():
        assert all(get_session().scalars(select(User.active)))


def test_cli_deactivate_and_activate(app, auth):
    runner = CliRunner()
    env = {"LMS_SECRET_KEY": app.config["SECRET_KEY"], "LMS_DATABASE_URL": app.config["DATABASE_URL"],
           "LMS_COURSE_DIR": app.config["COURSE_DIR"]}
    result = runner.invoke(cli, ["users", "deactivate", "--email", "TSP@example.org"], env=env)
    assert result.exit_code == 0 and "tsp@example.org is deactivated" in result.output
    assert auth.login("tsp").status_code == 401
    result = runner.invoke(cli, ["users", "activate", "--email", "tsp@example.org"], env=env)
    assert result.exit_code == 0
    assert auth.login("tsp", password=PASSWORD).status_code == 302
    unknown = runner.invoke(cli, ["users", "deactivate", "--email", "nobody@example.org"], env=env)
    assert unknown.exit_code != 0 and "no account for nobody@example.org" in unknown.output


def test_cli_set_password_replaces_a_lost_one(app, auth):
    runner = CliRunner()
    env = {"LMS_SECRET_KEY": app.config["SECRET_KEY"], "LMS_DATABASE_URL": app.config["DATABASE_URL"],
           "LMS_COURSE_DIR": app.config["COURSE_DIR"]}
    result = runner.invoke(cli, ["users", "set-password", "--email", "tsp@example.org", "--password-stdin"],
                           input="a brand new passphrase\n", env=env)
    assert result.exit_code == 0 and "Password set for tsp@example.org" in result.output
    assert auth.login("tsp").status_code == 401  # the old one no longer works
    assert auth.login("tsp", password="a brand new passphrase").status_code == 302
    unknown = runner.invoke(cli, ["users", "set-password", "--email", "nobody@example.org", "--password-stdin"],
                            input="whatever passphrase\n", env=env)
    assert unknown.exit_code != 0 and "no account for nobody@example.org" in unknown.output
