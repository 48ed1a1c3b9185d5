"""Trainers comment on a learner's pilot plan or report; the learner reads the comment beside her work."""
from __future__ import annotations

from sqlalchemy import func, select

from lms.db.models import Comment
from lms.db.session import get_session
from tests.conftest import Auth, user_id
from tests.helpers import PLAN, course_of, database, finish_core, key, make_user, user


def signed_in(app, who: str) -> Auth:
    auth = Auth(app.test_client())
    auth.login(who)
    return auth


def comments(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Comment))


def test_a_trainers_comment_on_the_plan_reaches_the_learner(app):
    with database(app) as session:
        finish_core(session, course_of(app), user(session, "tsp"), key(app))
    trainer = signed_in(app, "trainer")
    tsp_id = user_id(app, "tsp")
    response = trainer.post(f"/trainer/learners/{tsp_id}/comments", {"target": "plan", "body": "Add an indicator split by age."},
                            page=f"/trainer/learners/{tsp_id}", follow_redirects=True)
    assert "Comment added." in response.get_data(as_text=True)
    assert "Add an indicator split by age." in response.get_data(as_text=True)  # on the trainer's page too
    plan_page = signed_in(app, "tsp").client.get("/learn/pilot/plan").get_data(as_text=True)
    assert "Add an indicator split by age." in plan_page and "Tara Trainer" in plan_page and PLAN["change"] in plan_page
    with app.app_context():
        stored = get_session().scalars(select(Comment)).one()
        assert (stored.target, stored.learner_id, stored.author_id) == ("plan", tsp_id, user_id(app, "trainer"))


def test_an_empty_or_misdirected_comment_saves_nothing(app):
    trainer = signed_in(app, "trainer")
    tsp_id = user_id(app, "tsp")
    for form in ({"target": "plan", "body": "   "}, {"target": "lesson", "body": "Hello"}, {"target": "plan", "body": "x" * 6001}):
        response = trainer.post(f"/trainer/learners/{tsp_id}/comments", form, page=f"/trainer/learners/{tsp_id}", follow_redirects=True)
        assert "nothing was saved" in response.get_data(as_text=True), form
    assert comments(app) == 0


def test_a_trainer_cannot_comment_on_a_learner_outside_their_cohorts(app):
    with database(app) as session:
        outsider = make_user(session, "farzana@example.org", "Farzana Rahman", cohort="Cohort B").id
    trainer = signed_in(app, "trainer")
    response = trainer.post(f"/trainer/learners/{outsider}/comments", {"target": "plan", "body": "Hello"}, page="/trainer/")
    assert response.status_code == 404 and comments(app) == 0
    learner = signed_in(app, "peer")
    assert learner.post(f"/trainer/learners/{user_id(app, 'tsp')}/comments", {"target": "plan", "body": "Hi"}).status_code == 403
    assert comments(app) == 0
