"""What people read: scores rounded, right answers in words, answers broken down per question type."""
from __future__ import annotations

import pytest

from quizzes import QUESTION_TYPES, breakdown, shown_percent, shown_points
from tests.quizzes.test_grading import MATCHING, MULTIPLE, ORDERING, SINGLE, TEXT


@pytest.mark.parametrize("points, shown", [(7.333333, "7.3"), (7.25, "7.3"), (7.0, "7"), (0.05, "0.1"), (0, "0"),
                                           (22 / 3, "7.3"), (None, "–")])
def test_points_show_at_most_one_decimal(points, shown):
    assert shown_points(points) == shown


@pytest.mark.parametrize("percent, shown", [(69.999999, "69"), (70.0, "70"), (200 / 3, "66"), (100.0, "100"), (None, "–")])
def test_percentages_are_whole_and_never_round_up_to_a_pass(percent, shown):
    assert shown_percent(percent) == shown


@pytest.mark.parametrize("question, right", [
    (SINGLE, "Option 0"), (MULTIPLE, "Option 0; Option 1"), (MATCHING, "L1 → R1; L2 → R2; L3 → R3; L4 → R4"),
    (ORDERING, "A → B → C → D"), (TEXT, "“gender-blind” or “gender blind”"),
])
def test_right_answers_in_words(question, right):
    assert QUESTION_TYPES[question.type]().describe_right(question) == right


def test_breakdowns_fit_each_type():
    choices = breakdown(MULTIPLE, [["a", "c"], ["a"], None])
    assert [(r.label, r.count, r.right) for r in choices.rows] == [
        ("Option 0", 2, True), ("Option 1", 0, True), ("Option 2", 1, False), ("Option 3", 0, False), ("(no answer)", 1, None)]
    pairs = breakdown(MATCHING, [{"p1": "p1", "p2": "p3"}, {"p1": "p2"}])
    assert [(r.label, r.count, r.note) for r in pairs.rows][:2] == [
        ("L1 → R1", 1, "chosen instead: R2 (1)"), ("L2 → R2", 0, "chosen instead: R3 (1), nothing (1)")]
    places = breakdown(ORDERING, [["a", "b", "c", "d"], ["b", "a", "c", "d"]])
    assert [(r.label, r.count) for r in places.rows] == [("1. A", 1), ("2. B", 1), ("3. C", 2), ("4. D", 2)]
    typed = breakdown(TEXT, ["Gender blind", "gender blind.", "blind", "  ", None])
    assert [(r.label, r.count, r.right) for r in typed.rows] == [
        ("Gender blind", 2, True), ("blind", 1, False), ("(no answer)", 2, None)]
