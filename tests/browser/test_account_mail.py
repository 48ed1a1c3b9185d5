"""Accounts and email in a real browser, against a real SMTP server run by the test (aiosmtpd).

The app sends from its background thread after each commit, as in production.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import ACCOUNTS, PASSWORD, user_id
from tests.helpers import database, submitted_plan, user
from tests.smtp import link_in, smtp_server_fixture  # noqa: F401 - the smtp_server fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def app(make_app, course_dir, smtp_server):
    _inbox, url = smtp_server
    return make_app(course_dir, MAIL_URL=url, MAIL_FROM="TSP training <training@example.org>", MAIL_BACKGROUND=True)


def _choose_password(page, password: str, button: str) -> None:
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Confirm new password").fill(password)
    page.get_by_role("button", name=button).click()


def test_forgot_password_email_link_new_password_login(page, live_server, smtp_server):
    inbox, _url = smtp_server
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(ACCOUNTS["tsp"][0])
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("status")).to_contain_text("an email with a link to choose a new password is on its way")
    message = inbox.wait_for(ACCOUNTS["tsp"][0], "Reset your password")
    assert message["From"] == "TSP training <training@example.org>"
    page.goto(link_in(message))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    _choose_password(page, "my fresh passphrase", "Change password")
    expect(page.get_by_role("status")).to_contain_text("Your password is set")
    log_in(page, live_server, ACCOUNTS["tsp"][0], PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("do not match")  # the old password is gone
    log_in(page, live_server, ACCOUNTS["tsp"][0], "my fresh passphrase")
    expect(page.get_by_role("heading", name="Fixture course")).to_be_visible()


def test_invitation_set_password_login(page, live_server, smtp_server):
    inbox, _url = smtp_server
    log_in(page, live_server, ACCOUNTS["admin"][0], PASSWORD)
    page.goto(f"{live_server}/admin/")
    page.get_by_label("Email", exact=True).fill("newcomer@example.org")
    page.get_by_label("Name", exact=True).fill("Nadia Newcomer")
    page.get_by_label("Cohort", exact=True).fill("Cohort A")
    page.get_by_role("button", name="Add account").click()
    expect(page.get_by_role("status")).to_contain_text("Emailed an invitation to newcomer@example.org")
    page.get_by_role("button", name="Log out").click()
    message = inbox.wait_for("newcomer@example.org", "Your account")
    page.goto(link_in(message))
    expect(page.get_by_role("heading", name="Welcome, Nadia Newcomer")).to_be_visible()
    _choose_password(page, "nadia's own passphrase", "Set my password")
    log_in(page, live_server, "newcomer@example.org", "nadia's own passphrase")
    expect(page.get_by_role("heading", name="Fixture course")).to_be_visible()


def test_trainer_comment_reaches_learner_by_email_and_dashboard_and_the_reply_reaches_the_trainer(browser, live_server, app, smtp_server):
    inbox, _url = smtp_server
    with database(app) as session:  # the learner has submitted her pilot plan: there is something to comment on
        submitted_plan(session, user(session, "tsp"))
        session.commit()
    trainer = browser.new_context().new_page()
    learner = browser.new_context().new_page()
    log_in(trainer, live_server, ACCOUNTS["trainer"][0], PASSWORD)
    learner_page = f"{live_server}/trainer/learners/{user_id(app, 'tsp')}"
    trainer.goto(learner_page)
    trainer.get_by_label("Comment on").select_option("plan")
    trainer.get_by_label("Comment", exact=True).fill("Could you split the indicators by sex?")
    trainer.get_by_role("button", name="Add comment").click()
    expect(trainer.get_by_role("status")).to_contain_text("Comment added")

    message = inbox.wait_for(ACCOUNTS["tsp"][0], "Tara Trainer commented on your pilot plan")
    assert link_in(message) == f"{live_server}/learn/pilot/plan"
    log_in(learner, live_server, ACCOUNTS["tsp"][0], PASSWORD)
    panel = learner.get_by_role("region", name="New for you")
    panel.get_by_role("button", name="Tara Trainer commented on your pilot plan").click()
    expect(learner.get_by_text("Could you split the indicators by sex?")).to_be_visible()
    learner.get_by_label("Your reply").fill("Yes: women and men counted apart from next month.")
    learner.get_by_role("button", name="Send reply").click()
    expect(learner.get_by_role("status")).to_contain_text("Your reply is sent")
    learner.goto(f"{live_server}/learn/")
    expect(learner.get_by_role("region", name="New for you")).to_have_count(0)  # read, so gone from the panel

    inbox.wait_for(ACCOUNTS["trainer"][0], "Rina Akter replied about their pilot plan")
    trainer.goto(f"{live_server}/trainer/")
    trainer.get_by_role("region", name="New for you").get_by_role("button", name="Rina Akter replied about their pilot plan").click()
    expect(trainer.get_by_text("Yes: women and men counted apart from next month.")).to_be_visible()
    expect(trainer).to_have_url(learner_page)
