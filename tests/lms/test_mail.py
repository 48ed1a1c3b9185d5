"""Email through a real SMTP server, the outbox folder without one, retries, and what each notification sends."""
from __future__ import annotations

import logging
import re
from datetime import timedelta

from sqlalchemy import func, select

from lms.db.models import Notification, OutboxMessage, User
from lms.db.session import get_session
from lms.learning import mail, pilot
from lms.web.mailer import run_once
from tests.conftest import ACCOUNTS, Auth, csrf_token, user_id
from tests.helpers import course_of, database, finish_core, key, submitted_plan, user
from tests.smtp import free_port, link_in, smtp_server_fixture  # noqa: F401 - the smtp_server fixture


def _unsent(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(get_session().scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))))


def test_a_reset_link_arrives_by_smtp_works_once_and_expires(make_app, course_dir, smtp_server, clock):
    inbox, url = smtp_server
    app = make_app(course_dir, MAIL_URL=url, MAIL_FROM="TSP training <training@example.org>")
    client = app.test_client()
    response = client.post("/password/forgot", data={"email": "TSP@example.org", "csrf_token": csrf_token(client, "/password/forgot")})
    assert response.status_code == 302
    run_once(app)
    message = inbox.wait_for("tsp@example.org", "Reset your password")
    assert message["From"] == "TSP training <training@example.org>"
    link = link_in(message).replace("http://localhost", "")
    page = client.get(link)
    assert page.status_code == 200 and "New password" in page.get_data(as_text=True)
    token = csrf_token(client, link)
    bad = client.post(link, data={"new_password": "a brand new one", "confirm_password": "a different one", "csrf_token": token})
    assert bad.status_code == 400 and "not the same" in bad.get_data(as_text=True)
    ok = client.post(link, data={"new_password": "a brand new one", "confirm_password": "a brand new one", "csrf_token": token})
    assert ok.status_code == 302
    assert Auth(client).login("tsp", "a brand new one").status_code == 302
    again = app.test_client().get(link)
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)
    # a second link expires after an hour
    other = app.test_client()
    other.post("/password/forgot", data={"email": "peer@example.org", "csrf_token": csrf_token(other, "/password/forgot")})
    run_once(app)
    late = link_in(inbox.wait_for("peer@example.org")).replace("http://localhost", "")
    clock.advance(hours=1, seconds=1)
    assert "expired" in other.get(late).get_data(as_text=True)


def test_forgot_password_answers_the_same_for_unknown_addresses(make_app, course_dir, tmp_path):
    app = make_app(course_dir, MAIL_OUTBOX_DIR=str(tmp_path / "outbox"))
    client = app.test_client()
    answers = []
    for address in ("tsp@example.org", "nobody@example.org"):
        response = client.post("/password/forgot", data={"email": address, "csrf_token": csrf_token(client, "/password/forgot")},
                               follow_redirects=True)
        page = response.get_data(as_text=True).replace(address, "ADDRESS")
        answers.append(re.sub(r'(<input[^>]*name="csrf_token"[^>]*?)value="[^"]*"', r"\1", page))  # the token carries the time
    assert answers[0] == answers[1]
    assert [m.to_addr for m in _unsent(app)] == ["tsp@example.org"]


def test_without_a_mail_server_messages_go_to_the_outbox_folder_and_the_log(make_app, course_dir, tmp_path, caplog):
    app = make_app(course_dir, MAIL_OUTBOX_DIR=str(tmp_path / "outbox"))
    client = app.test_client()
    client.post("/password/forgot", data={"email": "tsp@example.org", "csrf_token": csrf_token(client, "/password/forgot")})
    with caplog.at_level(logging.INFO, logger="lms.mail"):
        run_once(app)
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    text = files[0].read_text()
    assert "To: tsp@example.org" in text and "/password/reset/" in text
    assert "/password/reset/" in caplog.text and str(files[0]) in caplog.text
    assert _unsent(app) == []


def test_a_failed_delivery_is_kept_logged_and_retried_with_back_off(make_app, course_dir, clock, caplog):
    from aiosmtpd.controller import Controller

    from tests.smtp import Inbox

    port = free_port()
    app = make_app(course_dir, MAIL_URL=f"smtp://127.0.0.1:{port}")
    client = app.test_client()
    response = client.post("/password/forgot", data={"email": "tsp@example.org", "csrf_token": csrf_token(client, "/password/forgot")})
    assert response.status_code == 302  # the request never waits for, or fails with, the mail server
    with caplog.at_level(logging.WARNING, logger="lms.mail"):
        run_once(app)
    assert "not sent" in caplog.text
    [waiting] = _unsent(app)
    assert waiting.tries == 1 and waiting.last_error and waiting.next_try_at == clock() + timedelta(seconds=30)
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        run_once(app)
        assert inbox.to("tsp@example.org") == []  # not due yet: the back-off holds
        clock.advance(seconds=31)
        run_once(app)
        inbox.wait_for("tsp@example.org", "Reset your password")
    finally:
        server.stop()
    assert _unsent(app) == []


