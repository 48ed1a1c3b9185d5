"""Quiz pages: answers kept on the server, saved as you go, submitted exactly once, tampering refused."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from lms.db.models import QuizAttempt
from lms.db.session import get_session
from tests.conftest import Auth, user_id
from tests.lms.quiz_helpers import answers, option_token, start_attempt, take_quiz


def attempts_count(app, who="tsp") -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.user_id == user_id(app, who)))


def secrets_of(course):
    """Every feedback text and every (question, correct option) pair of the course."""
    for content in course.quizzes.values():
        for question in content.quiz.questions:
            for key in (f"feedback:{question.id}",) + tuple(f"option-feedback:{question.id}:{o.id}" for o in question.options):
                html = content.html.get(key, "")
                if html.strip():
                    yield key, re.sub(r"<[^>]+>", "", html).strip()[:40]
            for accepted in getattr(question, "accept", ()) or ():
                yield f"accept:{question.id}", accepted


def test_no_quiz_page_shows_an_answer_or_feedback_before_submission(app, client, auth):
    auth.login()
    course = app.extensions["lms.course"]
    pages = []
    for quiz_id in course.quizzes:
        if quiz_id == "quiz-refresher":
            continue  # closed for this learner; checked through its attempt below as a trainer would not
        pages.append(client.get(f"/learn/quizzes/{quiz_id}").get_data(as_text=True))
        attempt_id = start_attempt(client, auth, quiz_id)
        pages.append(client.get(f"/learn/attempts/{attempt_id}").get_data(as_text=True))
    leaked = [(key, text) for key, text in secrets_of(course) for html in pages if text and text in html]
    assert leaked == []
    for html in pages:
        assert "correct" not in html.lower().replace("correct answers", "")  # no attribute or class marks the key


def test_double_submit_gives_one_attempt_and_the_same_result(app, client, auth):
    auth.login()
    attempt_id = start_attempt(client, auth, "quiz-basics")
    data = {"action": "submit", **answers(app, client, attempt_id, "quiz-basics")}
    first = auth.post(f"/learn/attempts/{attempt_id}", data, page=f"/learn/attempts/{attempt_id}")
    second = auth.post(f"/learn/attempts/{attempt_id}", data, page="/learn/quizzes/quiz-basics")
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert attempts_count(app) == 1
    # A resent form with different answers is refused and changes nothing.
    changed = dict(data, **{"q-q-basics-blind": option_token(app, attempt_id, "q-basics-blind", "transformative")})
    refused = auth.post(f"/learn/attempts/{attempt_id}", changed, page="/learn/quizzes/quiz-basics")
    assert refused.status_code == 409
    with app.app_context():
        attempt = get_session().get(QuizAttempt, attempt_id)
        assert attempt.percent == 100 and attempt.passed


def test_double_click_on_start_makes_one_attempt(app, client, auth):
    auth.login()
    assert start_attempt(client, auth, "quiz-basics") == start_attempt(client, auth, "quiz-basics")
    assert attempts_count(app) == 1


def test_saved_answers_survive_a_dropped_connection(app, client, auth):
    auth.login()
    attempt_id = start_attempt(client, auth, "quiz-basics")
    blind = option_token(app, attempt_id, "q-basics-blind", "blind")
    auth.post(f"/learn/attempts/{attempt_id}", {"action": "save", "q-q-basics-blind": blind}, page=f"/learn/attempts/{attempt_id}")
    # The connection drops: a new browser session logs in again and resumes.
    fresh = app.test_client()
    Auth(fresh).login()
    start_page = fresh.get("/learn/quizzes/quiz-basics").get_data(as_text=True)
    assert "Continue your attempt" in start_page
    html = fresh.get(f"/learn/attempts/{attempt_id}").get_data(as_text=True)
    assert re.search(rf'value="{blind}"\s+checked', html)
    assert attempts_count(app) == 1


@pytest.mark.parametrize("tamper, status", [
    ({"q-q-basics-blind": "no-such-option"}, 400),
    ({"q-q-basics-blind": "transformative"}, 400),  # an option id instead of this attempt's token for it
    ({"q-q-final-police": "decline"}, 400),  # a question that is not in this attempt
])
def test_tampered_forms_are_refused_and_change_nothing(app, client, auth, tamper, status):
    auth.login()
    attempt_id = start_attempt(client, auth, "quiz-basics")
    blind = option_token(app, attempt_id, "q-basics-blind", "blind")
    auth.post(f"/learn/attempts/{attempt_id}", {"action": "save", "q-q-basics-blind": blind}, page=f"/learn/attempts/{attempt_id}")
    response = auth.post(f"/learn/attempts/{attempt_id}", {"action": "submit", **tamper}, page=f"/learn/attempts/{attempt_id}")
    assert response.status_code == status
    with app.app_context():
        attempt = get_session().get(QuizAttempt, attempt_id)
        assert attempt.submitted_at is None
        assert {i.question_id: (i.response or {}).get("value") for i in attempt.items}["q-basics-blind"] == "blind"


def test_another_learners_attempt_is_not_found(app, client, auth):
    auth.login()
    attempt_id = start_attempt(client, auth, "quiz-basics")
    other = app.test_client()
    other_auth = Auth(other)
    other_auth.login("peer")
    assert other.get(f"/learn/attempts/{attempt_id}").status_code == 404
    assert other_auth.post(f"/learn/attempts/{attempt_id}", {"action": "submit"}, page="/learn/").status_code == 404
    assert other.get(f"/learn/reviews/{attempt_id}").status_code == 404


def test_attempt_limit_is_enforced_with_a_clear_message(app, client, auth):
    auth.login()
    for _ in range(3):
        take_quiz(app, client, auth, "quiz-basics", correct=False)
    page = client.get("/learn/quizzes/quiz-basics").get_data(as_text=True)
    assert "You have used all 3 attempts" in page
    response = auth.post("/learn/quizzes/quiz-basics/start", page="/learn/quizzes/quiz-basics")
    assert response.status_code == 302
    assert attempts_count(app) == 3


def test_review_follows_the_quiz_setting(app, client, auth):
    auth.login()
    # quiz-final shows answers only after passing.
    attempt_id, _ = take_quiz(app, client, auth, "quiz-final", correct=False)
    review = client.get(f"/learn/reviews/{attempt_id}").get_data(as_text=True)
    assert "shown once you have passed" in review and "Correct answer" not in review
    failed_id = attempt_id
    attempt_id, _ = take_quiz(app, client, auth, "quiz-final", correct=True)
    for passed_now in (attempt_id, failed_id):  # once passed, every attempt's review opens
        review = client.get(f"/learn/reviews/{passed_now}").get_data(as_text=True)
        assert "shown once you have passed" not in review and "Correct answer" in review
    attempt_id, _ = take_quiz(app, client, auth, "quiz-basics", correct=True)  # after_submit
    review = client.get(f"/learn/reviews/{attempt_id}").get_data(as_text=True)
    assert "Right: it ignores gender." in review and "Correct answer" in review


def basics_quiz_with(make_app, course_dir, old: str, new: str):
    """An app whose basics quiz has one setting changed, and a signed-in learner's client and auth."""
    path = course_dir / "modules/basics/quiz.md"
    path.write_text(path.read_text().replace(old, new))
    app = make_app(course_dir)
    client = app.test_client()
    auth = Auth(client)
    auth.login()
    return app, client, auth


