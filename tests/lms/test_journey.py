"""The six-month journey end to end, with the clock moved forward: core, pilot, refresher, certificates."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms.db.models import Certificate, Completion
from lms.db.session import get_session
from tests.conftest import START, Auth, user_id
from tests.helpers import PLAN, REPORT, course_of, database, finish_core, key, user
from tests.lms.quiz_helpers import take_quiz


def complete_core(app, client, auth: Auth) -> None:
    for lesson in ("basics-one", "basics-two", "practice-only"):
        client.get(f"/learn/lessons/{lesson}")
        assert auth.post(f"/learn/lessons/{lesson}/done", page=f"/learn/lessons/{lesson}").status_code == 302
    for quiz in ("quiz-basics", "quiz-final"):
        _, response = take_quiz(app, client, auth, quiz)
        assert response.status_code == 302
    response = auth.post("/learn/pilot/plan", {**PLAN, "action": "submit"}, page="/learn/pilot/plan")
    assert response.status_code == 302


def completions(app, who: str) -> dict[tuple[str, str], Completion]:
    with app.app_context():
        rows = get_session().scalars(select(Completion).where(Completion.user_id == user_id(app, who))).all()
        return {(c.scope, c.ref_id): c for c in rows}


def test_whole_journey_with_time_moved_forward(app, client, auth, clock):
    auth.login("tsp")
    complete_core(app, client, auth)
    done = completions(app, "tsp")
    assert ("unit", "core") in done and ("module", "basics") in done
    assert done[("unit", "core")].content_version == app.extensions["lms.course"].full_version

    journey = client.get("/learn/journey").get_data(as_text=True)
    opens = (START + timedelta(days=180)).strftime("%-d %B %Y")
    assert f"Opens on <strong>{opens}</strong>" in journey
    assert client.get("/learn/pilot/report").status_code == 403
    assert client.get("/learn/lessons/refresher-reflect").status_code == 403

    # A core certificate was issued, once.
    with app.app_context():
        certs = get_session().scalars(select(Certificate).where(Certificate.user_id == user_id(app, "tsp"))).all()
    assert [c.kind for c in certs] == ["core"]

    log = auth.post("/learn/pilot/log", {"entry_date": "2026-01-05", "did": "Met staff", "happened": "Agreed hours",
                                         "learned": "Ask women first"}, page="/learn/pilot/log")
    assert log.status_code == 302

    clock.advance(days=179)
    assert client.get("/learn/pilot/report").status_code == 403
    clock.advance(days=1)
    assert client.get("/learn/pilot/report").status_code == 200
    # The plan is fixed once the refresher opens.
    assert auth.post("/learn/pilot/plan", {**PLAN, "action": "submit"}, page="/learn/journey").status_code == 403

    client.get("/learn/lessons/refresher-reflect")
    auth.post("/learn/lessons/refresher-reflect/done", page="/learn/lessons/refresher-reflect")
    assert auth.post("/learn/pilot/report", {**REPORT, "shared": "yes", "action": "submit"}, page="/learn/pilot/report").status_code == 302
    take_quiz(app, client, auth, "quiz-refresher")
    done = completions(app, "tsp")
    assert ("unit", "refresher") in done
    with app.app_context():
        kinds = sorted(c.kind for c in get_session().scalars(select(Certificate).where(Certificate.user_id == user_id(app, "tsp"))))
    assert kinds == ["core", "refresher"]
    assert "passed" in client.get("/learn/journey").get_data(as_text=True)


def test_shared_report_readable_by_cohort_only_private_by_nobody(app, make_app, clock):
    with database(app) as session:
        for who in ("tsp", "peer", "tsp2"):
            finish_core(session, course_of(app), user(session, who), key(app))
    author, peer, other = (app.test_client() for _ in range(3))
    a_auth, p_auth, o_auth = Auth(author), Auth(peer), Auth(other)
    a_auth.login("tsp")
    p_auth.login("peer")
    o_auth.login("tsp2")
    clock.advance(days=181)
    a_auth.post("/learn/pilot/report", {**REPORT, "shared": "yes", "action": "submit"}, page="/learn/pilot/report")
    p_auth.post("/learn/pilot/report", {**REPORT, "progress": "Private progress", "shared": "no", "action": "submit"},
                page="/learn/pilot/report")
    with app.app_context():
        from lms.db.models import PilotReport

        ids = {r.user_id: r.id for r in get_session().scalars(select(PilotReport))}
    shared_id, private_id = ids[user_id(app, "tsp")], ids[user_id(app, "peer")]

    listing = peer.get("/learn/pilot/shared").get_data(as_text=True)
    assert "Rina Akter" in listing and "Maria Santos" not in listing
    assert peer.get(f"/learn/pilot/shared/{shared_id}").status_code == 200
    assert author.get(f"/learn/pilot/shared/{private_id}").status_code == 404  # private: not even the cohort
    assert other.get(f"/learn/pilot/shared/{shared_id}").status_code == 404  # another cohort, by URL
    assert "Rina Akter" not in other.get("/learn/pilot/shared").get_data(as_text=True)

    trainer = app.test_client()
    Auth(trainer).login("trainer")
    page = trainer.get(f"/trainer/learners/{user_id(app, 'peer')}").get_data(as_text=True)
    assert "Private progress" in page  # their trainer reads private reports too
    assert trainer.get(f"/trainer/learners/{user_id(app, 'tsp2')}").status_code == 404  # not their cohort


def test_trainer_sets_an_earlier_cohort_date(app, client, auth, clock):
    with database(app) as session:
        finish_core(session, course_of(app), user(session, "tsp"), key(app))
    auth.login("tsp")
    assert client.get("/learn/pilot/report").status_code == 403
    trainer = app.test_client()
    t_auth = Auth(trainer)
    t_auth.login("trainer")
    with app.app_context():
        from lms.db.models import Cohort

        cohort_id = get_session().scalar(select(Cohort.id).where(Cohort.name == "Cohort A"))
    early = (START + timedelta(days=30)).date().isoformat()
    response = t_auth.post(f"/trainer/cohorts/{cohort_id}/refresher", {"opens_on": early}, page=f"/trainer/cohorts/{cohort_id}")
    assert response.status_code == 302
    bad = t_auth.post(f"/trainer/cohorts/{cohort_id}/refresher", {"opens_on": "next week"}, page=f"/trainer/cohorts/{cohort_id}")
    assert bad.status_code == 302
    clock.advance(days=29)
    assert client.get("/learn/pilot/report").status_code == 403
    clock.advance(days=1)
    assert client.get("/learn/pilot/report").status_code == 200
    # A trainer cannot set the date of a cohort they do not train.
    with app.app_context():
        other_id = get_session().scalar(select(Cohort.id).where(Cohort.name == "Cohort B"))
    assert t_auth.post(f"/trainer/cohorts/{other_id}/refresher", {"opens_on": early}, page="/trainer/").status_code == 404


def test_plan_draft_versions_and_validation(app, client, auth):
    auth.login("tsp")
    draft = auth.post("/learn/pilot/plan", {"organisation": "Cebu outreach", "action": "save"}, page="/learn/pilot/plan")
    assert draft.status_code == 302
    missing = auth.post("/learn/pilot/plan", {"organisation": "Cebu outreach", "action": "submit"}, page="/learn/pilot/plan")
    assert missing.status_code == 400
    assert "Fill in “The change to pilot” before submitting." in missing.get_data(as_text=True)
    auth.post("/learn/pilot/plan", {**PLAN, "action": "submit"}, page="/learn/pilot/plan")
    auth.post("/learn/pilot/plan", {**PLAN, "timeline": "Months 1-4", "action": "submit"}, page="/learn/pilot/plan")
    with app.app_context():
        from lms.db.models import PilotPlan

        plan = get_session().scalar(select(PilotPlan))
        assert [v.status for v in plan.versions] == ["draft", "submitted", "submitted"]
        assert plan.versions[0].fields["organisation"] == "Cebu outreach"
        assert plan.fields["timeline"] == "Months 1-4"


def test_log_rejects_future_dates_and_keeps_nothing(app, client, auth):
    auth.login("tsp")
    response = auth.post("/learn/pilot/log", {"entry_date": "2099-01-01", "did": "x"}, page="/learn/pilot/log")
    assert response.status_code == 400 and "cannot be in the future" in response.get_data(as_text=True)
    assert "No entries yet" in client.get("/learn/pilot/log").get_data(as_text=True)