def test_back_off_grows_and_is_capped():
    assert [mail.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert mail.backoff(30) == timedelta(hours=1)


def test_a_bad_mail_url_stops_the_app_with_a_clear_message(make_app, course_dir):
    import pytest

    from lms.config import ConfigError

    with pytest.raises(ConfigError, match="LMS_MAIL_URL must look like"):
        make_app(course_dir, MAIL_URL="http://mail.example.org")


def test_mail_is_queued_in_the_request_transaction_so_a_refused_import_sends_nothing(make_app, course_dir):
    app = make_app(course_dir)
    admin = Auth(app.test_client())
    admin.login("admin")
    bad = "email,name,role,cohort\nnew1@example.org,New One,tsp,Cohort A\nnot-an-email,Two,tsp,Cohort A\n"
    from io import BytesIO

    response = admin.post("/admin/users/import", {"file": (BytesIO(bad.encode()), "people.csv")}, page="/admin/",
                          content_type="multipart/form-data")
    assert response.status_code == 400
    assert _unsent(app) == []
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(User).where(User.email == "new1@example.org")) == 0


def _comment(app, text="Please add indicators split by sex."):
    with database(app) as session:
        if pilot.plan_of(session, user(session, "tsp")) is None:
            submitted_plan(session, user(session, "tsp"))
            session.commit()
    trainer = Auth(app.test_client())
    trainer.login("trainer")
    learner_id = user_id(app, "tsp")
    return trainer.post(f"/trainer/learners/{learner_id}/comments", {"target": "plan", "body": text},
                        page=f"/trainer/learners/{learner_id}")


def test_a_trainer_comment_reaches_the_learner_and_their_reply_reaches_the_trainer(make_app, course_dir, smtp_server):
    inbox, url = smtp_server
    app = make_app(course_dir, MAIL_URL=url)
    assert _comment(app).status_code == 302
    run_once(app)
    message = inbox.wait_for("tsp@example.org", "commented on your pilot plan")
    assert "/learn/pilot/plan" in message.get_content()
    learner = Auth(app.test_client())
    learner.login("tsp")
    assert "Tara Trainer commented on your pilot plan" in learner.client.get("/learn/").get_data(as_text=True)
    page = learner.client.get("/learn/pilot/plan").get_data(as_text=True)
    assert "Please add indicators split by sex." in page and "Your reply" in page
    learner.post("/learn/pilot/plan/reply", {"body": "Done: see the new indicators."}, page="/learn/pilot/plan")
    run_once(app)
    inbox.wait_for("trainer@example.org", "Rina Akter replied")
    trainer = Auth(app.test_client())
    trainer.login("trainer")
    assert "Done: see the new indicators." in trainer.client.get(f"/trainer/learners/{user_id(app, 'tsp')}").get_data(as_text=True)
    assert "Rina Akter replied about their pilot plan" in trainer.client.get("/trainer/").get_data(as_text=True)


def test_each_kind_of_email_can_be_turned_off_but_the_dashboard_still_tells(make_app, course_dir):
    app = make_app(course_dir)
    learner = Auth(app.test_client())
    learner.login("tsp")
    page = learner.client.get("/account").get_data(as_text=True)
    assert "A trainer commented on my pilot plan or report" in page and "(trainers)" not in page
    kinds = ["certificate", "refresher"]  # "comment" unticked
    learner.post("/account", {"name": ACCOUNTS["tsp"][1], "email": ACCOUNTS["tsp"][0], "email_kinds": kinds}, page="/account")
    _comment(app)
    assert [m.to_addr for m in _unsent(app)] == []
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(Notification)) == 1
    assert "commented on your pilot plan" in learner.client.get("/learn/").get_data(as_text=True)


