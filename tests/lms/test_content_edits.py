"""Editing the course (rewording a lesson, adding a question or a lesson) keeps every existing completion."""
from __future__ import annotations

from sqlalchemy import select

from lms.db.models import Completion, LessonProgress
from lms.db.session import get_session
from tests.conftest import Auth, user_id
from tests.lms.test_journey import complete_core

NEW_QUESTION = """
## Question: q-basics-new
type: truefalse

Gender can change over time.

- [x] True {#true}
  > Right.
- [ ] False {#false}
  > No.
"""


def test_editing_the_course_keeps_every_completion(app, make_app, course_dir, client, auth):
    auth.login()
    complete_core(app, client, auth)
    old_version = app.extensions["lms.course"].full_version
    with app.app_context():
        before = {(c.scope, c.ref_id): c.content_version for c in get_session().scalars(
            select(Completion).where(Completion.user_id == user_id(app, "tsp")))}
    assert ("unit", "core") in before and ("module", "basics") in before

    # Reword a lesson, add a question to the module quiz and a new lesson to the module.
    one = course_dir / "modules/basics/one.md"
    one.write_text(one.read_text().replace("Sex is biological", "Sex is about biology"))
    quiz = course_dir / "modules/basics/quiz.md"
    quiz.write_text(quiz.read_text() + NEW_QUESTION)
    (course_dir / "modules/basics/three.md").write_text("---\nid: basics-three\ntitle: New lesson\n---\n\nNew.\n")
    module = course_dir / "modules/basics/module.md"
    module.write_text(module.read_text().replace("  - two.md\n", "  - two.md\n  - three.md\n"))

    edited = make_app(course_dir)
    assert edited.extensions["lms.course"].full_version != old_version
    c2 = edited.test_client()
    Auth(c2).login()
    dashboard = c2.get("/learn/").get_data(as_text=True)
    assert "not attempted" not in dashboard.split("Pilot period")[0]  # nothing in the core moved backwards
    with edited.app_context():
        after = {(c.scope, c.ref_id): c.content_version for c in get_session().scalars(
            select(Completion).where(Completion.user_id == user_id(edited, "tsp")))}
        lessons = get_session().scalars(select(LessonProgress).where(LessonProgress.user_id == user_id(edited, "tsp"))).all()
    assert after == before  # same completions, each still with the version it was earned on
    assert all(p.content_version == old_version for p in lessons)
