"""Trainer views read a constant number of SQL queries whatever the cohort size (no N+1)."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select

from lms.db.models import Cohort
from lms.db.session import get_session
from tests.conftest import Auth
from tests.helpers import seed_demo


@contextmanager
def counting(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def queries_for(app, client, url: str) -> int:
    with counting(app.extensions["lms.engine"]) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def test_cohort_views_do_not_grow_with_the_cohort(app):
    trainer = app.test_client()
    Auth(trainer).login("trainer")
    seed_demo(app, 4, "Cohort A", seed=3)
    with app.app_context():
        cohort_id = get_session().scalar(select(Cohort.id).where(Cohort.name == "Cohort A"))
    urls = ["/trainer/", f"/trainer/cohorts/{cohort_id}", f"/trainer/cohorts/{cohort_id}/quizzes/quiz-basics",
            f"/trainer/cohorts/{cohort_id}/quizzes/quiz-basics?attempts=all"]
    small = {url: queries_for(app, trainer, url) for url in urls}
    seed_demo(app, 40, "Cohort A", seed=4)
    large = {url: queries_for(app, trainer, url) for url in urls}
    assert large == small
