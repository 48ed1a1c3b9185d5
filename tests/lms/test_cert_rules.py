"""Certificate rules: the refresher needs the core first, re-issue keeps the completion date,
a revoked certificate can be restored (with a reason) or re-issued, extra attempts honour the limit."""
from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfReader
from sqlalchemy import select

from lms.db.models import Certificate, CertificateEvent, Cohort, Completion, ExtraAttempt, User
from lms.db.session import get_session
from lms.learning import certs, progress
from tests.conftest import START, Auth, user_id
from tests.lms.quiz_helpers import take_quiz
from tests.lms.test_certificates import certificates_of, earn_core
from tests.lms.test_journey import REPORT


def _cohort_a(app) -> int:
    with app.app_context():
        return get_session().scalar(select(Cohort.id).where(Cohort.name == "Cohort A"))


def _open_refresher_for_cohort(app, on: date) -> None:
    trainer = Auth(app.test_client())
    trainer.login("trainer")
    cohort_id = _cohort_a(app)
    response = trainer.post(f"/trainer/cohorts/{cohort_id}/refresher", {"opens_on": on.isoformat()}, page=f"/trainer/cohorts/{cohort_id}")
    assert response.status_code == 302


def test_a_cohort_date_does_not_open_the_refresher_without_the_core(app, client, auth):
    _open_refresher_for_cohort(app, START.date() - timedelta(days=1))  # the date has passed
    auth.login("tsp")  # has not completed the core training
    page = client.get("/learn/lessons/refresher-reflect")
    assert page.status_code == 403 and "completed the core training" in page.get_data(as_text=True)
    assert client.get("/learn/pilot/report").status_code == 403
    assert client.get("/learn/quizzes/quiz-refresher").status_code == 403
    assert auth.post("/learn/lessons/refresher-reflect/done", page="/learn/").status_code == 403
    assert ("unit", "refresher") not in {(c.scope, c.ref_id) for c in _completions(app)}
    assert certificates_of(app) == []


def test_no_refresher_completion_or_certificate_without_core_even_if_its_work_is_done(app):
    """Records that meet the refresher's own rule (say, from an import) still give nothing without the core."""
    course = app.extensions["lms.course"]
    with app.app_context():
        session = get_session()
        user = session.get(User, user_id(app, "tsp"))
        user.cohort.refresher_opens_on = START.date() - timedelta(days=10)
        snap = progress.snapshot(session, user, course)
        for lesson_id in course.modules["refresher"].lesson_ids:
            from lms.db.models import LessonProgress

            session.add(LessonProgress(user_id=user.id, lesson_id=lesson_id, completed_at=START, content_version="x"))
        session.flush()
        snap = progress.snapshot(session, user, course)
        snap.report_submitted_at = START
        snap.quizzes["quiz-refresher"] = progress.QuizRecord(attempts=1, submitted=1, passed=True, percents=[100.0])
        assert progress.unit_rule_met(course, snap, course.unit("refresher"))
        added = progress.record_completions(session, course, snap, START)
        assert ("unit", "refresher") not in {(c.scope, c.ref_id) for c in added}
        # Even a stored refresher completion without a core one issues no certificate.
        session.add(Completion(user_id=user.id, scope="unit", ref_id="refresher", completed_at=START, content_version="x"))
        session.flush()
        issued = certs.issue_earned(session, course, progress.snapshot(session, user, course), START)
        assert issued == []
        assert session.scalars(select(Certificate)).all() == []


def test_with_the_core_done_the_cohort_date_opens_the_refresher_and_both_certificates_follow(app, client, auth, clock):
    earn_core(app, client, auth)
    _open_refresher_for_cohort(app, START.date() + timedelta(days=30))
    clock.advance(days=30)
    assert client.get("/learn/lessons/refresher-reflect").status_code == 200
    auth.post("/learn/lessons/refresher-reflect/done", page="/learn/lessons/refresher-reflect")
    assert auth.post("/learn/pilot/report", {**REPORT, "action": "submit"}, page="/learn/pilot/report").status_code == 302
    take_quiz(app, client, auth, "quiz-refresher")
    assert sorted(c.kind for c in certificates_of(app)) == ["core", "refresher"]


def _completions(app):
    with app.app_context():
        return get_session().scalars(select(Completion).where(Completion.user_id == user_id(app, "tsp"))).all()


