"""The fixed vocabularies stored in the database, as `StrEnum`s: members compare and store as their plain string values."""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    TSP = "tsp"
    TRAINER = "trainer"
    ADMIN = "admin"


class Scope(StrEnum):
    """What a stored completion completes."""

    MODULE = "module"
    UNIT = "unit"


class PlanStatus(StrEnum):
    """A saved version of a pilot plan."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class CommentTarget(StrEnum):
    """What a trainer's comment is about."""

    PLAN = "plan"
    REPORT = "report"


class CertificateStatus(StrEnum):
    """A certificate's state; a code lookup may also find it made up (`unknown`) or not a code at all (`invalid`)."""

    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    UNKNOWN = "unknown"
    INVALID = "invalid"
