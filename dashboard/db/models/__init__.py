"""Database models: one module per family, all re-exported here."""

from dashboard.db.models.accounts import AuditEvent, AuthSession, LoginThrottle, User
from dashboard.db.models.activity import Amendment, BudgetMovement, ProgressUpdate
from dashboard.db.models.calendar import EmailOutbox, Notification, OutboxStatus, ReportingRule
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
from dashboard.db.models.reports import JobStatus, ReportJob

__all__ = [
    "Amendment",
    "AuditEvent",
    "AuthSession",
    "Axis",
    "BudgetMovement",
    "Contract",
    "Cti",
    "EmailOutbox",
    "EntryStatus",
    "EnvelopeLine",
    "Indicator",
    "IndicatorTarget",
    "JobStatus",
    "LoginThrottle",
    "MovementKind",
    "NetworkFigure",
    "Notification",
    "Origin",
    "OutboxStatus",
    "Plan",
    "PlanSpending",
    "ProgressUpdate",
    "ReportJob",
    "ReportingRule",
    "Role",
    "Source",
    "SourceNote",
    "User",
    "utcnow",
]
