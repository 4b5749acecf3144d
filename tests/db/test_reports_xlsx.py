"""The Excel reports hold the pages' numbers as numbers, one sheet per topic, ready to filter."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import col

from dashboard.db.models import ProgressUpdate
from dashboard.domain.indicators import Status
from dashboard.services.contracts import cti_view
from dashboard.services.overview import overview_view
from dashboard.services.palette import status_label
from tests.conftest import DEMO_TODAY, SqliteTemplates
from tests.db.reports_support import module_engine, report

SHEETS = ["Synthèse", "Indicateurs", "Budget", "Historique", "Sources"]


def xl(value: float) -> float:
    """Return a figure as Excel keeps it: 15 significant digits (204.35299999999998 = 204.353)."""
    return float(f"{value:.15g}")


@pytest.fixture(scope="module")
def demo(
    sqlite_templates: SqliteTemplates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The demo database, shared by the tests of this module (they only read)."""
    yield from module_engine(sqlite_templates, tmp_path_factory, "reports-xlsx")


@pytest.fixture(scope="module")
def national(demo: Engine) -> Any:
    """The national workbook, to date."""
    return openpyxl.load_workbook(io.BytesIO(report(demo, "xlsx").content))


def _row(sheet: Worksheet, label: str, column: int = 1) -> tuple[Any, ...]:
    """Return the first row whose ``column`` (1-based) holds ``label``."""
    for row in sheet.iter_rows(values_only=True):
        if row[column - 1] == label:
            return row
    raise AssertionError(f"{label!r} absent de {sheet.title}")


