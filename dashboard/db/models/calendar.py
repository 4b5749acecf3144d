"""The reporting calendar's rule, the in-app notifications and the e-mail outbox."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, LargeBinary
from sqlmodel import Field, SQLModel

from dashboard.db.models.common import in_list, utcnow


class OutboxStatus(StrEnum):
    """Where an e-mail of the outbox stands."""

    PENDING = "pending"  # not sent yet, or failed and to be retried on the next run
    SENT = "sent"
    ABANDONED = "abandoned"  # failed too many times; kept with its last error


class ReportingRule(SQLModel, table=True):
    """How a plan's figures are reported: frequency, due date and reminder lead (set by admins).

    A plan without a row follows the defaults of ``dashboard.domain.calendar.Rule``.
    """

    __table_args__ = (
        CheckConstraint("frequency IN ('quarterly', 'yearly')", name="reporting_rule_frequency"),
        CheckConstraint("due_days BETWEEN 0 AND 180", name="reporting_rule_due_days"),
        CheckConstraint("lead_days BETWEEN 0 AND 60", name="reporting_rule_lead_days"),
    )
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", unique=True)
    frequency: str = Field(default="quarterly", max_length=20)
    due_days: int = 15
    lead_days: int = 7
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1


class Notification(SQLModel, table=True):
    """A reminder shown in one person's list, read or unread.

    ``dedupe_key`` names the reminder (kind, person, CTI, period or value): its unique
    constraint guarantees nobody gets the same reminder twice, even from concurrent runs.
    ``text`` is the French wording as sent; the page rewords it from ``kind`` and ``params``
    in the reader's language.
    """

    __table_args__ = (Index("notification_user_read", "user_id", "read_at"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=40)
    params: str = "{}"
    text: str
    link: str = ""
    cti_id: int | None = Field(default=None, foreign_key="cti.id")
    period: str = Field(default="", max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None
    dedupe_key: str = Field(unique=True, max_length=200)


class EmailOutbox(SQLModel, table=True):
    """An e-mail to send, sent, or given up, with its attempts and last error (never lost)."""

    __table_args__ = (
        CheckConstraint(in_list("status", OutboxStatus), name="outbox_status"),
        Index("outbox_status_created", "status", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    to_address: str = Field(max_length=320)
    subject: str
    body: str
    user_id: int | None = Field(default=None, foreign_key="user.id")
    notification_id: int | None = Field(default=None, foreign_key="notification.id")
    dedupe_key: str = Field(unique=True, max_length=200)
    status: str = Field(default=OutboxStatus.PENDING, max_length=20)
    attempts: int = 0
    last_error: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    last_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    attachment_name: str = ""
    attachment_type: str = ""
    attachment: bytes | None = Field(default=None, sa_type=LargeBinary)
