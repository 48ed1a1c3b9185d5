"""Completion records in SCORM terms: from the CLI and the admin download, CSV and JSON."""
from __future__ import annotations

import csv
import io
import json
import re

from click.testing import CliRunner

from lms.cli import cli
from lms.interop.records import cmi_timespan, iso_duration
from tests.conftest import Auth
from tests.lms.test_journey import complete_core


def test_time_formats():
    assert cmi_timespan(0) == "0000:00:00.00"
    assert cmi_timespan(3 * 3600 + 7 * 60 + 5.5) == "0003:07:05.50"
    assert iso_duration(3 * 3600 + 7 * 60 + 5.4) == "PT3H7M5S"
    assert cmi_timespan(3600 + 31 * 60 + 59.999) == "0001:32:00.00"  # never 0001:31:60.00
    assert cmi_timespan(59.995) == "0000:01:00.00" and cmi_timespan(59.994) == "0000:00:59.99"


def test_records_after_the_core(app, client, auth, clock):
    auth.login()
    complete_core(app, client, auth)
    admin = app.test_client()
    Auth(admin).login("admin")
    response = admin.get("/admin/records.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    mine = {r["unit_id"]: r for r in rows if r["email"] == "tsp@example.org"}
    assert set(mine) == {"core", "pilot", "refresher"}
    core = mine["core"]
    assert core["lesson_status"] == "passed" and core["completion_status"] == "completed" and core["success_status"] == "passed"
    assert float(core["score_raw"]) == 100 and float(core["score_scaled"]) == 1.0 and core["score_max"] == "100"
    assert re.fullmatch(r"\d{4}:\d{2}:\d{2}\.\d{2}", core["total_time"]) and core["total_time_iso"].startswith("PT")
    assert core["content_version"] == app.extensions["lms.course"].full_version
    assert mine["refresher"]["lesson_status"] == "not attempted" and mine["refresher"]["success_status"] == "unknown"
    other = {r["unit_id"]: r for r in rows if r["email"] == "tsp2@example.org"}
    assert other["core"]["lesson_status"] == "not attempted" and other["core"]["score_raw"] == ""
    assert not any(r["email"] in ("trainer@example.org", "admin@example.org") for r in rows)

    env = {"LMS_SECRET_KEY": app.config["SECRET_KEY"], "LMS_DATABASE_URL": app.config["DATABASE_URL"],
           "LMS_COURSE_DIR": app.config["COURSE_DIR"]}
    result = CliRunner().invoke(cli, ["export", "records", "--format", "json", "--cohort", "Cohort A"], env=env)
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert {r["email"] for r in records} == {"tsp@example.org", "peer@example.org"}
    bad = CliRunner().invoke(cli, ["export", "records", "--cohort", "No such cohort"], env=env)
    assert bad.exit_code != 0 and "no cohort named" in bad.output


def test_only_admins_download_records(app, client, auth):
    auth.login("trainer")
    assert client.get("/admin/records.csv").status_code == 403