def _table(sheet: Worksheet, header: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Return the header and the rows of the Excel table whose first header is ``header``."""
    for table in sheet.tables.values():
        cells = list(sheet[table.ref])
        names = [c.value for c in cells[0]]
        if names[0] == header:
            return names, [tuple(c.value for c in row) for row in cells[1:]]
    raise AssertionError(f"pas de tableau « {header} » dans {sheet.title}")


def test_the_summary_holds_the_overview_figures_exactly(demo: Engine, national: Any) -> None:
    assert national.sheetnames == SHEETS
    view = overview_view(engine=demo, today=DEMO_TODAY)
    sheet = national["Synthèse"]
    money = view.budget
    assert _row(sheet, "Enveloppe du plan")[1] == xl(view.scope.envelope)
    assert _row(sheet, "Allouée aux contrats")[1] == xl(money.envelope)
    assert _row(sheet, "Engagé")[1] == xl(money.committed)
    assert _row(sheet, "Décaissé")[1] == xl(money.disbursed)
    assert _row(sheet, "Taux d'exécution")[1] == xl(money.execution.disbursement_rate)
    assert _row(sheet, "Contrats-objectifs signés")[1] == "9 / 9"
    _header, statuses = _table(sheet, "Statut")
    counts = dict(statuses)
    for status in Status:
        assert counts[status_label(status)] == view.status[status]


def test_the_budget_sheet_holds_the_amounts_by_axis_and_cti(demo: Engine, national: Any) -> None:
    view = overview_view(engine=demo, today=DEMO_TODAY)
    sheet = national["Budget"]
    header, rows = _table(sheet, "Axe")
    by_label = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    for axis in view.by_axis.itertuples():
        line = by_label[axis.label]
        assert line["Enveloppe"] == xl(axis.envelope)
        assert line["Engagé"] == xl(axis.committed)
        assert line["Décaissé"] == xl(axis.disbursed)
    total = _row(sheet, "Total")
    money = view.budget
    assert total[1:4] == (xl(money.envelope), xl(money.scheduled), xl(money.committed))
    header, rows = _table(sheet, "CTI")
    assert [r[0] for r in rows] == list(view.by_cti["acronym"])
    assert [r[header.index("Décaissé")] for r in rows] == [xl(v) for v in view.by_cti["disbursed"]]
    amount = sheet.cell(row=_find(sheet, "Total")[0], column=2)
    assert "MDH" in amount.number_format
    assert len(sheet._charts) == 3  # by axis, by CTI, cumulative pace


def _find(sheet: Worksheet, label: str) -> tuple[int, int]:
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == label:
                return cell.row, cell.column
    raise AssertionError(label)


def test_the_indicator_sheet_has_every_indicator_and_a_frozen_filtered_header(
    demo: Engine, national: Any
) -> None:
    view = overview_view(engine=demo, today=DEMO_TODAY)
    sheet = national["Indicateurs"]
    header, rows = _table(sheet, "CTI")
    assert len(rows) == sum(view.status.values())
    records = {row[header.index("Code")]: dict(zip(header, row, strict=True)) for row in rows}
    for late in view.late.itertuples():
        assert records[late.code]["Dernière valeur validée"] == xl(late.latest_value)
        assert records[late.code]["Statut"] == status_label(late.status)
    header_row = _find(sheet, "Code")[0]
    assert sheet.freeze_panes == f"D{header_row + 1}"
    assert sheet.tables[next(iter(sheet.tables))].autoFilter is not None
    achievement = sheet.cell(
        row=header_row + 1, column=header.index("Réalisation de l'objectif de l'année") + 1
    )
    assert achievement.number_format.endswith("%")


def test_the_history_sheet_has_every_current_value_up_to_the_year(
    demo: Engine, national: Any
) -> None:
    with demo.connect() as conn:
        expected = conn.execute(
            select(func.count())
            .select_from(ProgressUpdate)
            .where(col(ProgressUpdate.is_superseded).is_(False), col(ProgressUpdate.year) <= 2025)
        ).scalar_one()
    _header, rows = _table(national["Historique"], "CTI")
    assert len(rows) == expected


def test_the_sources_sheet_gives_filters_sources_and_the_illustrative_note(national: Any) -> None:
    values = [v for row in national["Sources"].iter_rows(values_only=True) for v in row if v]
    text = "\n".join(map(str, values))
    assert "Filtres utilisés" in text and "National (tous les CTI)" in text
    assert "EcoActu" in text and "Données illustratives" in text


def test_a_cti_workbook_holds_its_contract_figures(demo: Engine) -> None:
    book = openpyxl.load_workbook(io.BytesIO(report(demo, "xlsx", cti="cetia", year=2023).content))
    view = cti_view(engine=demo, today=DEMO_TODAY, acronym="CETIA", year=2023)
    assert view is not None
    summary = book["Synthèse"]
    assert _row(summary, "Enveloppe du contrat")[1] == xl(view.budget.envelope)
    assert _row(summary, "Décaissé")[1] == xl(view.budget.disbursed)
    assert _row(summary, "Réalisation moyenne des objectifs")[1] == xl(view.mean_achievement or 0)
    _header, rows = _table(book["Indicateurs"], "CTI")
    assert {r[0] for r in rows} == {"CETIA"} and len(rows) == len(view.rows)
    header, grid = _table(book["Budget"], "Axe")
    assert header[1:5] == ["2022", "2023", "2024", "2025"]
    assert [r[1] for r in grid] == [xl(v) for v in view.grid[2022]]


def test_an_arabic_workbook_reads_right_to_left(demo: Engine) -> None:
    book = openpyxl.load_workbook(io.BytesIO(report(demo, "xlsx", cti="CTTH", lang="ar").content))
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)


@pytest.mark.parametrize(("lang", "unit"), [("fr", "MDH"), ("en", "MDH"), ("ar", "مليون درهم")])
def test_amounts_carry_the_unit_of_the_workbooks_language(
    demo: Engine, lang: str, unit: str
) -> None:
    # The Arabic workbook showed "12,5 MDH": its amounts read "12,5 مليون درهم" as on its pages.
    book = openpyxl.load_workbook(io.BytesIO(report(demo, "xlsx", cti="CTTH", lang=lang).content))
    formats = {
        cell.number_format
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, float) and "0.0" in cell.number_format
    }
    amounts = {fmt for fmt in formats if '"' in fmt}
    assert amounts, formats
    assert all(f'" {unit}"' in fmt for fmt in amounts), amounts
