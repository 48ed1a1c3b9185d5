"""The quiz engine: the Markdown quiz format, question types, attempts, grading and item statistics.

Pure Python: it imports nothing from Flask or the app.
"""
from .grading import AttemptResult, ItemResult, PlannedQuestion, build_attempt, final_score, grade_attempt, may_see_review
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
from .stats import ItemRow, ItemStats, item_statistics
from .types import QUESTION_TYPES, QuestionType, register, type_of

__all__ = [
    "AttemptResult", "Case", "GRADING_METHODS", "InvalidResponse", "ItemResult", "ItemRow", "ItemStats", "Option",
    "PlannedQuestion", "Problem", "QUESTION_TYPES", "Question", "QuestionType", "Quiz", "QuizError", "QuizParseError",
    "QuizSettings", "REVIEW_MODES", "build_attempt", "final_score", "grade_attempt", "item_statistics",
    "may_see_review", "parse_quiz", "register", "type_of",
]
