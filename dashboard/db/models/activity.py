"""What people enter: progress values, budget movements and contract amendments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field, SQLModel

from dashboard.db.models.common import EntryStatus, MovementKind, Origin, in_list, utcnow

STATUS_CHECK = in_list("status", EntryStatus)
PENDING = "status IN ('draft', 'submitted')"


class ProgressUpdate(SQLModel, table=True):
    """A measured value of an indicator for a year (quarter 0) or a quarter (1-4)."""

    __table_args__ = (
        CheckConstraint("quarter BETWEEN 0 AND 4", name="progress_quarter_range"),
        CheckConstraint(STATUS_CHECK, name="progress_status"),
        # No second pending value for the same indicator and period.
        Index(
            "progress_one_pending",
            "indicator_id",
            "year",
            "quarter",
            unique=True,
            sqlite_where=text(PENDING),
            postgresql_where=text(PENDING),
        ),
        # With is_superseded, the latest value in force is read from the index alone.
        Index(
            "progress_indicator_period",
            "indicator_id",
            "year",
            "quarter",
            "status",
            "is_superseded",
        ),
        # The latest validated value of an indicator in one backward seek (migration 0009).
        Index(
            "progress_latest_validated",
            "indicator_id",
            "year",
            text("(CASE WHEN quarter = 0 THEN 5 ELSE quarter END)"),
            "id",
            sqlite_where=text("status = 'validated' AND is_superseded IS 0"),
            postgresql_where=text("status = 'validated' AND is_superseded IS false"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    year: int
    quarter: int = 0
    value: float
    comment: str = ""
    status: str = Field(default=EntryStatus.DRAFT, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    reviewed_by_id: int | None = Field(default=None, foreign_key="user.id")
    reviewed_at: datetime | None = None
    rejection_reason: str = ""
    supersedes_id: int | None = Field(default=None, foreign_key="progressupdate.id")
    correction_reason: str = ""
    is_superseded: bool = False
    evidence_name: str = ""
    evidence_sha256: str = ""
    origin: str = Origin.ENTERED
    version: int = 1


class BudgetMovement(SQLModel, table=True):
    """A commitment or a disbursement of money for a contract and an axis."""

    __table_args__ = (
        CheckConstraint("amount_mdh >= 0", name="movement_amount_nonneg"),
        CheckConstraint(in_list("kind", MovementKind), name="movement_kind"),
        CheckConstraint(STATUS_CHECK, name="movement_status"),
        Index("movement_contract_axis", "contract_id", "axis_id", "kind", "status"),
        # Covers the money read models: sums per status, contract, axis, kind and day.
        Index(
            "movement_sums",
            "status",
            "is_superseded",
            "contract_id",
            "axis_id",
            "kind",
            "on_date",
            "amount_mdh",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    axis_id: int = Field(foreign_key="axis.id", index=True)
    kind: str
    on_date: date = Field(index=True)
    amount_mdh: float
    reference: str = ""
    comment: str = ""
    status: str = Field(default=EntryStatus.DRAFT, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    reviewed_by_id: int | None = Field(default=None, foreign_key="user.id")
    reviewed_at: datetime | None = None
    rejection_reason: str = ""
    origin: str = Origin.ENTERED
    version: int = 1
    # History: a validated movement is corrected by a new version that supersedes it.
    updated_at: datetime | None = None
    submitted_at: datetime | None = None
    supersedes_id: int | None = Field(default=None, foreign_key="budgetmovement.id")
    correction_reason: str = ""
    is_superseded: bool = False


class Amendment(SQLModel, table=True):
    """A revision of a target or an envelope line, with its justification."""

    __table_args__ = (
        CheckConstraint("kind IN ('target', 'envelope')", name="amendment_kind"),
        Index("amendment_ref", "kind", "ref_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    ref_id: int
    old_value: float
    new_value: float
    reason: str
    by_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)
