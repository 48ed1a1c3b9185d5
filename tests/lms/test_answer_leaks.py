"""Nothing in the page of an open attempt lets a program pick the right answer better than chance.

For every question type (a fixture quiz with all of them) and for every quiz of the shipped course
(loaded with load_course, each attempt started through the app by a TSP), the attempt page is parsed:
the form controls of right options must be indistinguishable from those of wrong ones, no option or
pair id may appear in a control's name or value, nothing may mark the key or carry feedback or
accepted answers, and two attempts at the same quiz must share no option value.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from lms.content.loader import load_course
from lms.db.models import Cohort, User
from lms.db.session import get_session
from lms.learning.accounts import create_user
from quizzes.plan import TOKEN
from tests.conftest import PASSWORD, SHIPPED_COURSE, Auth
from tests.helpers import course_of, database, finish_core
from tests.helpers import key as signing_key_of
from tests.lms.quiz_helpers import answers, plan_of, start_attempt

CONTROLS = {"input", "select", "option", "textarea", "label", "button", "fieldset", "legend"}
MARKS = re.compile(r"correct|right|wrong|feedback|accept|answer-key|solution|✓|✗", re.IGNORECASE)


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]
    question: str | None
    text: str = ""


class Page(HTMLParser):
    """The form controls of an attempt page, each with the question section it sits in."""

    def __init__(self):
        super().__init__()
        self.controls: list[Control] = []
        self._question: str | None = None
        self._open: list[Control] = []

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "section" and attributes.get("class") == "question":
            self._question = attributes.get("aria-labelledby", "").removeprefix("h-")
        if tag in CONTROLS:
            control = Control(tag, attributes, self._question)
            self.controls.append(control)
            if tag in ("option", "label"):
                self._open.append(control)

    def handle_endtag(self, tag):
        if tag in ("option", "label") and self._open:
            self._open.pop()
        if tag == "section":
            self._question = None

    def handle_data(self, data):
        for control in self._open:
            control.text += data

    def of(self, question_id: str, *tags: str) -> list[Control]:
        return [c for c in self.controls if c.question == question_id and c.tag in tags]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def field_suffix(name: str, question_id: str) -> str | None:
    prefix = f"q-{question_id}-"
    return name[len(prefix):] if name.startswith(prefix) else None


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def assert_no_answer_information(html: str, content, shown: list[str]) -> Page:
    """Every check a program could use to tell a right option from a wrong one, on one attempt page."""
    page = parse(html)
    quiz = content.quiz
    ids = {o.id for q in quiz.questions for o in q.options} | {p for q in quiz.questions for p, _l, _r in q.pairs}
    text = plain(html)
    for control in page.controls:
        for name, value in control.attrs.items():
            assert not MARKS.search(name) and not MARKS.search(value), (control, "marks the key")
        assert "checked" not in control.attrs and "selected" not in control.attrs, control  # nothing pre-chosen
    for qid in shown:
        question = quiz.question(qid)
        inputs = page.of(qid, "input", "select", "textarea")
        assert inputs, f"{qid} has no form controls"
        for control in inputs:
            name = control.attrs["name"]
            assert name == f"q-{qid}" or field_suffix(name, qid), name
            suffix = field_suffix(name, qid)
            assert suffix is None or (TOKEN.match(suffix) and suffix not in ids), f"{name}: a per-item field named by an id"
            assert control.attrs.get("id", name) == name
        if question.type in ("single", "truefalse", "multiple"):
            # Right and wrong options: the same attributes, values of one shape, none an option id.
            assert len(inputs) == len(question.options)
            assert len({tuple(sorted(c.attrs)) for c in inputs}) == 1
            assert all(TOKEN.match(c.attrs["value"]) and c.attrs["value"] not in ids for c in inputs)
            assert len({c.attrs["value"] for c in inputs}) == len(inputs)
        elif question.type == "matching":
            offered = [tuple((o.attrs["value"], o.text) for o in options_in(page, c)) for c in inputs]
            assert len(set(offered)) == 1, "every drop-down offers the same choices, in the same order"
            assert all(value == "" or (TOKEN.match(value) and value not in ids) for value, _text in offered[0])
        elif question.type == "ordering":
            offered = {tuple(o.attrs["value"] for o in options_in(page, c)) for c in inputs}
            assert offered == {("", *map(str, range(1, len(question.options) + 1)))}
        elif question.type == "text":
            assert [c.attrs.get("value", "") for c in inputs] == [""]
        for accepted in question.accept:  # typed answers: in no attribute, and shown only if the stem itself says it
            assert not any(accepted.casefold() == v.casefold() for c in page.controls for v in c.attrs.values())
        for key in [f"feedback:{qid}", *(f"option-feedback:{qid}:{o.id}" for o in question.options)]:
            feedback = plain(content.html.get(key, ""))
            stem = plain(content.html[f"stem:{qid}"])
            if len(feedback) >= 15:  # "Yes." or "No." could be anywhere and says nothing
                assert feedback in stem or feedback not in text, f"{key} is on the page"
    return page


def options_in(page: Page, select: Control) -> list[Control]:
    """The <option>s following a <select> up to the next control that is not an option."""
    index = page.controls.index(select)
    found = []
    for control in page.controls[index + 1:]:
        if control.tag != "option":
            break
        found.append(control)
    return found


def choice_values(page: Page) -> set[str]:
    return {c.attrs["value"] for c in page.controls if c.tag in ("input", "option")
            and c.attrs.get("value") and TOKEN.match(c.attrs["value"])}


def shown_on(page: Page) -> list[str]:
    return list(dict.fromkeys(c.question for c in page.controls if c.question))


EVERY_TYPE = """
## Question: q-basics-tf
type: truefalse

