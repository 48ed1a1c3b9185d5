"""The admin's people page: search, edit, reset links and invitations; imports that invite instead of hashing."""
from __future__ import annotations

import re
from io import BytesIO

from click.testing import CliRunner
from sqlalchemy import func, select

from lms.cli import cli
from lms.db.models import AccountToken, OutboxMessage, User
from lms.db.session import get_session
from tests.conftest import Auth, csrf_token, user_id


def _admin(app) -> Auth:
    admin = Auth(app.test_client())
    admin.login("admin")
    return admin


def _csv(rows: int, bad_line: int | None = None) -> bytes:
    lines = ["email,name,role,cohort"]
    for i in range(rows):
        lines.append(f"person{i}@example.org,Person {i},tsp,Import cohort" if i != bad_line else f"person{i},Person {i},tsp,")
    return ("\n".join(lines) + "\n").encode()


def _import(admin: Auth, body: bytes):
    return admin.post("/admin/users/import", {"file": (BytesIO(body), "people.csv")}, page="/admin/",
                      content_type="multipart/form-data")


def _count(app, model=User) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model))


def test_search_by_name_or_email(app):
    admin = _admin(app)
    page = admin.client.get("/admin/people/?q=rina").get_data(as_text=True)
    assert "Rina Akter" in page and "Maria Santos" not in page
    page = admin.client.get("/admin/people/?q=TSP2@").get_data(as_text=True)
    assert "Sok Chanthy" in page and "Rina Akter" not in page


def test_edit_name_email_role_and_cohort(app, auth):
    admin = _admin(app)
    tsp = user_id(app, "tsp")
    url = f"/admin/people/{tsp}"
    response = admin.post(url, {"name": "Rina  Akter Chowdhury", "email": "Rina@Example.org", "role": "tsp", "cohort": "Cohort B"}, page=url)
    assert response.status_code == 302
    with app.app_context():
        user = get_session().get(User, tsp)
        assert (user.name, user.email, user.cohort.name) == ("Rina Akter Chowdhury", "rina@example.org", "Cohort B")
    taken = admin.post(url, {"name": "Rina", "email": "peer@example.org", "role": "tsp", "cohort": ""}, page=url)
    assert taken.status_code == 400 and "already uses peer@example.org" in taken.get_data(as_text=True)
    bad_role = admin.post(url, {"name": "Rina", "email": "rina@example.org", "role": "boss", "cohort": ""}, page=url)
    assert bad_role.status_code == 400 and "Nothing was changed" in bad_role.get_data(as_text=True)
    me = f"/admin/people/{user_id(app, 'admin')}"
    assert "your own administrator role" in admin.post(me, {"name": "Ada", "email": "admin@example.org", "role": "tsp",
                                                            "cohort": ""}, page=me).get_data(as_text=True)
    assert auth.login("trainer").status_code == 302
    assert auth.post(url, {"name": "x", "email": "x@example.org", "role": "admin", "cohort": ""}, page="/trainer/").status_code == 403


def test_without_mail_a_reset_link_is_shown_once_and_works(app):
    admin = _admin(app)
    tsp = user_id(app, "tsp")
    page = admin.post(f"/admin/people/{tsp}/link", {"purpose": "reset"}, page=f"/admin/people/{tsp}").get_data(as_text=True)
    assert "shown only now" in page
    link = re.search(r"http://localhost(/password/reset/[\w-]+)", page).group(1)
    person = app.test_client()
    person.post(link, data={"new_password": "chosen by me now", "confirm_password": "chosen by me now", "csrf_token": csrf_token(person, link)})
    assert Auth(app.test_client()).login("tsp", "chosen by me now").status_code == 302
    with app.app_context():  # only a fingerprint of the link is stored
        assert link.rsplit("/", 1)[1] not in get_session().scalars(select(AccountToken.token_hash)).all()


