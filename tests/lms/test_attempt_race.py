"""Answers freeze at submission: one "Submit" racing 19 "Save answers" on one attempt, over HTTP, on SQLite and PostgreSQL.

Every save either lands before the grading (and is overwritten by the submitted form, which is saved
and graded in one transaction) or is told the attempt was already submitted and changes nothing. So
the stored answers are exactly the graded ones, and each item's score is the score of its stored answer.
"""
from __future__ import annotations

import re
import threading

import pytest
import requests
from sqlalchemy import create_engine, select, text
from werkzeug.serving import make_server

import quizzes
from lms.db.models import QuizAttempt
from lms.db.session import get_session
from tests.conftest import ACCOUNTS, PASSWORD
from tests.lms.quiz_helpers import correct_form, plan_of
from tests.pg import postgres_server

SAVES = 19
ROUNDS = 3  # the fixture quiz allows three attempts

RACED_QUIZ = """
## Question: q-basics-tf
type: truefalse

Women-only hours are a quick win.

- [x] True {#true}
  > Right: they cost little.
- [ ] False {#false}
  > They cost little and help at once.

## Question: q-basics-match
type: matching

Match each change to its kind.

- Women-only hours => Quick win {#hours}
- A confidentiality policy => Structural change {#policy}
- A budget line for childcare => Funding {#budget}

> Quick wins cost little; structural changes alter how the service runs.

## Question: q-basics-order
type: ordering

Put the steps of technical support in order.

1. Agree the request {#agree}
2. Assess {#assess}
3. Plan {#plan}

> Agree what is asked, find out what is there, then plan.

## Question: q-basics-word
type: text
accept: ["gender-blind"]

What is a programme that ignores gender called?

> It is called gender-blind.
"""


@pytest.fixture(scope="module")
def pg_url():
    with postgres_server() as url:
        if url is None:
            pytest.skip("no PostgreSQL server here (apt-get install postgresql, or set LMS_TEST_POSTGRES_URL)")
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'race.sqlite'}"
    url = request.getfixturevalue("pg_url")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def server(make_app, course_dir):
    path = course_dir / "modules/basics/quiz.md"
    path.write_text(path.read_text() + RACED_QUIZ)
    app = make_app(course_dir)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=5)


def token_of(http: requests.Session, url: str) -> str:
    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', http.get(url).text).group(1)


def wrong_form(question, planned, variant: int) -> dict[str, object]:
    """A wrong answer to each question, a little different for each saving request."""
    name = f"q-{question.id}"
    wrong = [o.id for o in question.options if not o.correct] or [o.id for o in question.options]
    if question.type in ("single", "truefalse"):
        return {name: planned.tokens[wrong[variant % len(wrong)]]}
    if question.type == "multiple":
        return {name: [planned.tokens[oid] for oid in wrong]}
    if question.type == "matching":
        ids = [o.id for o in question.options]
        return {f"{name}-{planned.slots[pid]}": planned.tokens[ids[(i + 1 + variant) % len(ids)]]
                for i, (pid, _l, _r) in enumerate(question.pairs)}
    if question.type == "ordering":
        places = len(question.options)
        return {f"{name}-{planned.slots[o.id]}": str(places - i) for i, o in enumerate(question.options)}
    return {name: f"not sure {variant}"}


