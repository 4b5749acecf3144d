"""Shared column helpers and vocabularies for the database models."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC (SQLModel stores aware datetimes)."""
    return datetime.now(UTC)


class Origin(StrEnum):
    """Whether a record is a public fact (with its source) or illustrative demo data."""

    PUBLIC = "public"
    ILLUSTRATIVE = "illustrative"
    ENTERED = "entered"


class Role(StrEnum):
    """The four roles of DESIGN.md."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    CTI_EDITOR = "cti_editor"
    ADMIN = "admin"


class EntryStatus(StrEnum):
    """Workflow state of a progress value or budget movement."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    REJECTED = "rejected"


class MovementKind(StrEnum):
    """Commitment (engagement) or disbursement (décaissement)."""

    COMMITMENT = "commitment"
    DISBURSEMENT = "disbursement"


def in_list(column: str, values: type[StrEnum]) -> str:
    """Build a CHECK expression restricting a column to an enum's values."""
    quoted = ", ".join(f"'{v.value}'" for v in values)
    return f"{column} IN ({quoted})"
