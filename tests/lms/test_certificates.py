"""Certificates in the app: issued when earned, once; revoked and re-issued by admins; checked by anyone."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import event, select

from lms.cli import cli
from lms.db.models import Certificate
from lms.db.session import get_session
from lms.learning import certs, recording
from tests.conftest import ACCOUNTS, START, Auth, user_id
from tests.helpers import course_of, database, finish_core, key, user


def certificates_of(app, who="tsp") -> list[Certificate]:
    with app.app_context():
        return get_session().scalars(select(Certificate).where(Certificate.user_id == user_id(app, who))
                                     .order_by(Certificate.id)).all()


def earn_core(app, client, auth, who: str = "tsp") -> Certificate:
    """The learner has finished the core training (built directly) and is signed in."""
    assert certificates_of(app, who) == []
    with database(app) as session:
        finish_core(session, course_of(app), user(session, who), key(app))
    found = certificates_of(app, who)
    assert len(found) == 1 and found[0].kind == "core"
    auth.login(who)
    return found[0]


def test_issued_once_however_often_progress_is_recorded(app, client, auth):
    cert = earn_core(app, client, auth)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4})+", cert.code)
    # More progress after completion (a resubmitted plan) never issues a second certificate.
    response = auth.post("/learn/pilot/plan", {"organisation": "x", "change": "y", "serves": "z", "actions": "a", "indicators": "b",
                                              "timeline": "c", "support": "d", "safety": "e", "action": "submit"}, page="/learn/pilot/plan")
    assert response.status_code == 302
    with database(app) as session:
        learner = user(session, "tsp")
        assert certs.issue(session, course_of(app), learner, "core", START, key(app)).id == cert.id
        recording.record_progress(session, course_of(app), learner, START, key(app))
    assert [c.id for c in certificates_of(app)] == [cert.id]
    listing = client.get("/learn/certificates").get_data(as_text=True)
    assert cert.code in listing and "Download PDF" in listing


def test_a_certificate_issued_meanwhile_by_another_request_stands(app):
    """Another request issues the same certificate between this one's check and its insert: one certificate, no lost work."""
    engine = app.extensions["lms.engine"]
    other: dict[str, int] = {}

    def other_request_issues_first(_conn, _cursor, statement, *_args):
        if "FROM certificates" in statement and not other:
            other["busy"] = 1
            with app.app_context():  # a second request, with its own session and connection
                session = get_session()
                other["id"] = certs.issue(session, course_of(app), user(session, "tsp"), "core", START, key(app)).id
                session.commit()

    event.listen(engine, "after_cursor_execute", other_request_issues_first)
    try:
        with app.app_context():
            session = get_session()
            learner = user(session, "tsp")
            cert = certs.issue(session, course_of(app), learner, "core", START, key(app))
            learner.name = "Rina Akter Chowdhury"  # this request's own work, in the same transaction
            session.commit()
    finally:
        event.remove(engine, "after_cursor_execute", other_request_issues_first)
    assert cert.id == other["id"]
    assert [c.id for c in certificates_of(app)] == [other["id"]]
    with app.app_context():
        assert user(get_session(), "tsp").name == "Rina Akter Chowdhury"


