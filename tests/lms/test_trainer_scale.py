"""The trainer's workspace at programme scale: filters, sorting, paging and counts on the cohort page,
the "Needs attention" queue, CSV downloads; constant queries whatever the cohort size; only the trainer's cohorts."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from lms.db.models import Cohort, Comment, Completion, ExtraAttempt, LessonProgress, Organisation, PilotPlan, PilotReport, QuizAttempt, User
from lms.db.session import get_session
from tests.conftest import START, Auth, user_id
from tests.lms.test_query_counts import counting

ORGS = (("Padma Women's Health Outreach", "BD"), ("Mekong Women's Health Action", "KH"), ("Sahyog Women's Health Trust", "IN"),
        ("Bayanihan Harm Reduction Network", "PH"))


def org_ids(app) -> dict[str, int]:
    with app.app_context():
        session = get_session()
        for name, country in ORGS:
            if session.scalar(select(Organisation).where(Organisation.name == name)) is None:
                session.add(Organisation(name=name, country=country))
        session.commit()
        return {o.country: o.id for o in session.scalars(select(Organisation))}


def cohort_id(app, name: str) -> int:
    with app.app_context():
        return get_session().scalar(select(Cohort.id).where(Cohort.name == name))


def seed(app, cohort: str, count: int, prefix: str, start: int = 0) -> list[int]:
    """Insert learners and their records as rows (fast): every fourth country, a mix of every state the queue knows.

    Learner i: BD/KH/IN/PH by i % 4; i % 5 == 0 has done nothing (created 40 days ago: inactive);
    i % 5 == 1 read a core lesson today; i % 5 == 2 completed the core and submitted a plan (no comment);
    i % 5 == 3 failed the final assessment twice; i % 5 == 4 last read a lesson 31 days ago.
    """
    orgs = org_ids(app)
    countries = ["BD", "KH", "IN", "PH"]
    course = app.extensions["lms.course"]
    lesson = course.modules["basics"].lesson_ids[0]
    with app.app_context():
        session = get_session()
        group = session.scalar(select(Cohort).where(Cohort.name == cohort))
        rows = [{"email": f"{prefix.lower().replace(' ', '')}{i}@example.org", "name": f"{prefix} {i:04d}", "role": "tsp",
                 "password_hash": "x", "cohort_id": group.id, "organisation_id": orgs[countries[i % 4]], "active": True,
                 "created_at": START - timedelta(days=40)} for i in range(start, start + count)]
        session.execute(insert(User), rows)
        ids = dict(session.execute(select(User.email, User.id).where(User.email.in_([r["email"] for r in rows]))).all())
        lessons, attempts, completions, plans = [], [], [], []
        for i, row in zip(range(start, start + count), rows, strict=True):
            uid = ids[row["email"]]
            kind = i % 5
            if kind in (1, 4):
                at = START if kind == 1 else START - timedelta(days=31)
                lessons.append({"user_id": uid, "lesson_id": lesson, "first_viewed_at": at, "last_viewed_at": at,
                                "seconds_spent": 60, "content_version": "x"})
            if kind == 2:
                completions.append({"user_id": uid, "scope": "unit", "ref_id": "core", "completed_at": START, "content_version": "x"})
                plans.append({"user_id": uid, "fields": {}, "submitted_at": START - timedelta(days=1), "updated_at": START})
            if kind == 3:
                for n in (1, 2):
                    at = START - timedelta(days=3 - n)
                    attempts.append({"user_id": uid, "quiz_id": "quiz-final", "number": n, "plan": [], "started_at": at,
                                     "submitted_at": at, "percent": 10.0, "passed": False, "content_version": "x"})
        for model, values in ((LessonProgress, lessons), (QuizAttempt, attempts), (Completion, completions), (PilotPlan, plans)):
            if values:
                session.execute(insert(model), values)
        session.commit()
        return [ids[r["email"]] for r in rows]


@pytest.fixture
def trainer(app):
    client = app.test_client()
    Auth(client).login("trainer")
    return client


def queries(app, client, url: str) -> int:
    with counting(app.extensions["lms.engine"]) as statements:
        response = client.get(url)
        body = response.get_data()  # a streamed CSV runs its queries while it is read
    assert response.status_code == 200, (url, body[:300])
    return len(statements)


def test_same_number_of_queries_for_10_and_1000_learners(app, trainer):
    a, b = cohort_id(app, "Cohort A"), cohort_id(app, "Cohort B")
    orgs = org_ids(app)
    seed(app, "Cohort B", 5, "Beta")
    seed(app, "Cohort A", 10, "Alpha")
    urls = ["/trainer/", "/trainer/cohorts.csv", f"/trainer/cohorts/{a}", f"/trainer/cohorts/{a}?sort=-last_active&page=2",
            f"/trainer/cohorts/{a}?organisation={orgs['BD']}&country=BD&status=started&sort=status",
            f"/trainer/cohorts/{a}/learners.csv", f"/trainer/cohorts/{a}/learners.csv?country=KH&sort=-name",
            "/trainer/queue/", f"/trainer/queue/?cohort={a}&kind=inactive", "/trainer/queue/queue.csv",
            "/trainer/queue/queue.csv?kind=failed", f"/trainer/cohorts/{a}/quizzes/quiz-final.csv",
            f"/trainer/cohorts/{a}/quizzes/quiz-final.csv?table=questions&attempts=all"]
    small = {url: queries(app, trainer, url) for url in urls}
    seed(app, "Cohort A", 990, "Alpha", start=10)
    large = {url: queries(app, trainer, url) for url in urls}
    assert large == small
    page = trainer.get(f"/trainer/cohorts/{a}").get_data(as_text=True)
    assert "<strong>1002</strong> learners" in page  # 1,000 seeded plus the two fixture learners of Cohort A
    assert len(re.findall(r'<th scope="row"', page)) == 50
    assert b != a


def test_filters_sorting_paging_and_counts_for_the_whole_filtered_set(app, trainer):
    a = cohort_id(app, "Cohort A")
    orgs = org_ids(app)
    seed(app, "Cohort A", 120, "Alpha")
    first = trainer.get(f"/trainer/cohorts/{a}?sort=name").get_data(as_text=True)
    names = re.findall(r'<th scope="row" class="nowrap"><a href="[^"]+">([^<]+)</a>', first)
    assert len(names) == 50 and names[0] == "Alpha 0000" and names == sorted(names)
    assert "Page 1 of 3" in first
    last = trainer.get(f"/trainer/cohorts/{a}?page=3").get_data(as_text=True)
    assert len(re.findall(r'<th scope="row" class="nowrap">', last)) == 22  # 122 in all: 120 + Rina Akter + Maria Santos
    backwards = trainer.get(f"/trainer/cohorts/{a}?sort=-name").get_data(as_text=True)
    assert re.search(r'<th scope="row" class="nowrap"><a href="[^"]+">([^<]+)</a>', backwards).group(1) == "Rina Akter"
    # Filters: country, organisation, status; counts cover the whole filtered set, not the page.
    kh = trainer.get(f"/trainer/cohorts/{a}?country=KH").get_data(as_text=True)
    assert "<strong>30</strong> learners match these filters" in kh and "Alpha 0001" in kh and "Alpha 0000" not in kh
    bd = trainer.get(f"/trainer/cohorts/{a}?organisation={orgs['BD']}").get_data(as_text=True)
    assert "<strong>30</strong> learners" in bd and "Alpha 0004" in bd and "Alpha 0001" not in bd
    # Sort, page and CSV links keep the filters (whatever the organisation's id).
    assert f'href="/trainer/cohorts/{a}?organisation={orgs["BD"]}&amp;sort=country"' in bd
    assert f'href="/trainer/cohorts/{a}/learners.csv?organisation={orgs["BD"]}"' in bd
    busy = trainer.get(f"/trainer/cohorts/{a}?status=started&sort=-country").get_data(as_text=True)
    assert f'href="/trainer/cohorts/{a}?status=started&amp;sort=-country&amp;page=2" rel="next"' in busy
    done = trainer.get(f"/trainer/cohorts/{a}?status=done:core").get_data(as_text=True)
    assert "<strong>24</strong> learners" in done and "Core training: <strong>24</strong> completed" in done
    assert "Completed: Core training (24)" in done and "Not started (26)" in done  # 24 + the two fixture learners
    started = trainer.get(f"/trainer/cohorts/{a}?status=started&country=IN").get_data(as_text=True)
    assert "<strong>18</strong> learners" in started  # in India (30 of them): i % 5 in (1, 3, 4), six each
    by_activity = trainer.get(f"/trainer/cohorts/{a}?sort=-last_active").get_data(as_text=True)
    assert re.search(r'<th scope="row" class="nowrap"><a href="[^"]+">([^<]+)</a>', by_activity).group(1) == "Alpha 0001"
    assert trainer.get(f"/trainer/cohorts/{a}?page=99&sort=nonsense&status=bogus").status_code == 200  # falls back, no error


def test_cohort_csv_is_the_table_with_its_filters_spreadsheet_safe(app, trainer):
    a = cohort_id(app, "Cohort A")
    seed(app, "Cohort A", 60, "Alpha")
    with app.app_context():
        session = get_session()
        rina = session.get(User, user_id(app, "tsp"))
        rina.name = "=HYPERLINK(\"http://evil.example\")"
        session.get(User, user_id(app, "peer")).name = "নাসরিন আক্তার"
        session.commit()
    response = trainer.get(f"/trainer/cohorts/{a}/learners.csv")
    raw = response.get_data()
    assert response.mimetype == "text/csv" and raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["Learner", "Email", "Organisation", "Country", "Status"]
    assert len(rows) == 1 + 62  # every page, not just the first 50
    names = [r[0] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://evil.example\")" in names and "নাসরিন আক্তার" in names
    assert all(not n.startswith(("=", "+", "-", "@")) for n in names)
    assert "not attempted" in rows[-1]  # the SCORM vocabulary stays in exports
    filtered = list(csv.reader(io.StringIO(trainer.get(f"/trainer/cohorts/{a}/learners.csv?country=PH&sort=-name")
                                           .get_data().decode("utf-8-sig"))))
    assert len(filtered) == 1 + 15 and {r[3] for r in filtered[1:]} == {"PH"}
    assert [r[0] for r in filtered[1:]] == sorted((r[0] for r in filtered[1:]), reverse=True)


def test_a_trainer_cannot_reach_another_cohort_through_filters_csv_or_queue(app, trainer):
    a, b = cohort_id(app, "Cohort A"), cohort_id(app, "Cohort B")
    orgs = org_ids(app)
    seed(app, "Cohort A", 10, "Alpha")
    seed(app, "Cohort B", 10, "Beta")  # same organisations, same states, another trainer's cohort
    for url in (f"/trainer/cohorts/{b}", f"/trainer/cohorts/{b}/learners.csv", f"/trainer/queue/?cohort={b}",
                f"/trainer/queue/queue.csv?cohort={b}", f"/trainer/cohorts/{b}?organisation={orgs['BD']}",
                f"/trainer/cohorts/{b}/quizzes/quiz-final.csv"):
        assert trainer.get(url).status_code == 404, url
    seen = [trainer.get(url).get_data().decode("utf-8-sig") for url in (
        f"/trainer/cohorts/{a}?organisation={orgs['BD']}", f"/trainer/cohorts/{a}?country=KH&status=started",
        f"/trainer/cohorts/{a}/learners.csv?organisation={orgs['BD']}", f"/trainer/cohorts/{a}/learners.csv",
        "/trainer/queue/", "/trainer/queue/?kind=plan", "/trainer/queue/queue.csv", "/trainer/", "/trainer/cohorts.csv",
        f"/trainer/cohorts/{a}/quizzes/quiz-final.csv")]
    assert all("Beta" not in page and "beta" not in page and "Cohort B" not in page for page in seen)
    assert "Alpha 0000" in seen[0] and "Alpha 0002" in seen[5]
    admin = app.test_client()
    Auth(admin).login("admin")
    assert "Beta 0002" in admin.get("/trainer/queue/?kind=plan").get_data(as_text=True)  # admins see every cohort


def _queue(trainer, kind: str | None = None) -> list[list[str]]:
    url = "/trainer/queue/queue.csv" + (f"?kind={kind}" if kind else "")
    return list(csv.reader(io.StringIO(trainer.get(url).get_data().decode("utf-8-sig"))))[1:]


def test_needs_attention_lists_what_waits_and_drops_it_once_done(app, trainer, clock):
    seed(app, "Cohort A", 5, "Alpha")  # 0 never active, 1 active today, 2 plan waiting, 3 failed twice, 4 quiet 31 days
    with app.app_context():
        session = get_session()
        ids = dict(session.execute(select(User.name, User.id).where(User.name.like("Alpha%"))).all())
        session.execute(insert(User), [{"email": "fresh@example.org", "name": "Fresh Start", "role": "tsp", "password_hash": "x",
                                        "cohort_id": cohort_id(app, "Cohort A"), "active": True, "created_at": START - timedelta(days=2)}])
        session.commit()
    rows = _queue(trainer)
    by_kind = {(r[0], r[1]) for r in rows}
    assert ("Pilot plan to comment on", "Alpha 0002") in by_kind
    assert ("Failed the final assessment twice", "Alpha 0003") in by_kind
    assert {r[1] for r in rows if r[0] == "Inactive for 30 days"} >= {"Alpha 0000", "Alpha 0004"}
    inactive = {r[1] for r in rows if r[0] == "Inactive for 30 days"}
    assert "Alpha 0001" not in inactive and "Fresh Start" not in inactive
    page = trainer.get("/trainer/queue/").get_data(as_text=True)
    assert "Pilot plan to comment on: <strong>1</strong>" in page and "Failed the final assessment twice: <strong>1</strong>" in page

    # A comment written after the plan was submitted takes it off the queue.
    learner = ids["Alpha 0002"]
    Auth(trainer).post(f"/trainer/learners/{learner}/comments", {"target": "plan", "body": "Good start"}, page=f"/trainer/learners/{learner}")
    assert _queue(trainer, "plan") == []
    # An extra attempt granted after the last failure, or a pass, takes a learner off the failed list.
    with app.app_context():
        session = get_session()
        session.add(ExtraAttempt(user_id=ids["Alpha 0003"], quiz_id="quiz-final", granted_by_id=user_id(app, "trainer"),
                                 reason="Another go", granted_at=START))
        session.commit()
    assert _queue(trainer, "failed") == []
    # A report submitted and not commented on appears; time passing makes today's learner inactive.
    with app.app_context():
        session = get_session()
        session.add(PilotReport(user_id=ids["Alpha 0001"], fields={}, submitted_at=START, updated_at=START))
        session.commit()
    assert [r[1] for r in _queue(trainer, "report")] == ["Alpha 0001"]
    clock.advance(days=29)
    assert "Alpha 0001" not in {r[1] for r in _queue(trainer, "inactive")}
    clock.advance(days=2)
    assert "Alpha 0001" in {r[1] for r in _queue(trainer, "inactive")}  # nothing done for more than 30 days


def test_a_pilot_report_that_does_not_exist_cannot_be_commented(app, trainer):
    learner = user_id(app, "tsp")
    response = Auth(trainer).post(f"/trainer/learners/{learner}/comments", {"target": "report", "body": "Well done"},
                                  page=f"/trainer/learners/{learner}")
    assert response.status_code == 302
    assert "has not written a pilot report yet" in trainer.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert get_session().scalars(select(Comment)).all() == []
    page = trainer.get(f"/trainer/learners/{learner}").get_data(as_text=True)
    assert "the pilot report</option>" not in page


def test_quiz_report_says_not_attempted_for_learners_without_an_attempt(app, trainer):
    a = cohort_id(app, "Cohort A")
    page = trainer.get(f"/trainer/cohorts/{a}/quizzes/quiz-basics").get_data(as_text=True)
    assert "not attempted" in page and "<td>no</td>" not in page


def _text(client, url: str) -> str:
    """What a person reads on the page: the HTML without its tags."""
    return re.sub(r"<[^>]+>", " ", client.get(url).get_data(as_text=True))


def test_learners_see_plain_words_for_their_status(app, client, auth):
    auth.login("tsp")
    dashboard = _text(client, "/learn/")
    assert "not started" in dashboard and "not attempted" not in dashboard
    client.get("/learn/lessons/basics-one")
    dashboard = _text(client, "/learn/")
    assert "in progress" in dashboard and "incomplete" not in dashboard
    journey = _text(client, "/learn/journey")
    assert "not started" in journey and "not attempted" not in journey and "incomplete" not in journey
    assert "in progress" in _text(client, "/learn/modules/basics")


@pytest.mark.parametrize("query", ["page=²", "page=" + "9" * 5000, "organisation=٣", "organisation=" + "9" * 40, "page=-1"])
def test_odd_numbers_in_the_query_string_are_ignored_not_errors(app, query):
    trainer = Auth(app.test_client())
    trainer.login("trainer")
    for url in (f"/trainer/cohorts/{cohort_id(app, 'Cohort A')}?{query}", f"/trainer/queue/?{query}"):
        assert trainer.client.get(url).status_code == 200, url


def test_the_quiz_report_downloads_as_shown(app, trainer):
    a = cohort_id(app, "Cohort A")
    seed(app, "Cohort A", 6, "Alpha")
    page = trainer.get(f"/trainer/cohorts/{a}/quizzes/quiz-final").get_data(as_text=True)
    body = trainer.get(f"/trainer/cohorts/{a}/quizzes/quiz-final.csv").get_data()
    assert body.startswith("\ufeff".encode()) and b"\r\n" in body
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Learner", "Attempts", "Best", "Passed"]
    assert len(rows) - 1 == page.count('<th scope="row">')  # one row per learner on the page
    for name, _tried, best, passed in rows[1:]:
        assert name in page and passed in ("yes", "no", "not attempted") and (best == "") == (passed == "not attempted")
    questions = list(csv.reader(io.StringIO(trainer.get(f"/trainer/cohorts/{a}/quizzes/quiz-final.csv?table=questions")
                                            .get_data().decode("utf-8-sig"))))
    assert questions[0] == ["Question", "Answered by", "Facility", "Discrimination", "Flag"]
    assert all(0 <= float(row[2]) <= 1 for row in questions[1:])
