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
        assert 3 <= len(module.lesson_ids) <= 10, module.id
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
    assert 6 * 60 <= core_minutes <= 9 * 60, core_minutes
    assert abs(course.unit("core").study_hours * 60 - core_minutes) <= 30  # the certificate states the real time
    assert 45 <= refresher_minutes <= 2 * 60, refresher_minutes


def test_glossary_and_units(course):
    assert course.glossary_html and len(re.findall(r"<h2[^>]*>", course.glossary_html)) >= 20
    assert [u.kind for u in course.units] == ["core", "pilot", "refresher"]
    assert course.unit("refresher").opens_after_days == 180


NEW_IN_1_1 = {  # lesson id -> module it belongs to (course 1.1, issue 11)
    "law-policing-and-detention": "women-who-inject-drugs",
    "overdose-and-naloxone": "priority-interventions",
    "pregnancy-and-motherhood": "priority-interventions",
    "mental-health-and-trauma": "priority-interventions",
    "stimulants": "priority-interventions",
    "community-led-services": "tsp-role",
}


@pytest.mark.parametrize("lesson_id, module_id", NEW_IN_1_1.items())
def test_new_lessons_of_1_1_are_in_their_modules_and_quizzed(course, lesson_id, module_id):
    assert lesson_id in course.modules[module_id].lesson_ids
    lesson = course.lessons[lesson_id]
    assert 8 <= lesson.minutes <= 20
    assert "/learn/glossary#" in lesson.html or lesson_id == "community-led-services"  # terms link to the glossary


def test_data_protection_is_taught(course):
    text = " ".join(lesson.html for lesson in course.lessons.values()).lower()
    assert "unique identifier code" in text and "police" in text


@pytest.mark.parametrize("module_id, heading", [
    ("gender-concepts", "statement cards"),
    ("priority-interventions", "observer checklist"),
    ("gender-framework", "practice data"),
    ("pilot-period", "rubric"),
    ("refresher", "rubric"),
])
def test_facilitator_materials_are_supplied(course, module_id, heading):
    notes = course.modules[module_id].trainer_notes_html or ""
    assert re.search(rf"<h[2-4][^>]*>[^<]*{heading}", notes, re.I), (module_id, heading)


def test_every_module_has_notes_for_adapting_to_each_country(course):
    for module in course.modules.values():
        notes = module.trainer_notes_html or ""
        match = re.search(r"<h2[^>]*>Adapting this module to each country</h2>(.*?)(<h2|$)", notes, re.S)
        assert match, module.id
        for country in ("Bangladesh", "Cambodia", "India", "Philippines"):
            assert country in match.group(1), (module.id, country)


def test_glossary_covers_the_new_terms_with_an_index(course):
    ids = set(re.findall(r'<h2 id="([^"]+)"', course.glossary_html))
    for term in ("naloxone", "overdose", "opioid-agonist-maintenance-therapy-oamt", "compulsory-drug-detention", "hepatitis-b",
                 "hepatitis-c", "trauma-informed-practice", "stimulants", "unique-identifier-code-uic", "paralegal",
                 "community-led-services", "vertical-transmission", "clinical-enquiry"):
        assert term in ids, term
    index = re.findall(r'href="#([^"]+)"', course.glossary_html.split("<h2", 1)[0])
    assert len(index) >= 15 and set(index) <= ids  # an A-Z line whose letters all land on a term


def test_version_and_changelog():
    from tests.conftest import SHIPPED_COURSE as root

    course = load_course(root)
    assert course.version == "1.1"
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## 1\.1", changelog, re.M) and re.search(r"^## 1\.0", changelog, re.M)


def test_philippine_cases_assume_no_syringe_programme_or_maintenance_therapy(course):
    """RA 9165 bans paraphernalia and the DDB says NSP 'cannot be implemented': no Philippine case may offer them."""
    offers = re.compile(r"\b(gives? out|hands? out|distribut\w+|provid\w+|offer\w*) (clean |new |sterile )?(needles|syringes)", re.I)
    for lesson in course.lessons.values():
        for paragraph in re.split(r"</p>|</li>|</blockquote>", lesson.html):
            if re.search(r"Philippin|Manila|Cebu|Quezon|Davao", paragraph) and offers.search(paragraph):
                assert re.search(r"\b(no|not|cannot|never|illegal|ban|suspend)", paragraph, re.I), (lesson.id, paragraph[:300])
