"""Shared helpers of the report tests: one demo database and one build of each report per module."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from dashboard.db.engine import make_engine
from dashboard.services.reports import ReportFile, build_report, check_request
from tests.conftest import DEMO_TODAY, SqliteTemplates


def module_engine(
    templates: SqliteTemplates, factory: pytest.TempPathFactory, name: str
) -> Iterator[Engine]:
    """Yield an engine on a private copy of the demo database (building reports only reads)."""
    path = factory.mktemp(name) / "demo.db"
    shutil.copy(templates["demo"], path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def report(engine: Engine, fmt: str, **asked: object) -> ReportFile:
    """Build a report on the demo date."""
    request = check_request(engine=engine, today=DEMO_TODAY, fmt=fmt, **asked)
    return build_report(engine=engine, today=DEMO_TODAY, request=request)


def pdf_text(content: bytes, tmp: Path) -> str:
    """Return the PDF's text (pdftotext), with every kind of space made a plain one."""
    path = tmp / "report.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return plain(text)


def plain(text: str) -> str:
    """Replace no-break and narrow no-break spaces with plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")
