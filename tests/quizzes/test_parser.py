"""The Markdown quiz format: the guide's example parses; every problem is reported with its line."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizzes import QuizParseError, parse_quiz

GUIDE = Path(__file__).resolve().parents[2] / "course" / "README.md"

BASE = """---
id: quiz-x
title: X
pass_mark: 70
---

## Case: c1

A case.

## Question: q1
type: single
case: c1

Stem?

- [x] Right {#a}
  > Because.
- [ ] Wrong {#b}
  > Because not.
"""


def guide_example() -> str:
    text = GUIDE.read_text()
    return re.search(r"```markdown\n(---\nid: quiz-.*?)```", text, re.S).group(1)


def test_the_guides_example_parses():
    # The guide's example has one question, so its `draw: 10` is the one line that cannot stand alone.
    quiz = parse_quiz(guide_example().replace("draw: 10 ", "# draw: 10 "))
    assert quiz.settings.pass_mark == 70 and quiz.settings.attempts == 3 and quiz.settings.time_limit_minutes == 20
    question = quiz.questions[0]
    assert question.type == "single" and question.case_id == "rina-dhaka"
    assert [o.id for o in question.options] == ["blind", "accommodating"]
    assert question.options[0].correct and not question.options[1].correct
    assert question.options[0].feedback.startswith("Right. Treating everyone the same")
    assert question.feedback == "Optional general feedback, shown with the result."


def test_every_type_parses():
    text = BASE + """
## Question: q2
type: multiple
points: 2

Pick.

- [x] A {#a}
- [x] B {#b}
- [ ] C {#c}

> General.

## Question: q3
type: truefalse

True?

- [x] True {#true}
  > Yes.
- [ ] False {#false}
  > No.

## Question: q4
type: matching

Match.

- Left one => Right one {#one}
- Left two => Right two {#two}

> Feedback.

## Question: q5
type: ordering

Order.

1. First {#first}
2. Second {#second}

> Feedback.

## Question: q6
type: text
accept: ["gender-blind", "gender blind"]

Name it.

> It is gender-blind.
"""
    quiz = parse_quiz(text)
    by_id = {q.id: q for q in quiz.questions}
    assert by_id["q2"].points == 2 and by_id["q2"].feedback == "General."
    assert by_id["q4"].pairs == (("one", "Left one", "Right one"), ("two", "Left two", "Right two"))
    assert [o.id for o in by_id["q5"].options] == ["first", "second"]
    assert by_id["q6"].accept == ("gender-blind", "gender blind") and by_id["q6"].stem == "Name it."
    assert by_id["q6"].feedback == "It is gender-blind."


@pytest.mark.parametrize("old, new, line, message", [
    ("pass_mark: 70", "pass_mark: 0", 4, "pass_mark must be a whole percentage"),
    ("pass_mark: 70", "pass_mark: 70\nattempts: none", 5, "attempts must be a number"),
    ("pass_mark: 70", "pass_mark: 70\ncolour: red", 5, "unknown setting 'colour'"),
    ("pass_mark: 70", "pass_mark: 70\ndraw: 5", 5, "draw is 5 but the quiz has only 1"),
    ("pass_mark: 70", "pass_mark: 70\nreview: sometimes", 5, "review must be one of"),
    ("id: quiz-x", "id: Quiz X", 2, "the quiz needs an `id:` slug"),
    ("type: single", "type: essay", 11, "`type:` must be one of"),
    ("case: c1", "case: c9", 11, "case 'c9' is not defined"),
    ("- [x] Right {#a}", "- [ ] Right {#a}", 11, "exactly one [x] option (found 0)"),
    ("- [ ] Wrong {#b}", "- [x] Wrong {#b}", 11, "exactly one [x] option (found 2)"),
    ("- [ ] Wrong {#b}", "- [ ] Wrong {#a}", 11, "option id 'a' is used twice"),
    ("- [ ] Wrong {#b}\n  > Because not.", "- [ ] Wrong {#b}", 11, "needs feedback"),
    ("  > Because.\n", "  > Because.\nStray words\n", 19, "unexpected text among the answers"),
    ("## Question: q1", "## Question: Q1", 11, "must be a slug"),
    ("## Question: q1", "## Question: q 1", 11, "must be `## Question: id` or `## Case: id`"),
    ("## Case: c1", "## Notes", 7, "must be `## Question: id` or `## Case: id`"),
    ("---\nid", "id", 1, "a quiz starts with front matter"),
    ("title: X", "title: X: Y", 3, "front matter: invalid YAML"),
])
def test_problems_name_their_line(old, new, line, message):
    assert old in BASE
    with pytest.raises(QuizParseError) as info:
        parse_quiz(BASE.replace(old, new, 1))
    found = [(p.line, p.message) for p in info.value.problems]
    assert any(at == line and message in m for at, m in found), found


def test_duplicate_question_ids_and_missing_types_are_all_reported_at_once():
    text = BASE + "\n## Question: q1\ntype: single\n\nAgain?\n\n- [x] A {#a}\n  > a\n- [ ] B {#b}\n  > b\n"
    text += "\n## Question: q2\n\nNo type.\n\n- [x] A {#a}\n"
    with pytest.raises(QuizParseError) as info:
        parse_quiz(text)
    messages = [p.message for p in info.value.problems]
    assert any("id 'q1' is used twice" in m for m in messages)
    assert any("question q2: `type:` must be one of" in m for m in messages)


def test_matching_text_and_ordering_need_their_parts():
    for body, message in (
        ("type: matching\n\nM.\n\n- A => B {#ab}\n\n> f\n", "at least two `left => right`"),
        ("type: ordering\n\nO.\n\n1. A {#a}\n\n> f\n", "at least two `1. item {#id}`"),
        ("type: text\n\nT.\n\n> f\n", "needs `accept:"),
    ):
        with pytest.raises(QuizParseError) as info:
            parse_quiz(BASE + f"\n## Question: q9\n{body}")
        assert any(message in p.message for p in info.value.problems), info.value.problems


def test_a_stem_may_contain_lists_and_quotes():
    text = BASE.replace("Stem?", "Read this:\n\n- a bullet\n1. a numbered line\n\n> a quotation\n\nStem?")
    question = parse_quiz(text).questions[0]
    assert "a bullet" in question.stem and "a quotation" in question.stem
    assert [o.id for o in question.options] == ["a", "b"]
