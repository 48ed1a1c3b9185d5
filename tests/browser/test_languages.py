"""Languages in a real browser: choosing one before login, switching when signed in, and a module read offline."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import ACCOUNTS, PASSWORD
from tests.lms.translation_helpers import BN_LESSON, BN_QUIZ, translate

pytestmark = pytest.mark.browser


@pytest.fixture
def app(make_app, course_dir):
    translate(course_dir, "bn", "modules/basics/one.md", BN_LESSON)
    translate(course_dir, "bn", "modules/basics/quiz.md", BN_QUIZ)
    return make_app(course_dir)


def test_choosing_khmer_before_login_gives_a_khmer_login_page(browser, live_server):
    context = browser.new_context(java_script_enabled=False)  # plain links: no script needed
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="ខ្មែរ").click()
    expect(page.locator("html")).to_have_attribute("lang", "km")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", name="ចូល")).to_be_visible()  # "Log in"
    page.get_by_label("អ៊ីមែល").fill(ACCOUNTS["tsp"][0])  # "Email"
    page.get_by_label("ពាក្យសម្ងាត់").fill(PASSWORD)  # "Password"
    page.get_by_role("button", name="ចូល").click()
    expect(page.get_by_role("heading", name="ជំហានបន្ទាប់")).to_be_visible()  # "Next step": the choice lasts the session
    expect(page.locator("html")).to_have_attribute("lang", "km")
    context.close()


def test_a_learner_switches_to_bengali_and_the_course_follows(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(ACCOUNTS["tsp"][0])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Next step")).to_be_visible()
    page.get_by_role("navigation", name="Language").get_by_role("button", name="বাংলা").click()

    expect(page.locator("html")).to_have_attribute("lang", "bn")
    expect(page.get_by_role("heading", name="পরের ধাপ")).to_be_visible()  # the dashboard: "Next step"
    page.get_by_role("link", name="পড়ুন: লিঙ্গ ও জেন্ডার").click()  # "Read: ..." with the translated lesson title
    expect(page.get_by_role("heading", name="লিঙ্গ ও জেন্ডার")).to_be_visible()
    expect(page.get_by_text("লিঙ্গ জৈবিক; জেন্ডার সামাজিক।")).to_be_visible()
    expect(page.get_by_role("note")).to_have_text("এই অনুবাদটি এখনও পর্যালোচনা করা হয়নি।")  # draft
    page.get_by_role("button", name="সম্পন্ন হিসেবে চিহ্নিত করুন").click()  # "Mark as done"
    expect(page.get_by_role("heading", name="The continuum")).to_be_visible()  # not translated: English, with the note
    expect(page.get_by_role("note")).to_contain_text("ইংরেজিতে দেখানো হচ্ছে")
    expect(page.locator("article.prose")).to_have_attribute("lang", "en")

    page.goto(f"{live_server}/learn/quizzes/quiz-basics")
    expect(page.get_by_role("heading", name="মৌলিক কুইজ")).to_be_visible()
    page.get_by_role("button", name="কুইজ শুরু করুন").click()  # "Start the quiz"
    expect(page.get_by_text("একটি কেন্দ্র সবার সঙ্গে একই আচরণ করে")).to_be_visible()
    expect(page.get_by_role("button", name="উত্তর সংরক্ষণ করুন")).to_be_visible()  # "Save answers"

    fresh = browser.new_context()  # another device: the choice was kept on the account
    other = fresh.new_page()
    other.goto(f"{live_server}/login")
    other.get_by_label("Email").fill(ACCOUNTS["tsp"][0])
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Log in").click()
    expect(other.locator("html")).to_have_attribute("lang", "bn")
    fresh.close()
    context.close()


def test_a_downloaded_module_opens_offline_from_a_file_with_its_images(browser, live_server, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(ACCOUNTS["tsp"][0])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}/learn/modules/basics")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download this module").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "basics-en.html"
    context.close()

    offline = browser.new_context(offline=True, java_script_enabled=True)
    asked = []
    offline.route("**/*", lambda route: (asked.append(route.request.url), route.abort()) if not route.request.url.startswith(("file:", "data:"))
                  else route.continue_())
    reader = offline.new_page()
    reader.goto(saved.as_uri())
    expect(reader.get_by_role("heading", name="Basics", exact=True)).to_be_visible()
    expect(reader.get_by_role("heading", name="Sex and gender")).to_be_visible()
    expect(reader.get_by_text("your progress is recorded when you are back online")).to_be_visible()
    images = reader.locator("img")
    assert images.count() >= 1
    widths = reader.evaluate("Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0)")
    assert all(w > 0 for w in widths), widths
    assert reader.evaluate("getComputedStyle(document.body).fontFamily") != ""  # the inline stylesheet applied
    assert reader.evaluate("document.styleSheets.length") == 1 and reader.evaluate("document.styleSheets[0].href") is None
    assert asked == [], f"the offline file asked the network for {asked}"
    offline.close()
