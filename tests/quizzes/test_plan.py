"""Attempt plans: fresh opaque tokens for every choice and per-item field, read back to option ids on the server."""
from __future__ import annotations

import random

import pytest
from werkzeug.datastructures import MultiDict

from quizzes import QUESTION_TYPES, AnswerForm, InvalidResponse, PlannedQuestion, build_attempt
from quizzes.plan import TOKEN
from tests.quizzes.test_grading import MATCHING, MULTIPLE, ORDERING, SINGLE, SORTING, TEXT, make_quiz


def planned(question) -> PlannedQuestion:
    return PlannedQuestion(question.id, tuple(o.id for o in question.options)).with_tokens(question)


def read(question, plan: PlannedQuestion, fields: dict):
    kind = QUESTION_TYPES[question.type]()
    return kind.validate(question, kind.response_from_form(question, AnswerForm(MultiDict(fields), question, plan)))


def test_every_choice_and_field_gets_a_fresh_token_unrelated_to_ids():
    quiz = make_quiz()
    first, second = build_attempt(quiz, random.Random(1)), build_attempt(quiz, random.Random(1))
    ids = {o.id for q in quiz.questions for o in q.options} | {pid for q in quiz.questions for pid, _l, _r in q.pairs}
    for a, b in zip(first, second, strict=True):
        question = quiz.question(a.question_id)
        shown = [*a.tokens.values(), *a.slots.values()]
        assert all(TOKEN.match(t) for t in shown) and not set(shown) & ids
        assert len(set(shown)) == len(shown)  # unique within the question
        assert not set(shown) & {*b.tokens.values(), *b.slots.values()}  # two attempts share nothing
        block = QUESTION_TYPES[question.type].block
        assert bool(a.tokens) == (block in ("choices", "pairs")) and bool(a.slots) == (block in ("pairs", "items"))
    assert [p.to_json() for p in first] == [PlannedQuestion.from_json(p.to_json()).to_json() for p in first]


def test_the_form_is_read_back_in_option_ids():
    plan = planned(SINGLE)
    assert read(SINGLE, plan, {"q-q-single": plan.tokens["a"]}) == "a"
    plan = planned(MULTIPLE)
    assert read(MULTIPLE, plan, {"q-q-multiple": [plan.tokens["b"], plan.tokens["a"]]}) == ["a", "b"]
    plan = planned(MATCHING)
    fields = {f"q-q-m-{plan.slots['p1']}": plan.tokens["p2"], f"q-q-m-{plan.slots['p2']}": ""}
    assert read(MATCHING, plan, fields) == {"p1": "p2"}
    plan = planned(SORTING)  # two items share "Quick win": offered once, as a's token
    fields = {f"q-q-s-{plan.slots[p]}": plan.tokens[c] for p, c in (("a", "a"), ("b", "a"), ("c", "c"))}
    assert QUESTION_TYPES["matching"]().grade(SORTING, read(SORTING, plan, fields)) == 1
    plan = planned(ORDERING)
    fields = {f"q-q-o-{plan.slots['b']}": "1", f"q-q-o-{plan.slots['a']}": "2"}
    assert read(ORDERING, plan, fields) == ["b", "a", "c", "d"]  # unplaced items go last
    assert read(TEXT, planned(TEXT), {"q-q-t": " Gender blind "}) == "Gender blind"


@pytest.mark.parametrize("question, fields", [
    (SINGLE, {"q-q-single": "a"}),  # an option id, not this attempt's token
    (MULTIPLE, {"q-q-multiple": ["a"]}),
    (MATCHING, {"q-q-m-p1": "p1"}),  # the pair id as the field name: not a field this attempt offered
    (ORDERING, {"q-q-o-a": "1"}),
])
def test_ids_in_place_of_tokens_are_refused(question, fields):
    with pytest.raises(InvalidResponse):
        read(question, planned(question), fields)


def test_an_attempt_opened_before_tokens_reads_ids_and_is_given_tokens():
    legacy = PlannedQuestion.from_json({"question_id": "q-single", "option_order": ["a", "b", "c"]})
    assert legacy.needs_tokens(SINGLE) and read(SINGLE, legacy, {"q-q-single": "b"}) == "b"
    upgraded = legacy.with_tokens(SINGLE)
    assert not upgraded.needs_tokens(SINGLE) and upgraded.option_order == legacy.option_order
    assert not planned(TEXT).needs_tokens(TEXT)
