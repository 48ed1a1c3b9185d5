"""Every CSV the application writes opens right in a spreadsheet: UTF-8 with BOM, CRLF, no live formulas."""
from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from lms.cli import cli
from lms.db.session import get_session
from lms.interop.csvsafe import safe_cell
from lms.learning.accounts import create_user
from tests.conftest import PASSWORD, Auth

BENGALI = "রিনা আক্তার"
FORMULA = '=HYPERLINK("http://evil.example","click")'


def add_learners(app) -> None:
    with app.app_context():
        session = get_session()
        create_user(session, "bn@example.org", BENGALI, "tsp", PASSWORD, "Cohort A")
        create_user(session, "eq@example.org", FORMULA, "tsp", PASSWORD, "+Cohort plus")
        session.commit()


def check_spreadsheet_safe(raw: bytes) -> list[dict]:
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    lines = raw.split(b"\n")[:-1]
    assert lines and all(line.endswith(b"\r") for line in lines), "every line ends with CRLF"
    text = raw.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    by_email = {r["email"]: r for r in rows}
    assert by_email["bn@example.org"]["name"] == BENGALI  # the script survives, byte for byte
    assert by_email["eq@example.org"]["name"] == "'" + FORMULA  # read as text, not a formula
    assert by_email["eq@example.org"]["cohort"] == "'+Cohort plus"
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())
    return rows


def test_admin_download_is_spreadsheet_safe(app):
    add_learners(app)
    admin = app.test_client()
    Auth(admin).login("admin")
    response = admin.get("/admin/records.csv")
    assert response.status_code == 200
    rows = check_spreadsheet_safe(response.get_data())
    assert {r["unit_id"] for r in rows} == {"core", "pilot", "refresher"}


def test_cli_export_is_spreadsheet_safe(app, tmp_path):
    add_learners(app)
    out = tmp_path / "records.csv"
    env = {"LMS_SECRET_KEY": "k", "LMS_DATABASE_URL": app.config["DATABASE_URL"], "LMS_COURSE_DIR": app.config["COURSE_DIR"]}
    result = CliRunner().invoke(cli, ["export", "records", "--format", "csv", "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    check_spreadsheet_safe(out.read_bytes())


def test_only_text_that_starts_a_formula_is_prefixed():
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(value) == "'" + value
    for value in ("Rina", BENGALI, "a=b", "", None, -1, 0.5):
        assert safe_cell(value) == value
