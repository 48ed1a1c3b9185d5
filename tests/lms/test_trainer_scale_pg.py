"""The cohort page, the queue and their CSVs on PostgreSQL: the SQL that aggregates them runs on both engines."""
from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import Auth
from tests.lms.test_postgres import database_url, pg_url  # noqa: F401  (fixtures: every test here runs on PostgreSQL)
from tests.lms.test_trainer_scale import cohort_id, org_ids, seed

pytestmark = pytest.mark.postgres


def test_cohort_page_queue_and_csv_on_postgres(app):
    assert app.config["DATABASE_URL"].startswith("postgresql")
    a = cohort_id(app, "Cohort A")
    orgs = org_ids(app)
    seed(app, "Cohort A", 60, "Alpha")
    seed(app, "Cohort B", 10, "Beta")
    trainer = app.test_client()
    Auth(trainer).login("trainer")
    for sort in ("name", "-organisation", "country", "status", "-last_active"):
        page = trainer.get(f"/trainer/cohorts/{a}?sort={sort}")
        assert page.status_code == 200 and "<strong>62</strong> learners" in page.get_data(as_text=True), sort
    filtered = trainer.get(f"/trainer/cohorts/{a}?organisation={orgs['BD']}&status=done:core").get_data(as_text=True)
    assert "<strong>3</strong> learners" in filtered  # BD is i % 4 == 0, core done i % 5 == 2: i = 12, 32, 52
    rows = list(csv.reader(io.StringIO(trainer.get("/trainer/queue/queue.csv").get_data().decode("utf-8-sig"))))[1:]
    kinds = {r[0] for r in rows}
    assert kinds == {"Pilot plan to comment on", "Failed the final assessment twice", "Inactive for 30 days"}
    assert not any(r[1].startswith("Beta") for r in rows)
    learners = list(csv.reader(io.StringIO(trainer.get(f"/trainer/cohorts/{a}/learners.csv?sort=-last_active")
                                           .get_data().decode("utf-8-sig"))))
    assert len(learners) == 1 + 62
    assert trainer.get("/trainer/").status_code == 200
