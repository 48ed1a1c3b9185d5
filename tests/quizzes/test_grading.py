"""Every question type and grading rule, with partial credit and edge cases; attempts; grading methods."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes import (
    QUESTION_TYPES,
    InvalidResponse,
    Option,
    PlannedQuestion,
    Question,
    Quiz,
    QuizSettings,
    build_attempt,
    final_score,
    grade_attempt,
    may_see_review,
)


def choice(qtype: str, marks: str) -> Question:
    options = tuple(Option(chr(97 + i), f"Option {i}", mark == "x", "fb") for i, mark in enumerate(marks))
    return Question(id=f"q-{qtype}", type=qtype, stem="?", options=options)


SINGLE = choice("single", "x..")
MULTIPLE = choice("multiple", "xx..")
TRUEFALSE = Question(id="q-tf", type="truefalse", stem="?", options=(Option("true", "True", False), Option("false", "False", True)))
MATCHING = Question(id="q-m", type="matching", stem="?", pairs=(("p1", "L1", "R1"), ("p2", "L2", "R2"), ("p3", "L3", "R3"), ("p4", "L4", "R4")),
                    options=tuple(Option(p, f"R{i}", True) for i, p in enumerate(("p1", "p2", "p3", "p4"), 1)))
SORTING = Question(id="q-s", type="matching", stem="?",
                   pairs=(("a", "Kits", "Quick win"), ("b", "Register", "Quick win"), ("c", "Policy", "Structural")),
                   options=(Option("a", "Quick win", True), Option("b", "Quick win", True), Option("c", "Structural", True)))
ORDERING = Question(id="q-o", type="ordering", stem="?", options=tuple(Option(i, i.upper(), True) for i in ("a", "b", "c", "d")))
TEXT = Question(id="q-t", type="text", stem="?", accept=("gender-blind", "gender blind"))
ALL = (SINGLE, MULTIPLE, TRUEFALSE, MATCHING, ORDERING, TEXT)


def grade(question: Question, response) -> float:
    kind = QUESTION_TYPES[question.type]()
    return kind.grade(question, kind.validate(question, response))


@pytest.mark.parametrize("question, response, expected", [
    (SINGLE, "a", 1), (SINGLE, "b", 0), (SINGLE, None, 0), (SINGLE, "", 0),
    (TRUEFALSE, "false", 1), (TRUEFALSE, "true", 0),
    # multiple: (right ticks - wrong ticks) / number of right options, never below 0
    (MULTIPLE, ["a", "b"], 1), (MULTIPLE, ["a"], 0.5), (MULTIPLE, ["a", "c"], 0), (MULTIPLE, ["a", "b", "c"], 0.5),
    (MULTIPLE, ["a", "b", "c", "d"], 0), (MULTIPLE, [], 0), (MULTIPLE, None, 0), (MULTIPLE, ["c", "d"], 0),
    (MULTIPLE, ["a", "a"], 0.5),  # a duplicated tick counts once
    (MATCHING, {"p1": "p1", "p2": "p2", "p3": "p3", "p4": "p4"}, 1), (MATCHING, {"p1": "p1", "p2": "p3"}, 0.25),
    (MATCHING, {}, 0), (MATCHING, {"p1": "p2", "p2": "p1", "p3": "p4", "p4": "p3"}, 0),
    # items sharing a right text: the drop-down offers "Quick win" once (as a), so a for b is right
    (SORTING, {"a": "a", "b": "a", "c": "c"}, 1), (SORTING, {"a": "c", "b": "b", "c": "a"}, 1 / 3),
    (ORDERING, ["a", "b", "c", "d"], 1), (ORDERING, ["b", "a", "c", "d"], 0.5), (ORDERING, ["d", "c", "b", "a"], 0),
    (ORDERING, [], 0),
    (TEXT, "gender-blind", 1), (TEXT, "  Gender   Blind. ", 1), (TEXT, "GENDER-BLIND!", 1), (TEXT, "blind", 0), (TEXT, "", 0),
])
def test_grading_rules(question, response, expected):
    assert grade(question, response) == pytest.approx(expected)


@pytest.mark.parametrize("question, response", [
    (SINGLE, "z"), (SINGLE, ["a"]), (TRUEFALSE, "maybe"), (MULTIPLE, ["a", "zz"]), (MULTIPLE, "a"),
    (MATCHING, {"p1": "zz"}), (MATCHING, {"zz": "p1"}), (MATCHING, ["p1"]), (ORDERING, ["a", "a", "b", "c"]),
    (ORDERING, ["a", "zz"]), (TEXT, ["x"]),
])
def test_tampered_responses_are_refused(question, response):
    with pytest.raises(InvalidResponse):
        QUESTION_TYPES[question.type]().validate(question, response)


class Form(dict):
    def getlist(self, key):
        value = self.get(key)
        return value if isinstance(value, list) else ([] if value is None else [value])


def test_responses_from_forms():
    types = QUESTION_TYPES
    assert types["single"]().response_from_form(SINGLE, Form({"q-q-single": "b"})) == "b"
    assert types["single"]().response_from_form(SINGLE, Form()) is None
    assert types["multiple"]().response_from_form(MULTIPLE, Form({"q-q-multiple": ["a", "c"]})) == ["a", "c"]
    assert types["matching"]().response_from_form(MATCHING, Form({"q-q-m-p1": "p2", "q-q-m-p2": ""})) == {"p1": "p2"}
    order = types["ordering"]().response_from_form(ORDERING, Form({"q-q-o-a": "2", "q-q-o-b": "1", "q-q-o-c": "3"}))
    assert order == ["b", "a", "c", "d"]
    with pytest.raises(InvalidResponse):
        types["ordering"]().response_from_form(ORDERING, Form({"q-q-o-a": "first"}))


def make_quiz(**options) -> Quiz:
    return Quiz(id="quiz", title="Quiz", intro="", settings=QuizSettings(pass_mark=60, **options), questions=ALL)


def test_grade_attempt_sums_points_and_passes():
    quiz = make_quiz()
    plan = build_attempt(quiz, random.Random(1))
    result = grade_attempt(quiz, plan, {"q-single": "a", "q-multiple": ["a"], "q-tf": "false", "q-t": "gender blind"})
    assert result.max_score == 6 and result.score == pytest.approx(3.5)
    assert result.percent == pytest.approx(3.5 / 6 * 100) and not result.passed
    assert {i.question_id: i.score for i in result.items}["q-multiple"] == 0.5
    with pytest.raises(InvalidResponse):
        grade_attempt(quiz, plan[:1], {"q-multiple": ["a"]})  # a question not in this attempt


def test_build_attempt_draws_and_is_deterministic():
    quiz = make_quiz(draw=3, shuffle_questions=True)
    first = build_attempt(quiz, random.Random(7))
    assert len(first) == 3 and len({p.question_id for p in first}) == 3
    again = build_attempt(quiz, random.Random(7))
    assert [(p.question_id, p.option_order) for p in again] == [(p.question_id, p.option_order) for p in first]
    draws = {tuple(p.question_id for p in build_attempt(quiz, random.Random(seed))) for seed in range(30)}
    assert len(draws) > 5


def test_options_keep_their_written_order_unless_shuffled():
    quiz = make_quiz(shuffle_options=False)
    plan = {p.question_id: p.option_order for p in build_attempt(quiz, random.Random(3))}
    assert plan["q-multiple"] == ("a", "b", "c", "d")
    orders = {build_attempt(quiz, random.Random(s))[4].option_order for s in range(20)}
    assert len(orders) > 1  # ordering items are always shuffled: their written order is the answer


@pytest.mark.parametrize("method, expected", [("highest", 80), ("latest", 60), ("first", 40), ("average", 60)])
def test_final_score(method, expected):
    assert final_score([40, 80, 60], method) == pytest.approx(expected)
    assert final_score([], method) is None


def test_review_setting():
    assert may_see_review(QuizSettings(review="after_submit"), passed_ever=False)
    assert not may_see_review(QuizSettings(review="after_pass"), passed_ever=False)
    assert may_see_review(QuizSettings(review="after_pass"), passed_ever=True)
    assert not may_see_review(QuizSettings(review="never"), passed_ever=True)


# --- properties -------------------------------------------------------------------------------

ids = st.sampled_from(["a", "b", "c", "d", "p1", "p2", "p3", "p4", "true", "false", "zz"])
responses = st.one_of(st.none(), st.text(max_size=20), ids, st.lists(ids, max_size=6),
                      st.dictionaries(ids, ids, max_size=5))


@given(question=st.sampled_from(ALL + (SORTING,)), response=responses)
@settings(max_examples=400, deadline=None)
def test_score_stays_within_bounds(question, response):
    kind = QUESTION_TYPES[question.type]()
    try:
        value = kind.validate(question, response)
    except InvalidResponse:
        return
    assert 0.0 <= kind.grade(question, value) <= 1.0


answers = st.fixed_dictionaries({
    "q-single": st.sampled_from(["a", "b", "c", None]),
    "q-multiple": st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True),
    "q-tf": st.sampled_from(["true", "false", None]),
    "q-m": st.dictionaries(st.sampled_from(["p1", "p2", "p3", "p4"]), st.sampled_from(["p1", "p2", "p3", "p4"])),
    "q-o": st.permutations(["a", "b", "c", "d"]),
    "q-t": st.text(max_size=15),
})


@given(answers=answers, seed_a=st.integers(0, 10_000), seed_b=st.integers(0, 10_000))
@settings(max_examples=200, deadline=None)
def test_shuffling_never_changes_the_score(answers, seed_a, seed_b):
    quiz = make_quiz(shuffle_questions=True, shuffle_options=True)
    one = grade_attempt(quiz, build_attempt(quiz, random.Random(seed_a)), answers)
    two = grade_attempt(quiz, build_attempt(quiz, random.Random(seed_b)), answers)
    assert one.score == two.score and 0 <= one.score <= one.max_score
    assert [p.question_id for p in [PlannedQuestion(i.question_id) for i in one.items]]  # every item graded
