"""The learner's pages through the test client: dashboard, module, lesson, mark done."""
from __future__ import annotations

from sqlalchemy import select

from lms.db.models import LessonProgress, User
from lms.db.session import get_session
from tests.conftest import START, user_id


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


def test_time_spent_counts_the_last_reading_and_reloads_do_not_restart_it(app, client, auth, clock):
    auth.login()
    client.get("/learn/lessons/basics-one")  # first view, recorded
    clock.advance(seconds=30)
    client.get("/learn/lessons/basics-one")  # a reload soon after keeps the reading going
    clock.advance(minutes=3)
    auth.post("/learn/lessons/basics-one/done", page="/learn/")  # the token from another page: no reload
    client.get("/learn/lessons/basics-two")
    clock.advance(hours=5)  # left for the afternoon, then read again from the start
    client.get("/learn/lessons/basics-two")
    clock.advance(minutes=4)
    auth.post("/learn/lessons/basics-two/done", page="/learn/")
    with app.app_context():
        rows = {row.lesson_id: row for row in get_session().scalars(
            select(LessonProgress).where(LessonProgress.user_id == user_id(app, "tsp")))}
    assert rows["basics-one"].seconds_spent == 3 * 60 + 30
    assert rows["basics-one"].first_viewed_at == START
    assert rows["basics-two"].seconds_spent == 4 * 60
    assert rows["basics-two"].first_viewed_at < rows["basics-two"].last_viewed_at


def test_a_deactivated_account_is_signed_out_on_its_next_request(app, client, auth):
    auth.login()
    assert client.get("/learn/").status_code == 200
    with app.app_context():
        session = get_session()
        session.get(User, user_id(app, "tsp")).active = False
        session.commit()
    response = client.get("/learn/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


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