def test_an_account_created_without_a_password_gets_an_invitation(app):
    admin = _admin(app)
    page = admin.post("/admin/users", {"email": "new@example.org", "name": "New Person", "role": "tsp", "cohort": "Cohort A",
                                       "password": ""}, page="/admin/").get_data(as_text=True)
    link = re.search(r"http://localhost(/invite/[\w-]+)", page).group(1)
    stranger = app.test_client()  # an invited account has no password, so no guess opens it
    assert stranger.post("/login", data={"email": "new@example.org", "password": "!", "csrf_token": csrf_token(stranger)}).status_code == 401
    person = app.test_client()
    assert "Welcome, New Person" in person.get(link).get_data(as_text=True)
    person.post(link, data={"new_password": "my own password", "confirm_password": "my own password", "csrf_token": csrf_token(person, link)})
    login = person.post("/login", data={"email": "new@example.org", "password": "my own password", "csrf_token": csrf_token(person)})
    assert login.status_code == 302


def test_a_thousand_row_import_is_all_or_nothing_and_invites_everyone(app):
    admin = _admin(app)
    before = _count(app)
    refused = _import(admin, _csv(1000, bad_line=700))
    assert refused.status_code == 400 and "line 702" in refused.get_data(as_text=True)
    assert _count(app) == before and _count(app, AccountToken) == 0
    page = _import(admin, _csv(1000)).get_data(as_text=True)
    assert _count(app) == before + 1000 and _count(app, AccountToken) == 1000
    assert _count(app, OutboxMessage) == 0  # no mail server: the admin gets the list instead
    download = re.search(r'action="(/admin/people/links/[\w-]+\.csv)"', page).group(1)
    first = admin.post(download, page="/admin/people/")
    assert first.status_code == 200 and first.get_data(as_text=True).count("/invite/") == 1000
    assert admin.post(download, page="/admin/people/").status_code == 410  # once only


def test_with_mail_configured_an_import_queues_one_invitation_each(make_app, course_dir):
    app = make_app(course_dir, MAIL_URL="smtp://127.0.0.1:9")
    admin = _admin(app)
    _import(admin, _csv(3))
    with app.app_context():
        assert sorted(get_session().scalars(select(OutboxMessage.to_addr))) == [f"person{i}@example.org" for i in range(3)]


def test_cli_import_keeps_its_password_column_and_invites_the_rest(app, tmp_path):
    env = {"LMS_SECRET_KEY": app.config["SECRET_KEY"], "LMS_DATABASE_URL": app.config["DATABASE_URL"],
           "LMS_COURSE_DIR": app.config["COURSE_DIR"], "LMS_MAIL_URL": ""}
    path = tmp_path / "people.csv"
    path.write_text("email,name,role,cohort,password\nwith@example.org,With Pw,tsp,C,a long enough password\n"
                    "without@example.org,Without Pw,tsp,C,\n")
    result = CliRunner().invoke(cli, ["users", "import", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert re.search(r"without@example.org,http://localhost:5000/invite/\S+", result.output)
    assert "with@example.org," not in result.output
    client = app.test_client()
    assert client.post("/login", data={"email": "with@example.org", "password": "a long enough password",
                                       "csrf_token": csrf_token(client)}).status_code == 302


def test_a_certificate_is_announced_once_the_menu_leads_to_it_and_the_admin_list_links_its_pdf(app, client, auth):
    from lms.db.models import Notification
    from tests.lms.test_certificates import earn_core

    cert = earn_core(app, client, auth)
    with app.app_context():
        notes = get_session().scalars(select(Notification).where(Notification.kind == "certificate")).all()
        mails = get_session().scalars(select(OutboxMessage).where(OutboxMessage.subject.like("%certificate was issued"))).all()
    assert len(notes) == 1 and len(mails) == 1 and cert.code in mails[0].body
    dashboard = auth.client.get("/learn/").get_data(as_text=True)
    assert 'href="/learn/certificates">Certificates</a>' in dashboard and "core training certificate was issued" in dashboard
    admin = _admin(app)
    listing = admin.client.get("/admin/certificates").get_data(as_text=True)
    assert f'href="/certificates/{cert.id}.pdf"' in listing
