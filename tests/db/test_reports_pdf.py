"""The PDF reports say what the pages say: same figures, to the last digit, on the demo data."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from dashboard.domain.indicators import Status
from dashboard.services.contracts import cti_view
from dashboard.services.formatting import fmt_mdh, fmt_pct, fmt_value
from dashboard.services.overview import overview_view
from dashboard.services.palette import status_label
from tests.conftest import DEMO_TODAY, SqliteTemplates
from tests.db.reports_support import module_engine, pdf_text, plain, report


@pytest.fixture(scope="module")
def demo(
    sqlite_templates: SqliteTemplates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The demo database, shared by the tests of this module (they only read)."""
    yield from module_engine(sqlite_templates, tmp_path_factory, "reports-pdf")


@pytest.fixture(scope="module")
def national(demo: Engine) -> bytes:
    """The national PDF report, to date."""
    return report(demo, "pdf").content


@pytest.fixture(scope="module")
def cetia(demo: Engine) -> bytes:
    """CETIA's PDF report for 2024."""
    return report(demo, "pdf", cti="CETIA", year=2024).content


def test_the_national_report_shows_the_overview_figures(
    demo: Engine, national: bytes, tmp_path: Path
) -> None:
    text = pdf_text(national, tmp_path)
    view = overview_view(engine=demo, today=DEMO_TODAY)
    money = view.budget
    for expected in (
        fmt_mdh(view.scope.envelope),  # plan envelope: 250,0 MDH
        fmt_mdh(money.envelope),  # allocated to the contracts
        fmt_mdh(money.committed),
        fmt_mdh(money.disbursed),
        fmt_pct(money.execution.disbursement_rate, 1),  # execution rate, as on the page
        "Situation à date, au 29 novembre 2026",
    ):
        assert plain(expected) in text, expected
    signed = (
        re.escape(str(view.contracts_signed)) + r"\s*/\s*" + re.escape(str(view.contracts_total))
    )
    assert re.search(signed, text)
    for status in Status:
        assert f"{status_label(status)} : {view.status[status]}" in text
    for row in view.by_cti.itertuples():
        assert plain(fmt_mdh(row.envelope)) in text, row.acronym


def test_the_national_report_lists_the_late_indicators_with_their_values(
    demo: Engine, national: bytes, tmp_path: Path
) -> None:
    text = pdf_text(national, tmp_path)
    late = overview_view(engine=demo, today=DEMO_TODAY).late
    assert len(late) > 3
    for row in late.head(4).itertuples():
        line = next(line for line in text.splitlines() if row.code in line)
        assert plain(fmt_value(row.latest_value, row.unit)) in line, line
        assert status_label(row.status) in line


def test_a_cti_report_shows_its_contract_page_figures(
    demo: Engine, cetia: bytes, tmp_path: Path
) -> None:
    text = pdf_text(cetia, tmp_path)
    view = cti_view(engine=demo, today=DEMO_TODAY, acronym="CETIA", year=2024)
    assert view is not None
    money = view.budget
    for expected in (
        "Situation à fin 2024",
        fmt_mdh(money.envelope),
        fmt_mdh(money.committed),
        fmt_mdh(money.disbursed),
        fmt_pct(money.execution.disbursement_rate, 1),
    ):
        assert plain(expected) in text, expected
    for row in view.rows:
        assert row.code in text
    for status in Status:
        assert f"{status_label(status)} : {view.status[status]}" in text


def test_the_report_is_a_valid_a4_document_whose_first_page_renders(
    national: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "national.pdf"
    path.write_bytes(national)
    reader = PdfReader(path)
    assert len(reader.pages) >= 8
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert "Rapport national" in (reader.metadata.title or "")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    png = (tmp_path / "p-01.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5_000


def test_every_page_after_the_cover_is_numbered_and_carries_the_illustrative_label(
    national: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "national.pdf"
    path.write_bytes(national)
    pages = PdfReader(path).pages
    for number, page in enumerate(pages[1:], start=2):
        text = " ".join(plain(page.extract_text()).split())
        assert f"Page {number} / {len(pages)}" in text
        assert "Données illustratives" in text


def test_the_notes_give_the_filters_and_the_sources(national: bytes, tmp_path: Path) -> None:
    text = pdf_text(national, tmp_path)
    assert "Filtres utilisés" in text and "National (tous les CTI)" in text
    assert "EcoActu" in text and "Challenge.ma" in text
    assert "Là où les sources divergent" in text
