"""Organisations and countries: ISO 3166 codes checked everywhere an organisation is named
(command line, CSV import, admin pages), and demo data spread over the four countries."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from lms.cli import cli
from lms.db.models import Organisation, User
from lms.db.session import get_session
from lms.learning.countries import COUNTRIES, normalise
from tests.conftest import Auth


def env_of(app) -> dict[str, str]:
    return {"LMS_SECRET_KEY": app.config["SECRET_KEY"], "LMS_DATABASE_URL": app.config["DATABASE_URL"],
            "LMS_COURSE_DIR": app.config["COURSE_DIR"]}


def organisations(app) -> dict[str, str]:
    with app.app_context():
        return {o.name: o.country for o in get_session().scalars(select(Organisation))}


def user_org(app, email: str) -> tuple[str, str] | None:
    with app.app_context():
        user = get_session().scalar(select(User).where(User.email == email))
        return (user.organisation.name, user.organisation.country) if user and user.organisation else None


@pytest.mark.parametrize(("code", "expected"), [("BD", "BD"), (" kh ", "KH"), ("in", "IN"), ("PH", "PH"), ("XX", None),
                                                ("UK", None), ("BGD", None), ("", None)])
def test_country_codes_are_iso_3166_alpha_2(code, expected):
    assert normalise(code) == expected
    assert len(COUNTRIES) == 249 and COUNTRIES["KH"] == "Cambodia"


def test_cli_creates_a_user_in_an_organisation(app):
    runner = CliRunner()
    result = runner.invoke(cli, ["users", "create", "--email", "nasrin@example.org", "--name", "Nasrin Akter", "--role", "tsp",
                                 "--cohort", "Cohort A", "--organisation", "Padma Women's Health Outreach", "--country", "bd",
                                 "--password-stdin"], input="a long enough password\n", env=env_of(app))
    assert result.exit_code == 0, result.output
    assert user_org(app, "nasrin@example.org") == ("Padma Women's Health Outreach", "BD")
    # The organisation now exists: its name alone is enough, a different country is refused.
    again = runner.invoke(cli, ["users", "create", "--email", "farzana@example.org", "--name", "Farzana Begum", "--role", "tsp",
                                "--organisation", "padma women's health outreach", "--password-stdin"],
                          input="a long enough password\n", env=env_of(app))
    assert again.exit_code == 0 and user_org(app, "farzana@example.org") == ("Padma Women's Health Outreach", "BD")
    clash = runner.invoke(cli, ["users", "create", "--email", "x@example.org", "--name", "X", "--role", "tsp",
                                "--organisation", "Padma Women's Health Outreach", "--country", "IN", "--password-stdin"],
                          input="a long enough password\n", env=env_of(app))
    assert clash.exit_code != 0 and "is in Bangladesh (BD), not IN" in clash.output
    assert user_org(app, "x@example.org") is None


@pytest.mark.parametrize(("args", "message"), [
    (["--organisation", "New Org", "--country", "XX"], "XX is not an ISO 3166 country code"),
    (["--organisation", "New Org"], "New Org is a new organisation: give its country too"),
    (["--country", "PH"], "a country belongs to an organisation"),
])
def test_cli_refuses_a_bad_organisation_or_country_and_creates_nothing(app, args, message):
    result = CliRunner().invoke(cli, ["users", "create", "--email", "new@example.org", "--name", "New", "--role", "tsp", *args,
                                      "--password-stdin"], input="a long enough password\n", env=env_of(app))
    assert result.exit_code != 0 and message in result.output
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(User).where(User.email == "new@example.org")) == 0
    assert organisations(app) == {}


def test_import_with_organisation_and_country_columns(app, tmp_path):
    good = tmp_path / "people.csv"
    good.write_text("email,name,role,cohort,organisation,country\n"
                    "sokha@example.org,Sokha Chan,tsp,Cohort A,Mekong Women's Health Action,KH\n"
                    "bopha@example.org,Bopha Keo,tsp,Cohort A,Mekong Women's Health Action,\n"
                    "maria@example.org,Maria Reyes,tsp,Cohort A,,\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["users", "import", str(good)], env=env_of(app))
    assert result.exit_code == 0, result.output
    assert user_org(app, "bopha@example.org") == ("Mekong Women's Health Action", "KH")
    assert user_org(app, "maria@example.org") is None


def test_import_refuses_every_row_when_one_country_is_wrong(app, tmp_path):
    bad = tmp_path / "people.csv"
    bad.write_text("email,name,role,cohort,organisation,country\n"
                   "priya@example.org,Priya Sharma,tsp,Cohort A,Sahyog Women's Health Trust,IN\n"
                   "joy@example.org,Joy Santos,tsp,Cohort A,Bayanihan Harm Reduction Network,PHL\n"
                   "ana@example.org,Ana Cruz,tsp,Cohort A,Sahyog Women's Health Trust,PH\n"
                   "lone@example.org,Lone Country,tsp,Cohort A,,BD\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["users", "import", str(bad)], env=env_of(app))
    assert result.exit_code != 0
    assert "line 3: PHL is not an ISO 3166 country code" in result.output
    assert "line 4: Sahyog Women's Health Trust is in IN, not PH" in result.output
    assert "line 5: a country belongs to an organisation" in result.output
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(User).where(User.email == "priya@example.org")) == 0
    assert organisations(app) == {}


def test_admin_manages_organisations(app):
    admin = Auth(app.test_client())
    admin.login("admin")
    assert "Organisations" in admin.client.get("/admin/").get_data(as_text=True)
    page = "/admin/organisations/"
    bad = admin.post(page, {"name": "Lingap Outreach Cebu", "country": "ZZ"}, page=page, follow_redirects=True)
    assert "ZZ is not an ISO 3166 country code" in bad.get_data(as_text=True) and organisations(app) == {}
    admin.post(page, {"name": "Lingap Outreach Cebu", "country": "ph"}, page=page)
    assert organisations(app) == {"Lingap Outreach Cebu": "PH"}
    twice = admin.post(page, {"name": "lingap outreach cebu", "country": "PH"}, page=page, follow_redirects=True)
    assert "already exists" in twice.get_data(as_text=True) and len(organisations(app)) == 1
    with app.app_context():
        org_id = get_session().scalar(select(Organisation.id))
    admin.post(f"{page}{org_id}", {"name": "Lingap Outreach Cebu City", "country": "PH"}, page=page)
    assert organisations(app) == {"Lingap Outreach Cebu City": "PH"}
    admin.post(f"{page}members", {"email": "tsp@example.org", "organisation": str(org_id)}, page=page)
    assert user_org(app, "tsp@example.org") == ("Lingap Outreach Cebu City", "PH")
    listing = admin.client.get(page).get_data(as_text=True)
    assert "Philippines (PH)" in listing
    refused = admin.post(f"{page}{org_id}/delete", page=page, follow_redirects=True)
    assert "still has 1 member" in refused.get_data(as_text=True) and len(organisations(app)) == 1
    admin.post(f"{page}members", {"email": "tsp@example.org", "organisation": ""}, page=page)
    admin.post(f"{page}{org_id}/delete", page=page)
    assert organisations(app) == {}
    trainer = Auth(app.test_client())
    trainer.login("trainer")
    assert trainer.client.get(page).status_code == 403


def test_demo_learners_are_spread_over_organisations_in_four_countries(app):
    from lms.learning.demo import NAMES
    from tests.helpers import seed_demo

    seed_demo(app, 24, "Demo", seed=5)
    with app.app_context():
        session = get_session()
        rows = session.execute(select(User.name, Organisation.country).join(Organisation, Organisation.id == User.organisation_id)
                               .where(User.email.like("%@demo.example.org"))).all()
    assert len(rows) == 24 and {country for _, country in rows} == {"BD", "KH", "IN", "PH"}
    for name, country in rows:  # names that fit each country
        first, last = NAMES[country]
        assert name.split(" ", 1)[0] in first and name.split(" ", 1)[1] in last
