"""Report exports run in the background: one row per request, shared by every web worker."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from dashboard.db.models.common import in_list, utcnow


class JobStatus(StrEnum):
    """Where a report export stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ReportJob(SQLModel, table=True):
    """A report asked for from /reports: its parameters, progress, and the file it produced.

    The row lives in the database (not in a worker's memory) so that whichever gunicorn worker
    answers the browser's polling sees the same progress. ``id`` is a random token: it is never
    enough on its own to download a file, the owner is checked too. ``worker`` names the process
    building it ("host:pid"), and ``updated_at`` moves at each step, so that a job whose worker
    died is reported as interrupted instead of running forever.
    """

    __table_args__ = (
        CheckConstraint(in_list("status", JobStatus), name="report_job_status"),
        CheckConstraint("fmt IN ('pdf', 'xlsx')", name="report_job_format"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="report_job_progress"),
        CheckConstraint("quarter BETWEEN 0 AND 4", name="report_job_quarter"),
        Index("report_job_user_created", "user_id", "created_at"),
    )
    id: str = Field(primary_key=True, max_length=32)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    username: str = Field(default="", max_length=120)
    fmt: str = Field(max_length=8)
    cti: str = Field(default="", max_length=20)
    year: int
    quarter: int = 0
    lang: str = Field(default="fr", max_length=5)
    status: str = Field(default=JobStatus.QUEUED, max_length=12)
    progress: int = 0
    step: str = ""
    message: str = ""
    filename: str = ""
    size: int = 0
    worker: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
