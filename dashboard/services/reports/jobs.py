"""Reports built in the background for /reports, so that a long export blocks nobody.

The request that asks for a report only records a job (a database row) and hands it to a
thread of the worker that received it; it returns at once. The thread writes its progress to
the row and the file to the data folder (``data/reports``). The browser then polls: whichever
gunicorn worker answers reads the same row and the same file, so nothing lives in one worker's
memory. A job whose worker died stops moving; after ``STALE`` it is reported as interrupted.
Each worker builds one report at a time (its own queue); other requests go on being served.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, require
from dashboard.config import Settings
from dashboard.db.engine import session_scope
from dashboard.db.models import JobStatus, ReportJob, utcnow
from dashboard.i18n import translate
from dashboard.services import audit
from dashboard.services.errors import NotFoundError, UserError
from dashboard.services.reports import ReportFile, build_report
from dashboard.services.reports.request import MEDIA_TYPES, ReportRequest

log = logging.getLogger(__name__)
STALE = timedelta(minutes=5)
KEEP = timedelta(days=2)
_EXECUTOR: dict[int, ThreadPoolExecutor] = {}
_EXECUTOR_LOCK = threading.Lock()


@dataclass(frozen=True)
class JobView:
    """Where one export stands, for the page (``step`` and ``message`` in the user's language)."""

    id: str
    status: str
    progress: int
    step: str
    message: str
    filename: str
    size: int

    @property
    def finished(self) -> bool:
        """Tell whether the job is over (done or failed)."""
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


def reports_dir(settings: Settings) -> Path:
    """Return the folder of finished report files (shared by the workers of one server)."""
    return settings.data_dir / "reports"


def _file(settings: Settings, job: ReportJob) -> Path:
    return reports_dir(settings) / f"{job.id}.{job.fmt}"


def _executor() -> ThreadPoolExecutor:
    """Return this process's report thread (a new one after a fork: threads do not survive)."""
    with _EXECUTOR_LOCK:
        pid = os.getpid()
        if pid not in _EXECUTOR:
            _EXECUTOR.clear()
            _EXECUTOR[pid] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report")
        return _EXECUTOR[pid]


def _update(engine: Engine, job_id: str, **values: object) -> None:
    with session_scope(engine) as session:
        job = session.get(ReportJob, job_id)
        if job is None:
            return
        for key, value in values.items():
            setattr(job, key, value)
        job.updated_at = utcnow()
        session.add(job)


def start_export(
    *, engine: Engine, settings: Settings, account: Account | None, request: ReportRequest
) -> str:
    """Record an export for the account and start it in the background; return the job's id."""
    with session_scope(engine) as session:
        user = require(account, Action.EXPORT, session=session, detail="rapport")
        job = ReportJob(
            id=uuid.uuid4().hex,
            user_id=user.id,
            username=user.username,
            fmt=request.fmt,
            cti=request.cti or "",
            year=request.year,
            quarter=request.quarter,
            lang=request.lang,
            worker=f"{socket.gethostname()}:{os.getpid()}",
        )
        session.add(job)
        audit.record(
            session,
            action="report.export",
            user_id=user.id,
            username=user.username,
            entity="report",
            entity_id=job.id,
            detail=f"{request.fmt} {request.cti or 'national'} {request.year}"
            + (f"-T{request.quarter}" if request.quarter else ""),
        )
    _purge(engine, settings)
    _executor().submit(_run, engine, settings, job.id, request)
    return job.id


def _run(engine: Engine, settings: Settings, job_id: str, request: ReportRequest) -> None:
    """Build the report and store it, recording progress and the outcome on the job's row."""
    _update(engine, job_id, status=JobStatus.RUNNING, progress=1)

    def progress(percent: int, step: str) -> None:
        _update(engine, job_id, progress=max(1, min(percent, 99)), step=step)

    try:
        report = build_report(
            engine=engine, today=settings.today(), request=request, progress=progress
        )
        folder = reports_dir(settings)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{job_id}.{request.fmt}"
        partial = target.with_suffix(".part")
        partial.write_bytes(report.content)
        partial.replace(target)  # atomic: a poller never sees half a file
    except UserError as exc:
        _fail(engine, job_id, str(exc))
    except Exception:
        log.exception("rapport %s : échec", job_id)
        message = translate(
            "Le rapport n'a pas pu être produit ; réessayez, puis prévenez l'administrateur "
            "si l'erreur persiste.",
            request.lang,
        )
        _fail(engine, job_id, message)
    else:
        _update(
            engine,
            job_id,
            status=JobStatus.DONE,
            progress=100,
            step="Terminé",
            filename=report.filename,
            size=len(report.content),
            finished_at=utcnow(),
        )


def _fail(engine: Engine, job_id: str, message: str) -> None:
    _update(engine, job_id, status=JobStatus.FAILED, message=message, finished_at=utcnow())


def _owned(session: Session, account: Account | None, job_id: str) -> ReportJob:
    """Return the account's job, or refuse: another person's job is as good as unknown."""
    job = session.get(ReportJob, job_id) if job_id else None
    if job is None or account is None or job.user_id != account.id:
        raise NotFoundError(translate("Rapport introuvable : relancez l'export."))
    return job


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def job_view(*, engine: Engine, account: Account | None, job_id: str, lang: str) -> JobView:
    """Return where the account's job stands (an abandoned one is marked interrupted)."""
    with session_scope(engine) as session:
        job = _owned(session, account, job_id)
        running = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
        if running and utcnow() - _aware(job.updated_at) > STALE:
            job.status = JobStatus.FAILED
            job.message = translate(
                "L'export a été interrompu (serveur redémarré) : relancez-le.", lang
            )
            job.finished_at = utcnow()
            session.add(job)
        return JobView(
            id=job.id,
            status=job.status,
            progress=job.progress,
            step=translate(job.step, lang) if job.step else "",
            message=job.message,
            filename=job.filename,
            size=job.size,
        )


def job_file(
    *, engine: Engine, settings: Settings, account: Account | None, job_id: str
) -> ReportFile:
    """Return the finished file of the account's job, checking the right to export again."""
    with session_scope(engine) as session:
        require(account, Action.EXPORT, session=session, detail="téléchargement de rapport")
        job = _owned(session, account, job_id)
        if job.status != JobStatus.DONE:
            raise UserError(translate("Le rapport n'est pas encore prêt."))
        path = _file(settings, job)
        filename, fmt = job.filename, job.fmt
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(translate("Ce rapport a expiré : relancez l'export.")) from None
    return ReportFile(filename, MEDIA_TYPES[fmt], content)


def _purge(engine: Engine, settings: Settings) -> None:
    """Delete jobs older than ``KEEP`` and their files (best effort)."""
    limit = utcnow() - KEEP
    with session_scope(engine) as session:
        old = session.exec(select(ReportJob).where(col(ReportJob.created_at) < limit)).all()
        for job in old:
            _file(settings, job).unlink(missing_ok=True)
            session.delete(job)