def test_the_refresher_opening_is_told_once(make_app, course_dir, clock):
    from datetime import date

    from lms.db.models import Cohort

    app = make_app(course_dir)
    with database(app) as session:
        for who in ("tsp", "peer"):  # the refresher opens only after the core training
            finish_core(session, course_of(app), user(session, who), key(app))
        session.scalar(select(Cohort).where(Cohort.name == "Cohort A")).refresher_opens_on = date(2026, 1, 1)
        session.commit()
    run_once(app, scan=True)
    run_once(app, scan=True)
    with app.app_context():
        told = get_session().scalars(select(Notification).where(Notification.kind == "refresher")).all()
        assert sorted(n.user_id for n in told) == sorted([user_id(app, "tsp"), user_id(app, "peer")])
        emails = get_session().scalars(select(OutboxMessage.to_addr).where(OutboxMessage.subject.like("%refresher%"))).all()
    assert sorted(emails) == ["peer@example.org", "tsp@example.org"]


def test_a_learner_reading_a_notification_is_taken_to_it_and_it_leaves_the_panel(make_app, course_dir):
    app = make_app(course_dir)
    _comment(app)
    learner = Auth(app.test_client())
    learner.login("tsp")
    with app.app_context():
        note_id = get_session().scalar(select(Notification.id))
    response = learner.post("/notifications/read", {"id": str(note_id)}, page="/learn/")
    assert response.headers["Location"] == "/learn/pilot/plan"
    assert "commented on your pilot plan" not in learner.client.get("/learn/").get_data(as_text=True)


def test_trainers_hear_when_a_plan_is_submitted_once(make_app, course_dir):
    app = make_app(course_dir)
    learner = Auth(app.test_client())
    learner.login("tsp")
    plan = {"organisation": "x", "change": "y", "serves": "z", "actions": "a", "indicators": "b", "timeline": "c", "support": "d", "safety": "e"}
    learner.post("/learn/pilot/plan", plan, page="/learn/pilot/plan")  # a draft: nobody is told
    assert _unsent(app) == []
    learner.post("/learn/pilot/plan", {**plan, "action": "submit"}, page="/learn/pilot/plan")
    learner.post("/learn/pilot/plan", {**plan, "action": "submit"}, page="/learn/pilot/plan")  # saved again: no new notice
    assert [(m.to_addr, m.subject) for m in _unsent(app)] == [("trainer@example.org", "Rina Akter submitted their pilot plan")]
    trainer = Auth(app.test_client())
    trainer.login("trainer")
    assert "Rina Akter submitted their pilot plan" in trainer.client.get("/trainer/").get_data(as_text=True)


def test_emails_are_written_in_the_recipients_language(make_app, course_dir, smtp_server):
    inbox, url = smtp_server
    app = make_app(course_dir, MAIL_URL=url)
    with database(app) as session:
        user(session, "tsp").language = "bn"  # chosen on her account page
        session.commit()
    assert _comment(app).status_code == 302
    run_once(app)
    comment = inbox.wait_for("tsp@example.org", "Tara Trainer আপনার পাইলট পরিকল্পনায় মন্তব্য করেছেন")
    text = comment.get_content()
    assert "প্রিয় Rina Akter," in text and "আপনার পাইলট পরিকল্পনায় একটি মন্তব্য রেখেছেন" in text
    assert "/learn/pilot/plan" in text and "আপনার অ্যাকাউন্টের পাতায় এই ইমেলগুলো বন্ধ করতে পারেন" in text
    assert "commented" not in text and "Hello" not in text
    client = app.test_client()
    for address in ("tsp@example.org", "peer@example.org"):  # Maria never chose a language: English
        client.post("/password/forgot", data={"email": address, "csrf_token": csrf_token(client, "/password/forgot")})
    run_once(app)
    reset = inbox.wait_for("tsp@example.org", "আপনার পাসওয়ার্ড রিসেট করুন")
    text = reset.get_content()
    assert "প্রিয় Rina Akter," in text and "পাসওয়ার্ড রিসেট করতে চেয়েছেন" in text and "(tsp@example.org)" in text
    assert "Reset" not in reset["Subject"] and "Someone" not in text
    page = app.test_client().get(link_in(reset).replace("http://localhost", ""))
    assert page.status_code == 200  # the link still stands alone on its line
    english = inbox.wait_for("peer@example.org", "Reset your password for")
    assert "Hello Maria Santos," in english.get_content() and "Someone, probably you" in english.get_content()


def test_an_email_wording_falls_back_to_english_without_a_translation():
    from lms.learning.texts import GREETING, translate

    assert translate("bn", GREETING, name="Rina") == "প্রিয় Rina,"
    assert translate("xx", GREETING, name="Rina") == translate(None, GREETING, name="Rina") == "Hello Rina,"
    assert translate("bn", "A wording nobody translated") == "A wording nobody translated"
