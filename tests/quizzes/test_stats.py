"""Item statistics on a small example worked by hand."""
from __future__ import annotations

import math

import pytest

from quizzes import ItemRow, item_statistics


def rows(table):
    """table: attempt -> {question: (score, response)}"""
    return [ItemRow(attempt, attempt, qid, score, response) for attempt, items in table.items()
            for qid, (score, response) in items.items()]


TABLE = {
    1: {"q1": (1, "a"), "q2": (1, ["x", "y"]), "q3": (0, "b")},
    2: {"q1": (1, "a"), "q2": (0, ["x"]), "q3": (0, "b")},
    3: {"q1": (0, "b"), "q2": (0, ["z"]), "q3": (1, "a")},
    4: {"q1": (1, "a"), "q2": (1, ["x", "y"]), "q3": (0, "c")},
}


def test_facility_and_option_counts():
    stats = item_statistics(rows(TABLE))
    assert stats["q1"].facility == 0.75 and stats["q2"].facility == 0.5 and stats["q3"].facility == 0.25
    assert stats["q1"].option_counts == {"a": 3, "b": 1}
    assert stats["q2"].option_counts == {"x": 3, "y": 2, "z": 1}
    assert stats["q1"].n == 4


def test_discrimination_is_the_point_biserial_against_the_rest():
    # q1 scores 1,1,0,1; the rest of each attempt (q2+q3) is 1,0,1,1.
    # means 0.75 and 0.75; deviations (.25,.25,-.75,.25) and (.25,-.75,.25,.25);
    # covariance sum = .0625 - .1875 - .1875 + .0625 = -0.25; each sum of squares = 0.75
    expected = -0.25 / math.sqrt(0.75 * 0.75)
    stats = item_statistics(rows(TABLE))
    assert stats["q1"].discrimination == pytest.approx(expected)
    assert stats["q1"].flag == "check: negative discrimination"
    assert stats["q3"].flag in ("too hard", "check: negative discrimination")


def test_no_variance_and_single_rows_give_no_discrimination():
    same = {1: {"q1": (1, "a"), "q2": (1, "a")}, 2: {"q1": (1, "a"), "q2": (0, "b")}}
    stats = item_statistics(rows(same))
    assert stats["q1"].discrimination is None  # everyone right: no variance
    assert stats["q1"].flag == "too easy"
    assert item_statistics(rows({1: {"q1": (1, "a")}}))["q1"].discrimination is None
