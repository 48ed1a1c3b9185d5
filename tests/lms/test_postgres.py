"""The same app on PostgreSQL, the production engine: migrations, the journey, one attempt per double submit."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select, text

from lms.db.models import Certificate, QuizAttempt
from lms.db.session import get_session
from tests.pg import postgres_server

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_url():
    with postgres_server() as url:
        if url is None:
            if __import__("os").environ.get("CI"):
                pytest.fail("CI must test PostgreSQL: install the postgresql package (.ci/run does)")
            pytest.skip("no PostgreSQL server here (apt-get install postgresql, or set LMS_TEST_POSTGRES_URL)")
        yield url


@pytest.fixture
def database_url(pg_url):
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:  # a clean schema for every test
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return pg_url


def test_journey_on_postgres(app, client, auth):
    from tests.lms.test_journey import complete_core

    assert app.config["DATABASE_URL"].startswith("postgresql")
    auth.login()
    complete_core(app, client, auth)
    with app.app_context():
        session = get_session()
        assert session.scalar(select(func.count()).select_from(Certificate)) == 1
        assert session.scalar(select(func.count()).select_from(QuizAttempt)) == 2
        cert = session.scalar(select(Certificate))
        assert cert.issued_at.tzinfo is not None
    assert "passed" in client.get("/learn/").get_data(as_text=True)


def test_a_certificate_issued_meanwhile_stands_on_postgres(app):
    """The savepoint that lets a request survive another's identical certificate, on the production engine."""
    from tests.lms.test_certificates import test_a_certificate_issued_meanwhile_by_another_request_stands as check

    assert app.config["DATABASE_URL"].startswith("postgresql")
    check(app)
