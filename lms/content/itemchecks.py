"""Item-writing checks: cues that let a learner score without knowing the material, found before learners do.

Each finding is a warning (`lms check-course --strict` fails on it) with the file and line to fix.
The thresholds are documented for authors in course/README.md ("Item-writing checks").
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher

import quizzes

from .model import Course, Problem, QuizContent

LONGEST_RIGHT_SHARE = 0.25  # the right option may be strictly the longest in at most this share of single-choice questions
LONGEST_RIGHT_MIN_QUESTIONS = 4  # ... checked only in quizzes with at least this many
TICK_ALL_CREDIT = 0.25  # ticking every option of a multiple-response question may earn at most this share
SIMILAR_STEM = 0.6  # a final-assessment stem this alike (or more) to a module-quiz stem repeats it
MIN_PAIRS = 3  # fewer matching pairs make a guess too likely to succeed
ABOVE = re.compile(r"\b(all|none)\s+(?:of\s+)?the\s+above\b", re.IGNORECASE)
WORD = re.compile(r"[\w']+")


def check_items(course: Course) -> list[Problem]:
    """Every item-writing warning of a loaded course."""
    found: list[Problem] = []
    for content in course.quizzes.values():
        found.extend(_quiz_items(content))
    found.extend(_recycled_stems(course))
    return sorted(found, key=lambda p: (p.file, p.line))


def _warning(content: QuizContent, line: int, message: str) -> Problem:
    return Problem(content.source, line, message, "warning")


def _quiz_items(content: QuizContent) -> Iterator[Problem]:
    yield from _longest_right(content)
    for question in content.quiz.questions:
        kind = quizzes.type_of(question)
        if question.type == "multiple":
            credit = kind.grade(question, [o.id for o in question.options])
            if credit > TICK_ALL_CREDIT:
                yield _warning(content, question.line, f"question {question.id}: ticking every option earns {credit:.0%} of "
                               f"its credit (at most {TICK_ALL_CREDIT:.0%}): add plausible wrong options or mark fewer right")
        if question.type == "matching" and len(question.pairs) < MIN_PAIRS:
            yield _warning(content, question.line, f"question {question.id}: a matching question needs at least {MIN_PAIRS} "
                           f"pairs (it has {len(question.pairs)}), or guessing pays")
        for option in question.options if kind.block == "choices" else ():
            above = ABOVE.search(option.text)
            if above:
                yield _warning(content, option.line or question.line, f"question {question.id}: avoid "
                               f"“{above.group(0)}” as an option: write each choice out")


def _length(text: str) -> int:
    return len(" ".join(text.split()))


def _right_is_longest(question: quizzes.Question) -> bool:
    right = [_length(o.text) for o in question.options if o.correct]
    wrong = [_length(o.text) for o in question.options if not o.correct]
    return bool(right and wrong) and min(right) > max(wrong)


def _longest_right(content: QuizContent) -> Iterator[Problem]:
    singles = [q for q in content.quiz.questions if q.type == "single"]
    if len(singles) < LONGEST_RIGHT_MIN_QUESTIONS:
        return
    cued = [q for q in singles if _right_is_longest(q)]
    if len(cued) > LONGEST_RIGHT_SHARE * len(singles):
        for question in cued:
            yield _warning(content, question.line, f"question {question.id}: the right option is the longest, as in "
                           f"{len(cued)} of the quiz's {len(singles)} single-choice questions (at most "
                           f"{LONGEST_RIGHT_SHARE:.0%} may be): balance the option lengths")


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _recycled_stems(course: Course) -> Iterator[Problem]:
    """Final-assessment (unit quiz) stems that nearly repeat a module-quiz stem."""
    module_stems = [(content, q, _words(q.stem)) for content in course.quizzes.values()
                    if content.owner in course.modules for q in content.quiz.questions]
    for content in course.quizzes.values():
        if content.owner in course.modules:
            continue
        for question in content.quiz.questions:
            words = _words(question.stem)
            matcher = SequenceMatcher(None, [], words, autojunk=False)  # b is cached: it is the one compared many times
            for module_content, module_question, module_words in module_stems:
                matcher.set_seq1(module_words)
                if matcher.real_quick_ratio() >= SIMILAR_STEM and matcher.quick_ratio() >= SIMILAR_STEM:
                    ratio = matcher.ratio()
                    if ratio >= SIMILAR_STEM:
                        yield _warning(content, question.line, f"question {question.id}: its text is {ratio:.0%} alike to "
                                       f"{module_question.id} ({module_content.source}:{module_question.line}): write "
                                       "final-assessment questions fresh, on new cases")
                        break
