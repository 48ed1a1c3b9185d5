"""What a quiz is: settings, cases, questions and options. Plain frozen data."""
from __future__ import annotations

from dataclasses import dataclass, field


class QuizError(Exception):
    """Base error of the quiz engine."""


class QuizParseError(QuizError):
    """A quiz file with problems; `problems` lists every one with its line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"line {p.line}: {p.message}" for p in problems))
        self.problems = problems


class InvalidResponse(QuizError):
    """A response that names options, items or shapes the question does not have (a tampered form)."""


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    severity: str = "error"


@dataclass(frozen=True)
class Option:
    """A choice; for ordering questions an item (in correct order); for matching a right-hand text."""

    id: str
    text: str
    correct: bool = False
    feedback: str = ""
    line: int = field(default=0, compare=False)  # where it is written, for item-writing checks


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    stem: str
    points: float = 1.0
    case_id: str | None = None
    options: tuple[Option, ...] = ()
    pairs: tuple[tuple[str, str, str], ...] = ()  # matching: (pair id, left text, right text)
    accept: tuple[str, ...] = ()  # text: accepted answers
    feedback: str = ""
    line: int = 0

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    line: int = 0


REVIEW_MODES = ("after_submit", "after_pass", "never")
GRADING_METHODS = ("highest", "latest", "first", "average")


@dataclass(frozen=True)
class QuizSettings:
    pass_mark: int = 70
    attempts: int | None = None  # None: unlimited
    shuffle_questions: bool = False
    shuffle_options: bool = True
    draw: int | None = None
    time_limit_minutes: int | None = None
    grading: str = "highest"
    review: str = "after_submit"


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    intro: str
    settings: QuizSettings
    questions: tuple[Question, ...]
    cases: dict[str, Case] = field(default_factory=dict)

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError when there is none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)
