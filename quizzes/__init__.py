"""The quiz engine: the Markdown quiz format, question types, attempts, grading and item statistics.

Pure Python: it imports nothing from Flask or the app.
"""
from .grading import AttemptResult, ItemResult, final_score, grade_attempt, may_see_review, shown_percent, shown_points
from .model import (
    GRADING_METHODS,
    REVIEW_MODES,
    Case,
    InvalidResponse,
    Option,
    Problem,
    Question,
    Quiz,
    QuizError,
    QuizParseError,
    QuizSettings,
)
from .parser import parse_quiz
from .plan import AnswerForm, PlannedQuestion, build_attempt
from .stats import Breakdown, BreakdownRow, ItemRow, ItemStats, breakdown, item_statistics
from .types import QUESTION_TYPES, QuestionType, register, type_of

__all__ = [
    "AnswerForm", "AttemptResult", "Breakdown", "BreakdownRow", "Case", "GRADING_METHODS", "InvalidResponse",
    "ItemResult", "ItemRow", "ItemStats", "Option", "PlannedQuestion", "Problem", "QUESTION_TYPES", "Question",
    "QuestionType", "Quiz", "QuizError", "QuizParseError", "QuizSettings", "REVIEW_MODES", "breakdown",
    "build_attempt", "final_score", "grade_attempt", "item_statistics", "may_see_review", "parse_quiz", "register",
    "shown_percent", "shown_points", "type_of",
]
