"""Reports for meetings: the national picture or one CTI, as PDF or Excel, in fr, en or ar.

``build_report`` is what the command line, the /reports page's background jobs and the
benchmark call. The numbers come from the pages' own read models (``data``), so a report
agrees with the screens to the last digit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine

from dashboard.i18n import N_
from dashboard.services.reports.data import ReportData, cti_data, national_data
from dashboard.services.reports.language import speaking
from dashboard.services.reports.request import ReportRequest, check_request

Progress = Callable[[int, str], None]


def _ignore(_percent: int, _step: str) -> None:
    """Report no progress."""


@dataclass(frozen=True)
class ReportFile:
    """A finished report: its file name, MIME type and content."""

    filename: str
    media_type: str
    content: bytes


def gather(*, engine: Engine, today: date, request: ReportRequest) -> ReportData:
    """Read everything the report shows, in the report's language."""
    with speaking(request.lang):
        if request.national:
            return national_data(engine=engine, today=today, request=request)
        return cti_data(engine=engine, today=today, request=request)


def build_report(
    *, engine: Engine, today: date, request: ReportRequest, progress: Progress = _ignore
) -> ReportFile:
    """Build the report asked for and return the file."""
    from dashboard.services.reports.pdf import build_pdf
    from dashboard.services.reports.sheets import build_xlsx

    if request.fmt == "pdf":
        from dashboard.services.reports.charts import warm_up

        warm_up()  # the browser starts while the figures are read
    progress(5, N_("Lecture des chiffres"))
    data = gather(engine=engine, today=today, request=request)
    progress(15, N_("Mise en forme"))
    content = build_pdf(data, progress) if request.fmt == "pdf" else build_xlsx(data, progress)
    progress(100, N_("Terminé"))
    return ReportFile(request.filename(today), request.media_type, content)


def _bench_job(fmt: str, cti: str | None = None) -> Callable[..., object]:
    def job(*, engine: Engine, today: date) -> object:
        request = check_request(engine=engine, today=today, fmt=fmt, cti=cti)
        return build_report(engine=engine, today=today, request=request)

    return job


def _start_chart_server(*, engine: Engine, today: date) -> object:
    """Start the process's chart browser (paid once per process; timed on its own)."""
    from dashboard.services.reports.charts import SERVER

    SERVER.start()
    return None


# For scripts/bench.py: each is called as job(engine=engine, today=TODAY), in this order.
BENCH_JOBS: dict[str, Callable[..., object]] = {
    "chart_server_start": _start_chart_server,
    "pdf_national": _bench_job("pdf"),
    "pdf_cti": _bench_job("pdf", "CETIA"),
    "xlsx_national": _bench_job("xlsx"),
    "xlsx_cti": _bench_job("xlsx", "CETIA"),
}

__all__ = [
    "BENCH_JOBS",
    "ReportData",
    "ReportFile",
    "ReportRequest",
    "build_report",
    "check_request",
    "gather",
]
