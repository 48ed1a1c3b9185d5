"""A TSP takes a module quiz in Chromium: fails, reviews the feedback, retakes, passes."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import ACCOUNTS, PASSWORD

pytestmark = pytest.mark.browser


def choose(page, question, right: bool) -> None:
    """Answer one question on the attempt page by its visible labels, as a person would."""
    section = page.locator("section.question", has=page.get_by_text(question.stem.splitlines()[0][:40]))
    if question.type in ("single", "truefalse"):
        option = next(o for o in question.options if o.correct == right)
        section.get_by_label(option.text).check()
    elif question.type == "multiple":
        for option in question.options:
            if option.correct == right:
                section.get_by_label(option.text).check()


def test_fail_review_retake_pass(page, live_server, app):
    quiz = app.extensions["lms.course"].quizzes["quiz-basics"].quiz
    log_in(page, live_server, ACCOUNTS["tsp"][0], PASSWORD)
    page.goto(f"{live_server}/learn/modules/basics")
    page.get_by_role("link", name=quiz.title).click()
    page.get_by_role("button", name="Start the quiz").click()
    for question in quiz.questions:
        choose(page, question, right=False)
    page.get_by_role("button", name="Submit for grading").click()
    expect(page.get_by_text("Not passed yet")).to_be_visible()
    # The review shows why: the feedback of the options chosen, and the correct answers.
    expect(page.get_by_text("No: nothing changes power.")).to_be_visible()
    expect(page.get_by_text("Correct answer").first).to_be_visible()

    page.get_by_role("button", name="Try again").click()
    for question in quiz.questions:
        choose(page, question, right=True)
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Your answers are saved")).to_be_visible()
    page.reload()  # the saved choices come back, though the page names them only by this attempt's tokens
    for question in quiz.questions:
        section = page.locator("section.question", has=page.get_by_text(question.stem.splitlines()[0][:40]))
        for option in question.options:
            (expect(section.get_by_label(option.text)).to_be_checked() if option.correct
             else expect(section.get_by_label(option.text)).not_to_be_checked())
    page.get_by_role("button", name="Submit for grading").click()
    expect(page.get_by_role("heading", name="Your result: 100%")).to_be_visible()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()

    page.goto(f"{live_server}/learn/quizzes/quiz-basics")
    expect(page.get_by_role("row")).to_have_count(3)  # header + two attempts in the history
    expect(page.get_by_text("Score that counts: 100%")).to_be_visible()
