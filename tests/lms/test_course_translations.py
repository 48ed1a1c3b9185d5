"""Course translations: `lms check-course` on missing, outdated and mismatched translations, and what readers see."""
from __future__ import annotations

import re

from click.testing import CliRunner

from lms.cli.course import check_course_command
from tests.conftest import ACCOUNTS, PASSWORD, csrf_token
from tests.lms.quiz_helpers import tokenized
from tests.lms.translation_helpers import BN_LESSON, BN_QUIZ, translate

LESSON = "modules/basics/one.md"
QUIZ = "modules/basics/quiz.md"


def check(course, *args):
    return CliRunner().invoke(check_course_command, [str(course), *args])


def test_a_current_translation_passes_and_missing_pages_are_listed_per_language(course_dir):
    translate(course_dir, "bn", LESSON, BN_LESSON)
    translate(course_dir, "km", LESSON, {"title: Sex and gender": "title: ភេទ និងយេនឌ័រ"})
    result = check(course_dir, "--strict")
    assert result.exit_code == 0, result.output
    assert re.search(r"translations/bn: translated 1 of \d+ pages; \d+ missing", result.output)
    assert re.search(r"translations/km: translated 1 of \d+ pages", result.output)
    listed = check(course_dir, "--list-missing").output
    assert "translations/bn/modules/basics/two.md:0: missing translation" not in listed  # not a file:line problem
    assert "translations/bn/modules/basics/two.md: missing translation" in listed
    assert "translations/bn/modules/basics/one.md: missing" not in listed


def test_an_outdated_translation_is_a_warning_that_strict_refuses(course_dir):
    translate(course_dir, "bn", LESSON, BN_LESSON)
    original = course_dir / LESSON
    original.write_text(original.read_text().replace("gender is social.", "gender is social and learned."))
    result = check(course_dir)
    assert result.exit_code == 0, result.output
    assert "translations/bn/modules/basics/one.md:1: warning: outdated: modules/basics/one.md changed" in result.output
    assert check(course_dir, "--strict").exit_code == 1


def test_a_changed_lesson_id_is_an_error(course_dir):
    translate(course_dir, "bn", LESSON, {**BN_LESSON, "id: basics-one": "id: basics-uno"})
    result = check(course_dir)
    assert result.exit_code == 1
    assert "translations/bn/modules/basics/one.md:1: id mismatch: the translation has id 'basics-uno', the original 'basics-one'" in result.output


def test_quiz_ids_must_match_question_by_question(course_dir):
    translate(course_dir, "hi", QUIZ, {"## Question: q-basics-blind": "## Question: q-basics-blinded"})
    result = check(course_dir)
    assert result.exit_code == 1
    assert "question 'q-basics-blind' is missing" in result.output
    assert "question 'q-basics-blinded' is not in the original" in result.output


def test_option_ids_and_right_answers_must_match(course_dir):
    translate(course_dir, "fil", QUIZ, {"- [x] Gender-blind {#blind}": "- [ ] Gender-blind {#blind}",
                                        "- [ ] Transformative {#transformative}": "- [x] Transformative {#transformative}"})
    result = check(course_dir)
    assert result.exit_code == 1
    assert "the right answers differ from the original's" in result.output


def test_a_translation_of_a_file_the_course_lacks_and_a_missing_status_are_errors(course_dir):
    stray = course_dir / "translations" / "bn" / "modules" / "basics" / "three.md"
    stray.parent.mkdir(parents=True)
    stray.write_text("---\nid: basics-three\ntitle: x\ntranslation_status: draft\nsource_hash: 0\n---\n\nx\n")
    translate(course_dir, "bn", LESSON, BN_LESSON, status="finished")
    result = check(course_dir)
    assert result.exit_code == 1
    assert "translations/bn/modules/basics/three.md:1: translation of modules/basics/three.md, but the course has no such file" in result.output
    assert "translation_status: draft` or `translation_status: reviewed` (found 'finished')" in result.output


def test_the_shipped_course_and_its_draft_translations_pass_strict():
    from tests.conftest import SHIPPED_COURSE

    result = check(SHIPPED_COURSE, "--strict")
    assert result.exit_code == 0, result.output
    for language in ("bn", "hi", "km", "fil"):
        assert f"translations/{language}: translated" in result.output


