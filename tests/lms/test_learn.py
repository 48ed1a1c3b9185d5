"""The learner's pages through the test client: dashboard, module, lesson, mark done."""
from __future__ import annotations

from sqlalchemy import select

from lms.db import get_session
from lms.models import LessonProgress
from tests.conftest import user_id


def test_dashboard_shows_units_modules_and_next_step(client, auth):
    auth.login()
    html = client.get("/learn/").get_data(as_text=True)
    for text in ("Core training", "Basics", "Practice", "Pilot period", "Refresher", "Read: Sex and gender", "0/3"):
        assert text in html
    assert "This part opens" in html  # the refresher is closed before core completion


def test_lesson_view_records_first_view_and_mark_done_completes(app, client, auth, clock):
    auth.login()
    html = client.get("/learn/lessons/basics-one").get_data(as_text=True)
    assert "Sex is biological" in html and "Mark as done" in html
    assert 'src="/learn/files/images/diagram.png"' in html
    clock.advance(minutes=7)
    response = auth.post("/learn/lessons/basics-one/done", page="/learn/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/learn/lessons/basics-two")
    with app.app_context():
        row = get_session().scalar(select(LessonProgress).where(LessonProgress.user_id == user_id(app, "tsp")))
        assert row.completed_at is not None and row.seconds_spent == 7 * 60
        assert row.content_version.startswith("0.1+")
    assert "1/3" in client.get("/learn/").get_data(as_text=True)
    assert "You marked this lesson as done" in client.get("/learn/lessons/basics-one").get_data(as_text=True)


def test_marking_done_twice_is_harmless(app, client, auth):
    auth.login()
    client.get("/learn/lessons/basics-one")
    auth.post("/learn/lessons/basics-one/done", page="/learn/lessons/basics-one")
    auth.post("/learn/lessons/basics-one/done", page="/learn/lessons/basics-one")
    with app.app_context():
        rows = get_session().scalars(select(LessonProgress).where(LessonProgress.user_id == user_id(app, "tsp"))).all()
    assert len(rows) == 1


def test_module_page_lists_lessons_with_status(client, auth):
    auth.login()
    client.get("/learn/lessons/basics-one")
    html = client.get("/learn/modules/basics").get_data(as_text=True)
    assert "Tell sex from gender" in html and "started" in html and "not started" in html
    assert "Trainer notes" not in html


def test_trainer_notes_show_to_trainers_only(client, auth):
    auth.login("trainer")
    assert "Ask the group what" in client.get("/learn/modules/basics").get_data(as_text=True)


def test_unknown_lesson_is_a_friendly_404(client, auth):
    auth.login()
    response = client.get("/learn/lessons/no-such-lesson")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_refresher_is_closed_before_it_opens(client, auth):
    auth.login()
    response = client.get("/learn/lessons/refresher-reflect")
    assert response.status_code == 403
    assert "is not open yet" in response.get_data(as_text=True)


def test_course_files_are_images_only(client, auth):
    auth.login()
    assert client.get("/learn/files/images/diagram.png").status_code == 200
    assert client.get("/learn/files/course.yaml").status_code == 404
    assert client.get("/learn/files/../../etc/passwd").status_code == 404


def test_server_error_page_shows_no_trace(make_app, course_dir):
    app = make_app(course_dir, PROPAGATE_EXCEPTIONS=False, TESTING=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail")

    boom.access = "public"
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body and "secret detail" not in body and "Traceback" not in body