Women-only hours are a quick win.

- [x] True {#true}
  > Right: they cost little.
- [ ] False {#false}
  > They cost little and help at once.

## Question: q-basics-match
type: matching

Match each change to its kind.

- Women-only hours => Quick win {#hours}
- A female outreach worker => Quick win {#worker}
- A confidentiality policy => Structural change {#policy}
- A budget line for childcare => Funding {#budget}

> Quick wins cost little; structural changes alter how the service runs.

## Question: q-basics-order
type: ordering

Put the steps of technical support in order.

1. Agree the request {#agree}
2. Assess {#assess}
3. Plan {#plan}

> Agree what is asked, find out what is there, then plan.

## Question: q-basics-word
type: text
accept: ["gender-blind", "gender blind"]

What is a programme that ignores gender called?

> It is called gender-blind.
"""


@pytest.fixture
def every_type(make_app, course_dir):
    path = course_dir / "modules/basics/quiz.md"
    path.write_text(path.read_text() + EVERY_TYPE)
    return make_app(course_dir)


def test_no_answer_information_for_any_question_type(every_type):
    app = every_type
    content = app.extensions["lms.course"].quizzes["quiz-basics"]
    assert {q.type for q in content.quiz.questions} == {"single", "multiple", "truefalse", "matching", "ordering", "text"}
    pages = []
    for who in ("tsp", "peer"):  # two learners, and the first learner's second attempt
        client = app.test_client()
        auth = Auth(client)
        auth.login(who)
        attempt_id = start_attempt(client, auth, "quiz-basics")
        pages.append(assert_no_answer_information(client.get(f"/learn/attempts/{attempt_id}").get_data(as_text=True),
                                                  content, [q.id for q in content.quiz.questions]))
        if who == "tsp":
            auth.post(f"/learn/attempts/{attempt_id}", {"action": "submit"}, page=f"/learn/attempts/{attempt_id}")
            attempt_id = start_attempt(client, auth, "quiz-basics")
            html = client.get(f"/learn/attempts/{attempt_id}").get_data(as_text=True)
            pages.append(assert_no_answer_information(html, content, [q.id for q in content.quiz.questions]))
    for first, second in ((0, 1), (0, 2), (1, 2)):
        assert not choice_values(pages[first]) & choice_values(pages[second]), "two attempts share option values"


def test_saved_answers_of_every_type_come_back_after_a_reload(every_type):
    app = every_type
    client = app.test_client()
    auth = Auth(client)
    auth.login()
    attempt_id = start_attempt(client, auth, "quiz-basics")
    data = answers(app, client, attempt_id, "quiz-basics")
    auth.post(f"/learn/attempts/{attempt_id}", {"action": "save", **data}, page=f"/learn/attempts/{attempt_id}")
    page = parse(client.get(f"/learn/attempts/{attempt_id}").get_data(as_text=True))
    chosen: dict[str, list[str]] = defaultdict(list)
    current = None
    for control in page.controls:
        if control.tag in ("input", "select", "textarea"):
            current = control.attrs["name"]
        if control.tag == "input" and control.attrs.get("type") == "text":
            chosen[current].append(control.attrs.get("value", ""))
        elif "checked" in control.attrs or "selected" in control.attrs:
            chosen[current].append(control.attrs["value"])
    expected = {name: value if isinstance(value, list) else [value] for name, value in data.items()}
    assert {k: sorted(v) for k, v in chosen.items()} == {k: sorted(v) for k, v in expected.items()}
    auth.post(f"/learn/attempts/{attempt_id}", {"action": "submit", **data}, page=f"/learn/attempts/{attempt_id}")
    with app.app_context():
        from lms.db.models import QuizAttempt

        assert get_session().get(QuizAttempt, attempt_id).percent == 100


def test_no_answer_information_in_any_quiz_of_the_shipped_course(make_app):
    course = load_course(SHIPPED_COURSE)
    app = make_app(SHIPPED_COURSE)
    with app.app_context():
        session = get_session()
        for cohort in session.scalars(select(Cohort)):
            cohort.refresher_opens_on = date(2025, 1, 1)  # every unit open, the refresher quiz included
        for n in range(12):
            create_user(session, f"learner{n}@example.org", f"Learner {n}", "tsp", PASSWORD, "Cohort A")
        session.commit()
    learners = [f"learner{n}@example.org" for n in range(12)]
    clients = {}
    for n, email in enumerate(learners):
        clients[email] = Auth(app.test_client())
        clients[email].client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n + 1}"  # as many phones: no login rate limit
        login = clients[email].post("/login", {"email": email, "password": PASSWORD}, page="/login")
        assert login.status_code == 302
    refresher_quiz = course.unit("refresher").quiz_id
    for quiz_id, content in course.quizzes.items():
        assert app.extensions["lms.course"].quizzes[quiz_id].quiz == content.quiz
        if quiz_id == refresher_quiz:  # the refresher opens only after the core training
            with database(app) as session:
                for email in learners:
                    finish_core(session, course_of(app), session.scalar(select(User).where(User.email == email)), signing_key_of(app))
        seen: set[str] = set()
        values: list[set[str]] = []
        # Drawn pools need several attempts before every question has been shown: each learner sits the
        # quiz up to three times (submitting blank answers), which shows a pool of 40 drawn 20 at a time
        # about 36 times over.
        for who, _sitting in ((who, sitting) for who in learners for sitting in range(3)):
            auth = clients[who]
            attempt_id = start_attempt(auth.client, auth, quiz_id)
            url = f"/learn/attempts/{attempt_id}"
            html = auth.client.get(url).get_data(as_text=True)
            shown = list(plan_of(app, attempt_id))
            page = assert_no_answer_information(html, content, shown)
            assert shown_on(page) == shown
            values.append(choice_values(page))
            seen.update(shown)
            if len(values) >= 2 and seen == {q.id for q in content.quiz.questions}:
                break
            assert auth.post(url, {"action": "submit"}, page=url).status_code == 302
        assert seen == {q.id for q in content.quiz.questions}, f"{quiz_id}: some questions never shown"
        assert not values[0] & values[1], f"{quiz_id}: two attempts share option values"