def _pdf_text(client, cert_id: int) -> str:
    response = client.get(f"/certificates/{cert_id}.pdf")
    assert response.status_code == 200
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_reissue_keeps_the_completion_date_on_the_pdf_and_verify_page(app, client, auth, clock):
    cert = earn_core(app, client, auth)
    completed = cert.issued_at.strftime("%-d %B %Y")
    clock.advance(days=45)
    later = clock().strftime("%-d %B %Y")
    admin = Auth(app.test_client())
    admin.login("admin")
    admin.post(f"/admin/certificates/{cert.id}/reissue", {"name": "Rina Akter Chowdhury"}, page="/admin/certificates")
    old, new = certificates_of(app)
    assert new.superseded_by_id is None and old.superseded_by_id == new.id
    assert new.issued_at == clock() and new.completed_at == cert.issued_at
    verify = app.test_client().get(f"/verify/{new.code}").get_data(as_text=True)
    assert completed in verify and later not in verify
    text = _pdf_text(client, new.id)
    assert "Rina Akter Chowdhury" in text
    assert cert.issued_at.strftime("%Y") in text and later not in text
    with app.app_context():
        event = get_session().scalar(select(CertificateEvent).where(CertificateEvent.certificate_id == old.id))
        assert event.action == "reissued" and "Rina Akter Chowdhury" in event.reason


def test_an_admin_restores_a_revoked_certificate_with_a_reason(app, client, auth, clock):
    cert = earn_core(app, client, auth)
    admin = Auth(app.test_client())
    admin.login("admin")
    admin.post(f"/admin/certificates/{cert.id}/revoke", {"reason": "Wrong learner"}, page="/admin/certificates")
    assert certificates_of(app)[0].status == "revoked"
    page = admin.client.get("/admin/certificates").get_data(as_text=True)
    assert "Restore certificate" in page
    refused = admin.post(f"/admin/certificates/{cert.id}/restore", {"reason": " "}, page="/admin/certificates")
    assert refused.status_code == 302 and certificates_of(app)[0].status == "revoked"  # no reason, no change
    clock.advance(days=2)
    admin.post(f"/admin/certificates/{cert.id}/restore", {"reason": "Revoked the wrong certificate"}, page="/admin/certificates")
    restored = certificates_of(app)
    assert len(restored) == 1 and restored[0].status == "valid" and restored[0].code == cert.code
    assert "Valid" in app.test_client().get(f"/verify/{cert.code}").get_data(as_text=True)
    with app.app_context():
        events = get_session().scalars(select(CertificateEvent).where(CertificateEvent.certificate_id == cert.id)
                                       .order_by(CertificateEvent.at)).all()
        assert [(e.action, e.reason, e.actor_id) for e in events] == [
            ("revoked", "Wrong learner", user_id(app, "admin")),
            ("restored", "Revoked the wrong certificate", user_id(app, "admin")),
        ]
    history = admin.client.get("/admin/certificates").get_data(as_text=True)
    assert "Revoked the wrong certificate" in history and "Ada Admin" in history
    # Restoring a valid certificate is refused.
    again = admin.post(f"/admin/certificates/{cert.id}/restore", {"reason": "again"}, page="/admin/certificates")
    assert again.status_code == 302 and len(_events(app, cert.id)) == 2


def _events(app, cert_id: int):
    with app.app_context():
        return get_session().scalars(select(CertificateEvent).where(CertificateEvent.certificate_id == cert_id)).all()


def test_a_revoked_certificate_can_be_reissued(app, client, auth, clock):
    cert = earn_core(app, client, auth)
    admin = Auth(app.test_client())
    admin.login("admin")
    admin.post(f"/admin/certificates/{cert.id}/revoke", {"reason": "Name misspelt"}, page="/admin/certificates")
    clock.advance(days=3)
    admin.post(f"/admin/certificates/{cert.id}/reissue", {"name": "Rina Aktar", "reason": "Spelling"}, page="/admin/certificates")
    old, new = certificates_of(app)
    assert old.status == "superseded" and new.status == "valid" and new.learner_name == "Rina Aktar"
    assert new.completed_on == cert.issued_at.date()
    assert "Valid" in app.test_client().get(f"/verify/{new.code}").get_data(as_text=True)


def _fail_quiz(app, client, auth, quiz_id: str):
    _, response = take_quiz(app, client, auth, quiz_id, correct=False)
    assert response.status_code == 302


