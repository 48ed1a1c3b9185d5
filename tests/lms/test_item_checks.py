"""Item-writing checks in `lms check-course`: each cue is a warning at its file and line; a good course stays quiet."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from lms.cli import cli
from lms.content.loader import check_course

QUIZ = "modules/basics/quiz.md"
FRONT = """---
id: quiz-basics
title: Basics quiz
pass_mark: 60
---

"""


def single(qid: str, right: str, wrong: tuple[str, ...], stem: str = "Which one?") -> str:
    options = "\n".join([f"- [x] {right} {{#right}}"] + [f"- [ ] {text} {{#w{i}}}" for i, text in enumerate(wrong)])
    return f"## Question: {qid}\ntype: single\n\n{stem}\n\n{options}\n\n> Because.\n\n"


def multiple(qid: str, right: int, wrong: int) -> str:
    options = [f"- [x] Right {i} {{#r{i}}}" for i in range(right)] + [f"- [ ] Wrong {i} {{#w{i}}}" for i in range(wrong)]
    return f"## Question: {qid}\ntype: multiple\n\nWhich apply?\n\n" + "\n".join(options) + "\n\n> Because.\n\n"


def matching(qid: str, pairs: int) -> str:
    lines = [f"- Left {i} => Right {i} {{#p{i}}}" for i in range(pairs)]
    return f"## Question: {qid}\ntype: matching\n\nMatch them.\n\n" + "\n".join(lines) + "\n\n> Because.\n\n"


def warnings_for(course_dir: Path, body: str) -> list[str]:
    (course_dir / QUIZ).write_text(FRONT + body)
    course, problems = check_course(course_dir)
    assert course is not None, [p.format() for p in problems]
    return [p.format() for p in problems if p.severity == "warning"]


def line_of(course_dir: Path, text: str) -> int:
    lines = (course_dir / QUIZ).read_text().splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


EVEN = ("Short one", "Another short")  # wrong options as long as a short right one


def test_right_option_longest_in_more_than_a_quarter_of_single_choice_questions(course_dir):
    body = (single("q-a", "A much longer right answer here", EVEN) + single("q-b", "Another long right answer", EVEN)
            + single("q-c", "Short", ("Longer wrong one", "Wrong again")) + single("q-d", "Tiny", ("Big wrong option", "Yes")))
    found = warnings_for(course_dir, body)
    assert found == [
        f"{QUIZ}:{line_of(course_dir, 'q-a')}: warning: question q-a: the right option is the longest, as in 2 of the "
        "quiz's 4 single-choice questions (at most 25% may be): balance the option lengths",
        f"{QUIZ}:{line_of(course_dir, 'q-b')}: warning: question q-b: the right option is the longest, as in 2 of the "
        "quiz's 4 single-choice questions (at most 25% may be): balance the option lengths",
    ]


@pytest.mark.parametrize("body", [
    # one in four (a quarter, not more) is what chance gives with four options
    single("q-a", "A much longer right answer here", EVEN) + single("q-b", "Short", ("Longer wrong one",))
    + single("q-c", "Short", ("Longer wrong one",)) + single("q-d", "Same size", ("Same size",)),
    # fewer than four single-choice questions: too few to tell a habit from chance
    "".join(single(f"q-{c}", "A much longer right answer here", EVEN) for c in "abc"),
])
def test_longest_right_option_check_is_quiet_within_its_threshold(course_dir, body):
    assert warnings_for(course_dir, body) == []


def test_ticking_every_box_must_not_earn_more_than_a_quarter(course_dir):
    found = warnings_for(course_dir, multiple("q-lax", 3, 2) + multiple("q-fair", 2, 2) + multiple("q-strict", 3, 3))
    assert found == [f"{QUIZ}:{line_of(course_dir, 'q-lax')}: warning: question q-lax: ticking every option earns 33% "
                     "of its credit (at most 25%): add plausible wrong options or mark fewer right"]


def test_matching_needs_three_pairs(course_dir):
    found = warnings_for(course_dir, matching("q-two", 2) + matching("q-three", 3))
    assert found == [f"{QUIZ}:{line_of(course_dir, 'q-two')}: warning: question q-two: a matching question needs "
                     "at least 3 pairs (it has 2), or guessing pays"]


@pytest.mark.parametrize("text", ["All of the above", "none of the above.", "All the above"])
def test_all_or_none_of_the_above_is_flagged_at_its_line(course_dir, text):
    found = warnings_for(course_dir, single("q-a", "Decline", ("Hand it over", text)))
    assert found == [f"{QUIZ}:{line_of(course_dir, text)}: warning: question q-a: avoid “{text.rstrip('.')}” "
                     "as an option: write each choice out"]


def test_final_assessment_stem_that_repeats_a_module_stem(course_dir):
    # The fixture's final assessment asks "Police ask for the list of female clients. What do you do?"
    repeat = single("q-police", "Decline", ("Hand it over",), stem="The police ask for a list of female clients: what do you do?")
    fresh = single("q-fresh", "Decline", ("Hand it over",), stem="A donor wants client names for a report. Your answer?")
    found = warnings_for(course_dir, repeat + fresh)
    final_line = next(i for i, line in enumerate((course_dir / "quizzes/final.md").read_text().splitlines(), 1)
                      if "q-final-police" in line)
    assert len(found) == 1 and found[0].startswith(f"quizzes/final.md:{final_line}: warning: question q-final-police: "
                                                   "its text is ")
    assert f"alike to q-police ({QUIZ}:{line_of(course_dir, 'q-police')})" in found[0]


def test_strict_check_fails_on_item_warnings_and_passes_a_good_course(course_dir):
    runner = CliRunner()
    good = runner.invoke(cli, ["check-course", "--strict", str(course_dir)])
    assert good.exit_code == 0 and "0 warning(s)" in good.output, good.output
    warnings_for(course_dir, matching("q-two", 2))
    lenient = runner.invoke(cli, ["check-course", str(course_dir)])
    strict = runner.invoke(cli, ["check-course", "--strict", str(course_dir)])
    assert lenient.exit_code == 0 and strict.exit_code == 1
    assert f"{course_dir / QUIZ}:{line_of(course_dir, 'q-two')}: warning: question q-two" in strict.output
