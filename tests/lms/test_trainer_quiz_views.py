"""What trainers read about quizzes: each attempt in words, and a breakdown of answers for every question type.

Scores show as people read them: points to one decimal, whole percentages.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.db.models import Cohort
from lms.db.session import get_session
from tests.conftest import Auth
from tests.lms.quiz_helpers import plan_of, start_attempt
from tests.lms.test_answer_leaks import EVERY_TYPE


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def signed_in(app, who: str) -> Auth:
    auth = Auth(app.test_client())
    auth.login(who)
    return auth


def sit(app, auth: Auth, choose: dict) -> int:
    """One attempt at the every-type quiz, answered by option ids (mapped to this attempt's tokens), submitted."""
    attempt_id = start_attempt(auth.client, auth, "quiz-basics")
    plan = plan_of(app, attempt_id)
    form: dict[str, object] = {"action": "submit"}
    for qid, answer in choose.items():
        planned = plan[qid]
        if isinstance(answer, dict) and planned.tokens:  # matching: pair id -> option id
            form.update({f"q-{qid}-{planned.slots[p]}": planned.tokens[o] for p, o in answer.items()})
        elif isinstance(answer, dict):  # ordering: item id -> place
            form.update({f"q-{qid}-{planned.slots[i]}": str(place) for i, place in answer.items()})
        elif isinstance(answer, list):
            form[f"q-{qid}"] = [planned.tokens[o] for o in answer]
        else:
            form[f"q-{qid}"] = planned.tokens.get(answer, answer)
    response = auth.post(f"/learn/attempts/{attempt_id}", form, page=f"/learn/attempts/{attempt_id}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return attempt_id


RINA = {  # 1 + 0.5 + 1 + 0.75 + 1/3 + 1 = 4.58 of 6 points, 76.4%
    "q-basics-blind": "blind",
    "q-basics-partners": ["condoms"],
    "q-basics-tf": "true",
    "q-basics-match": {"hours": "hours", "worker": "hours", "policy": "budget", "budget": "budget"},
    "q-basics-order": {"assess": 1, "agree": 2, "plan": 3},
    "q-basics-word": "Gender blind.",
}
MARIA = {
    "q-basics-blind": "transformative",
    "q-basics-partners": ["condoms", "iec", "detention"],
    "q-basics-tf": "false",
    "q-basics-match": {"hours": "hours", "worker": "policy", "policy": "policy"},
    "q-basics-order": {"agree": 1, "assess": 2, "plan": 3},
    "q-basics-word": "gender blind",
}


@pytest.fixture
def every_type(make_app, course_dir):
    path = course_dir / "modules/basics/quiz.md"
    path.write_text(path.read_text() + EVERY_TYPE)
    return make_app(course_dir)


def test_scores_are_rounded_for_people(every_type):
    app = every_type
    tsp = signed_in(app, "tsp")
    attempt_id = sit(app, tsp, RINA)
    review = text_of(tsp.client.get(f"/learn/reviews/{attempt_id}").get_data(as_text=True))
    assert "Your result: 76%" in review and "4.6 of 6 points" in review
    assert "partly right (0.8 of 1 point)" in review and "partly right (0.3 of 1 point)" in review
    assert not re.search(r"\d\.\d\d", review), "no score with two decimals or more"
    start = text_of(tsp.client.get("/learn/quizzes/quiz-basics").get_data(as_text=True))
    assert "76%" in start and "Score that counts: 76%" in start


def test_trainer_reads_an_attempt_question_by_question_in_words(every_type):
    app = every_type
    attempt_id = sit(app, signed_in(app, "tsp"), RINA)
    html = signed_in(app, "trainer").client.get(f"/trainer/attempts/{attempt_id}").get_data(as_text=True)
    page = text_of(html)
    assert "76% (passed), 4.6 of 6 points" in page
    card = r'<section class="card" aria-labelledby="h-([a-z0-9-]+)">.*?</section>'
    sections = {m.group(1): text_of(m.group(0)) for m in re.finditer(card, html, re.S)}
    assert len(sections) == 6
    match = sections["q-basics-match"]
    assert "Match each change to its kind." in match  # the question's text, not only its id
    assert ("Answer given Women-only hours → Quick win; A female outreach worker → Quick win; "
            "A confidentiality policy → Funding; A budget line for childcare → Funding") in match
    assert ("Right answer Women-only hours → Quick win; A female outreach worker → Quick win; "
            "A confidentiality policy → Structural change; A budget line for childcare → Funding") in match
    assert "Points 0.8 of 1" in match and "Quick wins cost little" in match
    order = sections["q-basics-order"]
    assert "Answer given Assess → Agree the request → Plan" in order and "Right answer Agree the request → Assess → Plan" in order
    assert "Points 0.3 of 1" in order
    partners = sections["q-basics-partners"]
    assert "Answer given Condoms for partners" in partners
    assert "Right answer Condoms for partners; Information for partners" in partners and "Points 0.5 of 1" in partners
    assert "Feedback Yes." in partners  # the feedback of the option chosen
    word = sections["q-basics-word"]
    assert "Answer given Gender blind." in word and "Right answer “gender-blind” or “gender blind”" in word
    assert "Points 1 of 1" in word and "It is called gender-blind." in word


def test_quiz_report_breaks_down_answers_for_every_type(every_type):
    app = every_type
    sit(app, signed_in(app, "tsp"), RINA)
    sit(app, signed_in(app, "peer"), MARIA)
    with app.app_context():
        cohort_id = get_session().scalar(select(Cohort.id).where(Cohort.name == "Cohort A"))
    html = signed_in(app, "trainer").client.get(f"/trainer/cohorts/{cohort_id}/quizzes/quiz-basics").get_data(as_text=True)
    cards = {m.group(1): text_of(m.group(0)) for m in re.finditer(r'<section class="card">\s*<h3>([a-z0-9-]+).*?</section>', html, re.S)}
    partners = cards["q-basics-partners"]
    assert "Condoms for partners (correct) · chosen 2 times" in partners
    assert "Information for partners (correct) · chosen 1 time" in partners
    assert "Compulsory detention · chosen 1 time" in partners and "Mandatory HIV tests for partners · chosen 0 times" in partners
    assert "False (correct) · chosen 0 times" not in cards["q-basics-tf"] and "True (correct) · chosen 1 time" in cards["q-basics-tf"]
    match = cards["q-basics-match"]
    assert "Women-only hours → Quick win (correct) · matched right 2 times" in match
    assert "A female outreach worker → Quick win (correct) · matched right 1 time · chosen instead: Structural change (1)" in match
    assert "A budget line for childcare → Funding (correct) · matched right 1 time · chosen instead: nothing (1)" in match
    order = cards["q-basics-order"]
    assert "1. Agree the request (correct) · put in this place 1 time · placed here instead: Assess (1)" in order
    assert "3. Plan (correct) · put in this place 2 times" in order
    word = cards["q-basics-word"]
    assert "Gender blind. (correct) · typed 2 times · gender blind" in word  # one answer, two spellings