def test_verify_page_shows_what_the_certificate_shows_and_nothing_else(app, client, auth):
    cert = earn_core(app, client, auth)
    anonymous = app.test_client()
    page = anonymous.get(f"/verify/{cert.code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for shown in ("Valid", "Rina Akter", "Core training completed", "Fixture course", "Test Organisation", cert.code):
        assert shown in html
    for hidden in (ACCOUNTS["tsp"][0], "Cohort A", "tsp@"):
        assert hidden not in html
    # Typed by hand: lower case, spaces instead of hyphens, O for 0.
    typed = cert.code.lower().replace("-", " ").replace("0", "o")
    redirect = anonymous.get("/verify", query_string={"code": typed})
    assert redirect.status_code == 302 and redirect.headers["Location"].endswith(f"/verify/{cert.code}")


def test_forged_and_altered_codes_are_rejected(app, client, auth):
    cert = earn_core(app, client, auth)
    anonymous = app.test_client()
    import certificates

    forged = certificates.new_code(b"some other deployment's key")
    assert anonymous.get(f"/verify/{forged}").status_code == 404
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    first = cert.code[0]
    altered = alphabet[(alphabet.index(first) + 1) % 32] + cert.code[1:]
    response = anonymous.get(f"/verify/{altered}")
    assert response.status_code == 404 and "No certificate has the code" in response.get_data(as_text=True)
    assert anonymous.get("/verify/not-a-code").status_code == 404


def test_revoke_keeps_the_reason_and_shows_the_date(app, client, auth):
    cert = earn_core(app, client, auth)
    admin = app.test_client()
    a = Auth(admin)
    a.login("admin")
    empty = a.post(f"/admin/certificates/{cert.id}/revoke", {"reason": "  "}, page="/admin/certificates")
    assert empty.status_code == 302 and certificates_of(app)[0].revoked_at is None  # no reason, no change
    a.post(f"/admin/certificates/{cert.id}/revoke", {"reason": "Issued in error"}, page="/admin/certificates")
    revoked = certificates_of(app)[0]
    assert revoked.revoked_at is not None and revoked.revoke_reason == "Issued in error"
    html = app.test_client().get(f"/verify/{cert.code}").get_data(as_text=True)
    assert "Revoked" in html and revoked.revoked_at.strftime("%-d %B %Y") in html
    assert "Issued in error" not in html  # the reason is for the records, not the public page


def test_reissue_after_name_correction_supersedes(app, client, auth):
    cert = earn_core(app, client, auth)
    a = Auth(app.test_client())
    a.login("admin")
    a.post(f"/admin/certificates/{cert.id}/reissue", {"name": "Rina Akter Chowdhury"}, page="/admin/certificates")
    old, new = certificates_of(app)
    assert old.status == "superseded" and old.superseded_by_id == new.id
    assert new.status == "valid" and new.learner_name == "Rina Akter Chowdhury" and new.code != old.code
    anonymous = app.test_client()
    assert "Replaced" in anonymous.get(f"/verify/{old.code}").get_data(as_text=True)
    assert "Rina Akter Chowdhury" in anonymous.get(f"/verify/{new.code}").get_data(as_text=True)


def test_pdf_for_owner_and_their_trainer_only(app, client, auth):
    cert = earn_core(app, client, auth)
    response = client.get(f"/certificates/{cert.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    peer, trainer = app.test_client(), app.test_client()
    Auth(peer).login("tsp2")
    Auth(trainer).login("trainer")
    assert peer.get(f"/certificates/{cert.id}.pdf").status_code == 404
    assert trainer.get(f"/certificates/{cert.id}.pdf").status_code == 200
    with app.app_context():
        from lms.db.models import Cohort

        cohort_id = get_session().scalar(select(Cohort.id).where(Cohort.name == "Cohort A"))
    assert cert.code in trainer.get(f"/trainer/cohorts/{cohort_id}").get_data(as_text=True)


def test_verify_is_rate_limited(make_app, course_dir):
    app = make_app(course_dir, VERIFY_RATE_LIMIT=(5, 60))
    client = app.test_client()
    codes = [client.get("/verify/ABCD-EFGH-JKMN-PQRS-TVWX-YZ01").status_code for _ in range(6)]
    assert codes == [404] * 5 + [429]


def test_cli_verify(app, client, auth):
    cert = earn_core(app, client, auth)
    runner = CliRunner()
    env = {"LMS_SECRET_KEY": app.config["SECRET_KEY"], "LMS_DATABASE_URL": app.config["DATABASE_URL"],
           "LMS_COURSE_DIR": app.config["COURSE_DIR"]}
    ok = runner.invoke(cli, ["certificates", "verify", cert.code.lower()], env=env)
    assert ok.exit_code == 0 and ok.output.startswith("valid: Rina Akter")
    bad = runner.invoke(cli, ["certificates", "verify", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"], env=env)
    assert bad.exit_code == 1 and "unknown" in bad.output


def test_verify_explains_a_made_up_code_and_a_malformed_one(app):
    anonymous = app.test_client()
    made_up = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"  # written like a code, but no deployment signed it
    page = anonymous.get(f"/verify/{made_up}")
    html = page.get_data(as_text=True)
    assert page.status_code == 404 and "Not found" in html and f"No certificate has the code <code>{made_up}</code>" in html
    for malformed in ("hello", "ABCD-EFGH", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ0!"):
        page = anonymous.get(f"/verify/{malformed}")
        html = page.get_data(as_text=True)
        assert page.status_code == 404, malformed
        assert "Not a certificate code" in html and "A code has 24 letters and digits in groups of four" in html, malformed
    typed = anonymous.get("/verify", query_string={"code": "hello there"})
    html = typed.get_data(as_text=True)
    assert typed.status_code == 404 and "“hello there” is not written like a certificate code" in html
    assert 'value="hello there"' in html  # the form keeps what was typed, to correct it


def test_a_name_no_installed_font_can_draw_gives_a_clear_page(make_app, course_dir, tmp_path):
    only_latin = tmp_path / "fonts"
    only_latin.mkdir()
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        shutil.copy(Path("/usr/share/fonts/truetype/noto") / name, only_latin / name)
    app = make_app(course_dir, FONT_DIRS=str(only_latin))
    with database(app) as session:
        learner = user(session, "tsp")
        learner.name = "সুমি আক্তার"  # Bengali: the Latin-only fonts have none of it
        cert = finish_core(session, course_of(app), learner, key(app))
        cert_id = cert.id
    client = app.test_client()
    Auth(client).login("tsp")
    response = client.get(f"/certificates/{cert_id}.pdf")
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert "This certificate cannot be drawn yet" in html and "BENGALI" in html and "install" in html
    assert "Something went wrong" not in html
    assert "সুমি আক্তার" in client.get("/learn/certificates").get_data(as_text=True)  # the certificate itself is kept