def test_review_never_shows_answers_when_the_quiz_says_so(make_app, course_dir):
    app, client, auth = basics_quiz_with(make_app, course_dir, "review: after_submit", "review: never")
    attempt_id, _ = take_quiz(app, client, auth, "quiz-basics", correct=True)
    review = client.get(f"/learn/reviews/{attempt_id}").get_data(as_text=True)
    assert "100%" in review and "This quiz does not show answers" in review
    assert "Right: it ignores gender." not in review and "Correct answer" not in review


def test_time_limit_submits_saved_answers(make_app, course_dir, clock):
    timed, client, auth = basics_quiz_with(make_app, course_dir, "grading: highest", "grading: highest\ntime_limit_minutes: 10")
    attempt_id = start_attempt(client, auth, "quiz-basics")
    blind = option_token(timed, attempt_id, "q-basics-blind", "blind")
    auth.post(f"/learn/attempts/{attempt_id}", {"action": "save", "q-q-basics-blind": blind}, page=f"/learn/attempts/{attempt_id}")
    clock.advance(minutes=15)
    response = client.get(f"/learn/attempts/{attempt_id}")
    assert response.status_code == 302 and f"/learn/reviews/{attempt_id}" in response.headers["Location"]
    with timed.app_context():
        attempt = get_session().get(QuizAttempt, attempt_id)
        assert attempt.submitted_at is not None and attempt.score == 1