def _login(client, who="tsp"):
    client.post("/login", data={"email": ACCOUNTS[who][0], "password": PASSWORD, "csrf_token": csrf_token(client)})


def test_readers_see_the_translation_a_draft_note_or_english_with_a_note(make_app, course_dir):
    translate(course_dir, "bn", LESSON, BN_LESSON)
    translate(course_dir, "bn", "modules/basics/two.md", {}, status="reviewed")
    client = make_app(course_dir).test_client()
    _login(client)
    client.get("/language/bn")
    one = client.get("/learn/lessons/basics-one").get_data(as_text=True)
    assert '<html lang="bn" dir="ltr">' in one and "লিঙ্গ জৈবিক; জেন্ডার সামাজিক।" in one
    assert "এই অনুবাদটি এখনও পর্যালোচনা করা হয়নি।" in one  # "This translation has not yet been reviewed."
    two = client.get("/learn/lessons/basics-two").get_data(as_text=True)
    assert "পর্যালোচনা করা হয়নি" not in two and "translation-note" not in two
    practice = client.get("/learn/lessons/practice-only").get_data(as_text=True)
    assert "ইংরেজিতে দেখানো হচ্ছে" in practice  # "... so it is shown in English."
    assert '<article class="prose" lang="en">' in practice
    quiz = client.get("/learn/quizzes/quiz-basics").get_data(as_text=True)  # an untranslated quiz says so too
    assert "ইংরেজিতে দেখানো হচ্ছে" in quiz
    assert "Sex is biological" not in one
    english = make_app(course_dir).test_client()
    _login(english)
    assert "Sex is biological; gender is social." in english.get("/learn/lessons/basics-one").get_data(as_text=True)


def test_an_attempt_keeps_the_language_it_was_started_in(make_app, course_dir):
    translate(course_dir, "bn", QUIZ, BN_QUIZ)
    app = make_app(course_dir)
    client = app.test_client()
    _login(client)
    client.get("/language/bn")
    token = csrf_token(client, "/learn/quizzes/quiz-basics")
    started = client.post("/learn/quizzes/quiz-basics/start", data={"csrf_token": token})
    attempt_url = started.headers["Location"]
    assert "জেন্ডার-অন্ধ" in client.get(attempt_url).get_data(as_text=True)
    client.get("/language/en")  # the interface changes; the attempt does not
    page = client.get(attempt_url).get_data(as_text=True)
    assert '<html lang="en"' in page and "Save answers" in page
    assert "জেন্ডার-অন্ধ" in page and "Gender-blind" not in page
    from lms.db.models import QuizAttempt
    from lms.db.session import get_session

    with app.app_context():
        attempt = get_session().query(QuizAttempt).one()
        assert attempt.language == "bn" and attempt.content_version == app.extensions["lms.course"].full_version
    answer = tokenized(app, int(attempt_url.rstrip("/").rsplit("/", 1)[1]), "quiz-basics", {"q-q-basics-blind": "blind"})
    submitted = client.post(attempt_url, data={"csrf_token": csrf_token(client, attempt_url), "action": "submit", **answer})
    review = client.get(submitted.headers["Location"]).get_data(as_text=True)
    assert "জেন্ডার-অন্ধ" in review


def test_a_translated_glossary_must_keep_every_term_anchor(course_dir):
    (course_dir / "glossary.md").write_text("---\ntitle: Glossary\n---\n\n## Gender-blind\n\nIgnores gender.\n\n## Harm reduction\n\nReduces harm.\n")
    translate(course_dir, "km", "glossary.md", {"## Gender-blind": "## មិនមើលឃើញយេនឌ័រ {#gender-blind}",
                                                "## Harm reduction": "## ការកាត់បន្ថយគ្រោះថ្នាក់"})
    result = check(course_dir)
    assert result.exit_code == 1
    assert "translations/km/glossary.md:1: id mismatch: glossary terms missing" in result.output and "harm-reduction" in result.output
    translate(course_dir, "km", "glossary.md", {"## Gender-blind": "## មិនមើលឃើញយេនឌ័រ {#gender-blind}",
                                                "## Harm reduction": "## ការកាត់បន្ថយគ្រោះថ្នាក់ {#harm-reduction}"})
    assert check(course_dir, "--strict").exit_code == 0
