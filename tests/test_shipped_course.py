"""The shipped course: valid with no warnings, and the shape the course brief asks for."""
from __future__ import annotations

import re

import pytest

from lms.content.loader import check_course, load_course
from tests.conftest import SHIPPED_COURSE


@pytest.fixture(scope="module")
def course():
    return load_course(SHIPPED_COURSE)


def test_check_course_passes_with_no_warnings():
    course, problems = check_course(SHIPPED_COURSE)
    assert [p.format() for p in problems] == []
    assert course is not None


def test_core_has_orientation_and_at_least_five_modules_each_complete(course):
    core = course.unit("core")
    modules = course.unit_modules(core)
    assert modules[0].id == "orientation"
    assert len(modules) - 1 >= 5
    for module in modules[1:]:
        assert module.objectives, module.id
        assert 3 <= len(module.lesson_ids) <= 6, module.id
        assert module.trainer_notes_html, module.id
        assert re.search(r"<h2[^>]*>References</h2>", module.intro_html), module.id
        assert re.search(r"<h2[^>]*>Key points</h2>", module.intro_html), module.id
        quiz = course.quizzes[module.quiz_id].quiz
        assert len(quiz.questions) >= 8, module.id
        body = "".join(course.lessons[lid].html for lid in module.lesson_ids)
        assert 'class="case"' in body, f"{module.id} has no case scenario"
        assert 'class="reflection"' in body or 'class="activity"' in body, f"{module.id} has no reflection activity"


def test_case_scenarios_cover_the_four_countries(course):
    text = " ".join(lesson.html for lesson in course.lessons.values())
    for country_or_city in (("Bangladesh", "Dhaka"), ("Cambodia", "Phnom Penh"), ("India", "Delhi", "Manipur"), ("Philippines", "Manila", "Cebu")):
        assert any(name in text for name in country_or_city), country_or_city


def test_quizzes_final_and_refresher(course):
    final = course.quizzes[course.unit("core").quiz_id].quiz
    assert len(final.questions) >= 30 and final.settings.draw
    refresher = course.quizzes[course.unit("refresher").quiz_id].quiz
    assert len(refresher.questions) >= 10
    types = {q.type for content in course.quizzes.values() for q in content.quiz.questions}
    assert {"single", "multiple", "truefalse"} <= types and len(types - {"single", "multiple", "truefalse"}) >= 2


def test_every_question_has_feedback(course):
    for content in course.quizzes.values():
        for question in content.quiz.questions:
            options_explained = question.options and all(o.feedback for o in question.options)
            assert question.feedback or options_explained, question.id


def test_study_time(course):
    core_minutes = sum(m.minutes for m in course.unit_modules(course.unit("core")))
    refresher_minutes = sum(m.minutes for m in course.unit_modules(course.unit("refresher")))
    assert 6 * 60 <= core_minutes <= 8 * 60, core_minutes
    assert 45 <= refresher_minutes <= 2 * 60, refresher_minutes


def test_glossary_and_units(course):
    assert course.glossary_html and len(re.findall(r"<h2[^>]*>", course.glossary_html)) >= 20
    assert [u.kind for u in course.units] == ["core", "pilot", "refresher"]
    assert course.unit("refresher").opens_after_days == 180
