"""Background exports: a job row any worker can read, a file only its owner can download."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import select

from dashboard.config import Settings
from dashboard.db.engine import session_scope
from dashboard.db.migrate import downgrade, upgrade
from dashboard.db.models import AuditEvent, JobStatus, ReportJob, utcnow
from dashboard.services.errors import NotFoundError, PermissionDenied
from dashboard.services.reports import check_request
from dashboard.services.reports.jobs import JobView, job_file, job_view, reports_dir, start_export
from tests.conftest import DEMO_TODAY
from tests.db.entry_support import make_account


def _wait(engine: Engine, account: object, job_id: str) -> JobView:
    """Poll the job as the page does, until it is over."""
    for _ in range(300):
        view = job_view(engine=engine, account=account, job_id=job_id, lang="fr")  # type: ignore[arg-type]
        if view.finished:
            return view
        time.sleep(0.1)
    raise AssertionError("l'export ne s'est pas terminé")


def test_an_export_runs_in_the_background_and_its_owner_downloads_it(
    engine: Engine, settings: Settings
) -> None:
    viewer = make_account(engine, "lecteur", "viewer")
    request = check_request(engine=engine, today=DEMO_TODAY, fmt="xlsx", cti="CTPC")
    started = time.perf_counter()
    job_id = start_export(engine=engine, settings=settings, account=viewer, request=request)
    assert time.perf_counter() - started < 1.0  # the request returns before the work is done
    view = _wait(engine, viewer, job_id)
    assert view.status == JobStatus.DONE and view.progress == 100
    report = job_file(engine=engine, settings=settings, account=viewer, job_id=job_id)
    assert report.filename == view.filename == "rapport-cti-ctpc-2025-20261129.xlsx"
    assert (reports_dir(settings) / f"{job_id}.xlsx").read_bytes() == report.content
    with session_scope(engine) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "report.export"))
        assert [e.entity_id for e in events] == [job_id]


def test_nobody_else_sees_or_downloads_a_job(engine: Engine, settings: Settings) -> None:
    owner = make_account(engine, "proprietaire", "analyst")
    other = make_account(engine, "autre", "viewer")
    request = check_request(engine=engine, today=DEMO_TODAY, fmt="xlsx")
    job_id = start_export(engine=engine, settings=settings, account=owner, request=request)
    _wait(engine, owner, job_id)
    with pytest.raises(NotFoundError):
        job_view(engine=engine, account=other, job_id=job_id, lang="fr")
    with pytest.raises(NotFoundError):
        job_file(engine=engine, settings=settings, account=other, job_id=job_id)
    with pytest.raises(PermissionDenied):
        job_file(engine=engine, settings=settings, account=None, job_id=job_id)


def test_anonymous_requests_are_refused_and_logged(engine: Engine, settings: Settings) -> None:
    request = check_request(engine=engine, today=DEMO_TODAY, fmt="pdf")
    with pytest.raises(PermissionDenied):
        start_export(engine=engine, settings=settings, account=None, request=request)
    with session_scope(engine) as session:
        assert session.exec(select(ReportJob)).all() == []
        refused = session.exec(select(AuditEvent).where(AuditEvent.outcome == "refused")).all()
        assert [e.action for e in refused] == ["export"]


def test_a_job_whose_worker_died_is_reported_interrupted(engine: Engine) -> None:
    viewer = make_account(engine, "lecteur", "viewer")
    with session_scope(engine) as session:
        session.add(
            ReportJob(
                id="a" * 32,
                user_id=viewer.id,
                fmt="pdf",
                year=2025,
                status=JobStatus.RUNNING,
                progress=40,
                updated_at=utcnow() - timedelta(minutes=10),
            )
        )
    view = job_view(engine=engine, account=viewer, job_id="a" * 32, lang="fr")
    assert view.status == JobStatus.FAILED and "interrompu" in view.message


def test_a_failed_export_says_so_and_leaves_no_file(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    viewer = make_account(engine, "lecteur", "viewer")

    def broken(**_kwargs: object) -> None:
        raise RuntimeError("disque plein")

    monkeypatch.setattr("dashboard.services.reports.jobs.build_report", broken)
    request = check_request(engine=engine, today=DEMO_TODAY, fmt="xlsx")
    job_id = start_export(engine=engine, settings=settings, account=viewer, request=request)
    view = _wait(engine, viewer, job_id)
    assert view.status == JobStatus.FAILED
    assert "n'a pas pu être produit" in view.message and "disque" not in view.message
    assert not (reports_dir(settings) / f"{job_id}.xlsx").exists()


def test_an_expired_file_is_a_clear_message(engine: Engine, settings: Settings) -> None:
    viewer = make_account(engine, "lecteur", "viewer")
    request = check_request(engine=engine, today=DEMO_TODAY, fmt="xlsx", cti="CMTC")
    job_id = start_export(engine=engine, settings=settings, account=viewer, request=request)
    _wait(engine, viewer, job_id)
    (reports_dir(settings) / f"{job_id}.xlsx").unlink()
    with pytest.raises(NotFoundError, match="expiré"):
        job_file(engine=engine, settings=settings, account=viewer, job_id=job_id)


def test_the_downloaded_file_is_the_report(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    viewer = make_account(engine, "lecteur", "viewer")
    request = check_request(engine=engine, today=DEMO_TODAY, fmt="xlsx", cti="CERIC", year=2023)
    job_id = start_export(engine=engine, settings=settings, account=viewer, request=request)
    _wait(engine, viewer, job_id)
    content = job_file(engine=engine, settings=settings, account=viewer, job_id=job_id).content
    (tmp_path / "r.xlsx").write_bytes(content)
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Synthèse"]
    assert sheet["A2"].value == "Plan CTI 2022-2025 · CERIC"
    assert str(sheet["A3"].value).startswith("Situation à fin 2023")


def test_migration_0005_goes_down_and_up(any_engine: Engine) -> None:
    assert "reportjob" in inspect(any_engine).get_table_names()
    downgrade(any_engine, "0004")
    assert "reportjob" not in inspect(any_engine).get_table_names()
    upgrade(any_engine)
    assert "reportjob" in inspect(any_engine).get_table_names()
    indexes = {i["name"] for i in inspect(any_engine).get_indexes("reportjob")}
    assert "report_job_user_created" in indexes


def test_a_report_on_postgresql_agrees_with_the_pages(pg_engine: Engine) -> None:
    from dashboard.services.demo import seed_demo
    from dashboard.services.overview import overview_view
    from dashboard.services.reference import seed_reference
    from tests.db.reports_support import report

    with session_scope(pg_engine) as session:
        seed_reference(session)
    with session_scope(pg_engine) as session:
        seed_demo(session, today=DEMO_TODAY)
    book = openpyxl.load_workbook(io.BytesIO(report(pg_engine, "xlsx").content))
    view = overview_view(engine=pg_engine, today=DEMO_TODAY)
    rows = {row[0]: row[1] for row in book["Synthèse"].iter_rows(values_only=True) if row[0]}
    assert rows["Allouée aux contrats"] == float(f"{view.budget.envelope:.15g}")
    assert rows["Décaissé"] == float(f"{view.budget.disbursed:.15g}")
    history = [r for r in book["Historique"].iter_rows(min_row=6, values_only=True) if r[0]]
    assert len(history) > 1000
