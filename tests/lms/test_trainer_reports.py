"""The trainer's quiz report: each learner's attempts and item statistics that match what learners answered."""
from __future__ import annotations

import re

from sqlalchemy import select

from lms.db.models import Cohort
from lms.db.session import get_session
from tests.conftest import Auth, user_id
from tests.helpers import seed_demo
from tests.lms.quiz_helpers import take_quiz


def learner(app, who: str) -> Auth:
    auth = Auth(app.test_client())
    auth.login(who)
    return auth


def question_section(html: str, question_id: str) -> str:
    start = html.index(question_id)
    end = html.find("<section", start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:end if end > 0 else None]))


def test_quiz_report_counts_first_attempts_by_default_and_all_on_request(app):
    tsp, peer, other = learner(app, "tsp"), learner(app, "peer"), learner(app, "tsp2")
    take_quiz(app, tsp.client, tsp, "quiz-basics", correct=True)
    take_quiz(app, peer.client, peer, "quiz-basics", correct=False)
    take_quiz(app, peer.client, peer, "quiz-basics", correct=True)
    take_quiz(app, other.client, other, "quiz-basics", correct=False)  # cohort B: not in this report
    with app.app_context():
        cohort_id = get_session().scalar(select(Cohort.id).where(Cohort.name == "Cohort A"))
    trainer = learner(app, "trainer")
    html = trainer.client.get(f"/trainer/cohorts/{cohort_id}/quizzes/quiz-basics").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert re.search(r"Maria Santos #1: 0% , #2: 100% 100% yes", text), text
    assert re.search(r"Rina Akter #1: 100% 100% yes", text)
    assert "Sok Chanthy" not in text
    first = question_section(html, "q-basics-blind")
    assert "Answered by 2 · facility 0.50" in first
    assert "Gender-blind (correct) · chosen 1 time" in first and "Transformative · chosen 1 time" in first
    everything = trainer.client.get(f"/trainer/cohorts/{cohort_id}/quizzes/quiz-basics?attempts=all").get_data(as_text=True)
    all_attempts = question_section(everything, "q-basics-blind")
    assert "Answered by 3 · facility 0.67" in all_attempts
    assert "Gender-blind (correct) · chosen 2 times" in all_attempts


def test_a_learner_cannot_open_the_quiz_report(app):
    with app.app_context():
        cohort_id = get_session().scalar(select(Cohort.id).where(Cohort.name == "Cohort A"))
    assert learner(app, "tsp").client.get(f"/trainer/cohorts/{cohort_id}/quizzes/quiz-basics").status_code == 403


def test_demo_cohort_spans_the_journey_and_keeps_its_rules(app):
    """The demo cohort a newcomer's trainer sees: learners at every stage, every completion earned by the rules."""
    from lms.db.models import Certificate, User
    from lms.learning import progress
    seed_demo(app, 30, "Demo", seed=2)
    with app.app_context():
        session = get_session()
        course = app.extensions["lms.course"]
        users = list(session.scalars(select(User).join(Cohort).where(Cohort.name == "Demo")))
        snaps = progress.snapshots(session, users, course)
        stages = {"core": 0, "refresher": 0, "started": 0, "not started": 0}
        for snap in snaps.values():
            core = progress.completed_on(snap, "unit", "core")
            refresher = progress.completed_on(snap, "unit", "refresher")
            if refresher:
                stages["refresher"] += 1
                assert core and (refresher - core).days >= course.unit("refresher").opens_after_days
                assert snap.report_submitted_at is not None
            elif core:
                stages["core"] += 1
            elif snap.lessons:
                stages["started"] += 1
            else:
                stages["not started"] += 1
            for unit in course.units:
                if ("unit", unit.id) in snap.completions:
                    assert progress.unit_rule_met(course, snap, unit), (snap.user.name, unit.id)
        certificates = session.scalars(select(Certificate).where(Certificate.user_id.in_([u.id for u in users]))).all()
    assert all(stages.values()), stages
    assert len(certificates) == stages["core"] + 2 * stages["refresher"]


def test_learner_page_groups_attempts_by_quiz_and_labels_the_pilot_log(app):
    peer = learner(app, "peer")
    take_quiz(app, peer.client, peer, "quiz-basics", correct=False)
    take_quiz(app, peer.client, peer, "quiz-basics", correct=True)
    peer.post("/learn/pilot/log", {"entry_date": "2026-01-05", "did": "Met the outreach team",
                                   "happened": "Agreed women-only hours", "learned": "Ask women first"}, page="/learn/pilot/log")
    trainer = learner(app, "trainer")
    html = trainer.client.get(f"/trainer/learners/{user_id(app, 'peer')}").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Basics quiz: #1 0% , #2 100% ✓" in text
    assert "What they did: Met the outreach team" in text and "What they learned: Ask women first" in text
