"""Database models: one module per family, all re-exported here."""

from dashboard.db.models.accounts import AuditEvent, LoginAttempt, User
from dashboard.db.models.activity import Amendment, BudgetMovement, ProgressUpdate
from dashboard.db.models.common import EntryStatus, MovementKind, Origin, Role, utcnow
from dashboard.db.models.reference import (
    Axis,
    Contract,
    Cti,
    EnvelopeLine,
    Indicator,
    IndicatorTarget,
    NetworkFigure,
    Plan,
    PlanSpending,
    Source,
    SourceNote,
)

__all__ = [
    "Amendment",
    "AuditEvent",
    "Axis",
    "BudgetMovement",
    "Contract",
    "Cti",
    "EntryStatus",
    "EnvelopeLine",
    "Indicator",
    "IndicatorTarget",
    "LoginAttempt",
    "MovementKind",
    "NetworkFigure",
    "Origin",
    "Plan",
    "PlanSpending",
    "ProgressUpdate",
    "Role",
    "Source",
    "SourceNote",
    "User",
    "utcnow",
]