def test_an_extra_attempt_lets_the_learner_try_again_once(app, client, auth):
    auth.login("tsp")
    for _ in range(3):  # quiz-basics allows three attempts
        _fail_quiz(app, client, auth, "quiz-basics")
    _refused_to_start(app, auth, attempts_so_far=3)
    trainer = Auth(app.test_client())
    trainer.login("trainer")
    learner = user_id(app, "tsp")
    page = trainer.client.get(f"/trainer/learners/{learner}").get_data(as_text=True)
    assert "Grant one more attempt" in page and "0 left" in page
    no_reason = trainer.post(f"/trainer/learners/{learner}/extra-attempts", {"quiz_id": "quiz-basics", "reason": ""},
                             page=f"/trainer/learners/{learner}")
    assert no_reason.status_code == 302 and _grants(app) == []
    unlimited = trainer.post(f"/trainer/learners/{learner}/extra-attempts", {"quiz_id": "quiz-final", "reason": "x"},
                             page=f"/trainer/learners/{learner}")
    assert unlimited.status_code == 302 and _grants(app) == []  # no limit, nothing to grant
    trainer.post(f"/trainer/learners/{learner}/extra-attempts", {"quiz_id": "quiz-basics", "reason": "Phone died mid-quiz"},
                 page=f"/trainer/learners/{learner}")
    assert [(g.quiz_id, g.reason, g.granted_by_id) for g in _grants(app)] == [("quiz-basics", "Phone died mid-quiz", user_id(app, "trainer"))]
    assert "1 attempt left" in client.get("/learn/quizzes/quiz-basics").get_data(as_text=True)
    _fail_quiz(app, client, auth, "quiz-basics")  # the fourth attempt is allowed
    _refused_to_start(app, auth, attempts_so_far=4)  # and only one
    assert "Phone died mid-quiz" in trainer.client.get(f"/trainer/learners/{learner}").get_data(as_text=True)


def _refused_to_start(app, auth, attempts_so_far: int) -> None:
    response = auth.post("/learn/quizzes/quiz-basics/start", page="/learn/quizzes/quiz-basics")
    assert response.status_code == 302 and response.headers["Location"].endswith("/learn/quizzes/quiz-basics")
    assert "used all 3 attempts" in auth.client.get("/learn/quizzes/quiz-basics").get_data(as_text=True)
    with app.app_context():
        from lms.db.models import QuizAttempt

        assert len(get_session().scalars(select(QuizAttempt).where(QuizAttempt.quiz_id == "quiz-basics")).all()) == attempts_so_far


def test_a_trainer_cannot_grant_attempts_outside_their_cohorts(app):
    trainer = Auth(app.test_client())
    trainer.login("trainer")
    other = user_id(app, "tsp2")  # Cohort B
    response = trainer.post(f"/trainer/learners/{other}/extra-attempts", {"quiz_id": "quiz-basics", "reason": "x"},
                            page="/trainer/")
    assert response.status_code == 404 and _grants(app) == []


def _grants(app):
    with app.app_context():
        return get_session().scalars(select(ExtraAttempt)).all()


def test_migration_gives_existing_certificates_their_completion_date(tmp_path, course_dir, clock):
    """Certificates issued before this change: a replacement takes the date of the one it replaced; nothing is lost."""
    from sqlalchemy import text

    from lms import create_app
    from lms.db.session import upgrade

    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite'}",
                      "COURSE_DIR": str(course_dir), "CLOCK": clock})
    with app.app_context():
        upgrade(app, "0002")
        with app.extensions["lms.engine"].begin() as conn:
            conn.execute(text("INSERT INTO users (id, email, name, role, password_hash, active, created_at) "
                              "VALUES (1, 'a@example.org', 'A', 'tsp', 'x', 1, '2026-01-01 00:00:00')"))
            for cid, issued, key in ((1, "2026-01-10 09:00:00", None), (2, "2026-03-01 10:00:00", None),
                                     (3, "2026-05-01 11:00:00", "1:core")):
                conn.execute(text("INSERT INTO certificates (id, code, user_id, kind, learner_name, course_title, organisation, "
                                  "study_hours, issued_at, content_version, current_key) VALUES "
                                  "(:id, :code, 1, 'core', 'A', 'C', 'O', 2, :issued, 'v', :key)"),
                             {"id": cid, "code": f"CODE{cid}", "issued": issued, "key": key})
            conn.execute(text("INSERT INTO lesson_progress (user_id, lesson_id, first_viewed_at, last_viewed_at, seconds_spent, "
                              "content_version) VALUES (1, 'basics-one', '2026-01-02 00:00:00', '2026-01-02 00:00:00', 60, 'v')"))
            for cid, superseded_by in ((1, 2), (2, 3)):
                conn.execute(text("UPDATE certificates SET superseded_by_id = :s WHERE id = :id"), {"s": superseded_by, "id": cid})
        upgrade(app)
        found = {c.id: c.completed_on for c in get_session().scalars(select(Certificate))}
        from lms.db.models import LessonProgress

        assert len(get_session().scalars(select(LessonProgress)).all()) == 1  # no learner's record lost on the way
    assert found == {1: date(2026, 1, 10), 2: date(2026, 1, 10), 3: date(2026, 1, 10)}