def race(app, base: str, http: requests.Session) -> tuple[int, list[requests.Response], requests.Response]:
    csrf = token_of(http, f"{base}/learn/quizzes/quiz-basics")
    started = http.post(f"{base}/learn/quizzes/quiz-basics/start", data={"csrf_token": csrf}, allow_redirects=False)
    attempt_id = int(re.search(r"/learn/attempts/(\d+)", started.headers["Location"]).group(1))
    url = f"{base}/learn/attempts/{attempt_id}"
    http.get(url)  # the page the learner has open
    quiz = app.extensions["lms.course"].quizzes["quiz-basics"].quiz
    plan = plan_of(app, attempt_id)
    right: dict[str, object] = {"csrf_token": csrf, "action": "submit"}
    for qid, planned in plan.items():
        right.update(correct_form(quiz.question(qid), planned))
    saves = []
    for variant in range(SAVES):
        form: dict[str, object] = {"csrf_token": csrf, "action": "save"}
        for qid, planned in plan.items():
            form.update(wrong_form(quiz.question(qid), planned, variant))
        saves.append(form)
    cookies = http.cookies.get_dict()
    barrier = threading.Barrier(SAVES + 1)
    results: dict[int, requests.Response] = {}

    def post(index: int, form: dict[str, object]) -> None:
        with requests.Session() as own:  # each request on its own connection, as from separate tabs
            own.cookies.update(cookies)
            barrier.wait()
            results[index] = own.post(url, data=form, allow_redirects=False, timeout=60)

    threads = [threading.Thread(target=post, args=(i, form)) for i, form in enumerate(saves)]
    # The submit goes in the middle of the saves, so some land before it and some after.
    threads.insert(SAVES // 2, threading.Thread(target=post, args=(SAVES, right)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return attempt_id, [results[i] for i in range(SAVES)], results[SAVES]


def test_a_submit_racing_saves_grades_exactly_the_stored_answers(server):
    app, base = server
    email = ACCOUNTS["tsp"][0]
    with requests.Session() as http:
        login = http.post(f"{base}/login", data={"email": email, "password": PASSWORD,
                                                 "csrf_token": token_of(http, f"{base}/login")}, allow_redirects=False)
        assert login.status_code == 302
        refused = 0
        for _round in range(ROUNDS):
            attempt_id, saves, submitted = race(app, base, http)
            assert submitted.status_code == 302 and f"/learn/reviews/{attempt_id}" in submitted.headers["Location"]
            for response in saves:
                assert response.status_code in (302, 409), response.text
                if response.status_code == 409:
                    refused += 1
                    assert "already submitted" in response.text and "nothing was changed" in response.text
                else:
                    assert response.headers["Location"].endswith(f"/learn/attempts/{attempt_id}")
            check_graded_as_stored(app, attempt_id)
    print(f"{refused} of {ROUNDS * SAVES} saves came after the submit and were refused")


def check_graded_as_stored(app, attempt_id: int) -> None:
    content = app.extensions["lms.course"].quizzes["quiz-basics"]
    with app.app_context():
        session = get_session()
        attempt = session.scalar(select(QuizAttempt).where(QuizAttempt.id == attempt_id))
        stored = {i.question_id: (i.response or {}).get("value") for i in attempt.items}
        plan = [quizzes.PlannedQuestion.from_json(p) for p in attempt.plan]
        regraded = quizzes.grade_attempt(content.quiz, plan, {k: v for k, v in stored.items() if v is not None})
        assert {i.question_id: i.score for i in attempt.items} == {r.question_id: r.score for r in regraded.items}
        assert attempt.score == pytest.approx(regraded.score) and attempt.percent == pytest.approx(regraded.percent)
        # The submitted form was the right one: what was graded, and what is stored, is exactly it.
        assert attempt.percent == 100 and attempt.passed
        assert all(item.saved_at is not None for item in attempt.items)


def test_starts_racing_each_other_open_one_attempt(server):
    """A double (or quintuple) click on "Start the quiz": every request lands on the same, single attempt."""
    app, base = server
    with requests.Session() as http:
        csrf = token_of(http, f"{base}/login")
        http.post(f"{base}/login", data={"email": ACCOUNTS["tsp"][0], "password": PASSWORD, "csrf_token": csrf})
        csrf = token_of(http, f"{base}/learn/quizzes/quiz-basics")
        cookies = http.cookies.get_dict()
    barrier = threading.Barrier(5)
    places: list[str] = []

    def start() -> None:
        with requests.Session() as own:
            own.cookies.update(cookies)
            barrier.wait()
            response = own.post(f"{base}/learn/quizzes/quiz-basics/start", data={"csrf_token": csrf},
                                allow_redirects=False, timeout=60)
            places.append(f"{response.status_code} {response.headers.get('Location', '')}")

    threads = [threading.Thread(target=start) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(places)) == 1 and places[0].startswith("302 ") and "/learn/attempts/" in places[0], places
    with app.app_context():
        assert len(get_session().scalars(select(QuizAttempt)).all()) == 1