def test_module_page_lists_the_attempt_history(app, client, auth):
    auth.login()
    failed, _ = take_quiz(app, client, auth, "quiz-basics", correct=False)
    passed, _ = take_quiz(app, client, auth, "quiz-basics", correct=True)
    html = client.get("/learn/modules/basics").get_data(as_text=True)
    assert "Attempt 1" in html and "Attempt 2" in html
    assert f"/learn/reviews/{failed}" in html and f"/learn/reviews/{passed}" in html
    assert "100%" in html and "not passed" in html


def test_matching_items_that_share_an_answer_offer_it_once_and_score_full(make_app, course_dir):
    """Sorting items into groups (two "Quick win" items): the learner sees each group once and can get every item right."""
    path = course_dir / "modules/basics/quiz.md"
    path.write_text(path.read_text() + SORTING)
    app = make_app(course_dir)
    client = app.test_client()
    auth = Auth(client)
    auth.login()
    sorting = app.extensions["lms.course"].quizzes["quiz-basics"].quiz.question("q-basics-sort")
    attempt_id = start_attempt(client, auth, "quiz-basics")
    html = client.get(f"/learn/attempts/{attempt_id}").get_data(as_text=True)
    data = {"action": "submit", **answers(app, client, attempt_id, "quiz-basics")}
    for select_html in re.findall(r'<select id="q-q-basics-sort-.*?</select>', html, re.S):
        name = re.search(r'name="([^"]+)"', select_html).group(1)
        label = re.search(rf'<label for="{name}">([^<]+)</label>', html).group(1)
        offered = dict((text, value) for value, text in re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select_html))
        assert sorted(offered) == ["Quick win", "Structural change"]
        right = next(r for _p, left, r in sorting.pairs if left == label)
        data[name] = offered[right]  # what a learner picking the right label sends
    auth.post(f"/learn/attempts/{attempt_id}", data, page=f"/learn/attempts/{attempt_id}")
    with app.app_context():
        attempt = get_session().get(QuizAttempt, attempt_id)
        assert attempt.submitted_at is not None and attempt.percent == 100
        assert {i.question_id: i.score for i in attempt.items}["q-basics-sort"] == 1


SORTING = """
## Question: q-basics-sort
type: matching

Sort each change.

- Women-only hours => Quick win {#hours}
- A female outreach worker => Quick win {#worker}
- A policy on confidentiality => Structural change {#policy}

> Quick wins first.
"""


def test_an_attempt_opened_before_form_tokens_gets_them_and_keeps_its_answers(app, client, auth):
    """An attempt whose plan predates tokens (opened before an upgrade): its page shows tokens, its answers stay."""
    auth.login()
    attempt_id = start_attempt(client, auth, "quiz-basics")
    with app.app_context():
        session = get_session()
        attempt = session.get(QuizAttempt, attempt_id)
        attempt.plan = [{"question_id": p["question_id"], "option_order": p["option_order"]} for p in attempt.plan]
        next(i for i in attempt.items if i.question_id == "q-basics-blind").response = {"value": "blind"}
        session.commit()
    html = client.get(f"/learn/attempts/{attempt_id}").get_data(as_text=True)
    blind = option_token(app, attempt_id, "q-basics-blind", "blind")
    assert re.search(rf'value="{blind}"\s+checked', html) and 'value="blind"' not in html
    response = auth.post(f"/learn/attempts/{attempt_id}", {"action": "submit", "q-q-basics-blind": blind},
                         page=f"/learn/attempts/{attempt_id}")
    assert response.status_code == 302
    with app.app_context():
        assert {i.question_id: i.score for i in get_session().get(QuizAttempt, attempt_id).items}["q-basics-blind"] == 1


def test_a_save_after_submission_is_told_and_changes_nothing(app, client, auth):
    auth.login()
    attempt_id, _ = take_quiz(app, client, auth, "quiz-basics", correct=True)
    wrong = option_token(app, attempt_id, "q-basics-blind", "transformative")
    response = auth.post(f"/learn/attempts/{attempt_id}", {"action": "save", "q-q-basics-blind": wrong}, page="/learn/")
    assert response.status_code == 409
    assert "already submitted" in response.get_data(as_text=True)
    with app.app_context():
        attempt = get_session().get(QuizAttempt, attempt_id)
        assert {i.question_id: (i.response or {}).get("value") for i in attempt.items}["q-basics-blind"] == "blind"
