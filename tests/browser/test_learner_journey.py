"""A TSP in a real browser: log in by the labelled fields, open a lesson, mark it done, see progress change."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import ACCOUNTS, PASSWORD

pytestmark = pytest.mark.browser


def test_log_in_study_a_lesson_and_see_progress(page, live_server):
    log_in(page, live_server, ACCOUNTS["tsp"][0], PASSWORD)
    expect(page.get_by_role("heading", name="Fixture course")).to_be_visible()
    basics = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="Basics"))
    expect(basics).to_contain_text("0/3")
    page.get_by_role("link", name="Read: Sex and gender").click()
    expect(page.get_by_role("heading", name="Sex and gender")).to_be_visible()
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("heading", name="The continuum")).to_be_visible()  # on to the next lesson
    page.get_by_role("link", name="Course").first.click()
    expect(basics).to_contain_text("1/3")
    expect(page.get_by_role("link", name="Read: The continuum")).to_be_visible()


def test_lesson_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, ACCOUNTS["tsp"][0], PASSWORD)
    page.goto(f"{live_server}/learn/lessons/basics-one")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("heading", name="The continuum")).to_be_visible()
    context.close()


@pytest.mark.parametrize("who, path", [("tsp", "/learn/"), ("tsp", "/learn/modules/basics"), ("tsp", "/learn/lessons/basics-one"),
                                       ("tsp", "/learn/journey"), ("trainer", "/trainer/cohorts/1"), ("admin", "/admin/")])
def test_pages_fit_a_360_pixel_phone(browser, live_server, who, path):
    """Wide tables scroll inside their box; the page itself never scrolls sideways."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, live_server, ACCOUNTS[who][0], PASSWORD)
    response = page.goto(f"{live_server}{path}")
    assert response.status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
