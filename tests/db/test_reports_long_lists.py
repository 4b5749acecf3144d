"""Lists too long for paper: the PDF counts them and shows the worst rows; Excel keeps them whole.

The demo plan is under the limit, so the limit is lowered here to make its lists "too long";
every count is checked against the pages' read models or the database, not the report's code.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import col

from dashboard.db.models import Axis, Contract, Cti, Indicator, ProgressUpdate
from dashboard.domain.indicators import Status
from dashboard.services.contracts import cti_view
from dashboard.services.monitoring import IndicatorRow
from dashboard.services.palette import STATUS_ORDER
from dashboard.services.reports import digest, gather
from dashboard.services.reports.content import report_content
from dashboard.services.reports.language import Formats
from tests.conftest import DEMO_TODAY, SqliteTemplates
from tests.db.reports_support import module_engine, pdf_text, report

SEVERITY = {Status.LATE.value: 0, Status.WATCH.value: 1}
STATES = ("validated", "submitted", "draft", "rejected")


@pytest.fixture(scope="module")
def demo(
    sqlite_templates: SqliteTemplates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The demo database, shared by the tests of this module (they only read)."""
    yield from module_engine(sqlite_templates, tmp_path_factory, "reports-long-lists")


@pytest.fixture(scope="module")
def listed(demo: Engine, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The text of the national PDF with the real limit: the demo's 84 indicators fit under it."""
    return pdf_text(report(demo, "pdf").content, tmp_path_factory.mktemp("listed"))


@pytest.fixture(scope="module")
def national(demo: Engine, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The text of the national PDF with a limit of 50 rows: its 84 indicators are too many."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(digest, "PDF_ROW_LIMIT", 50)
        content = report(demo, "pdf").content
    return pdf_text(content, tmp_path_factory.mktemp("national"))


@pytest.fixture(scope="module")
def cetia(demo: Engine, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The text of CETIA's 2024 PDF with a limit of 5 rows: indicators and values too many."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(digest, "PDF_ROW_LIMIT", 5)
        content = report(demo, "pdf", cti="CETIA", year=2024).content
    return pdf_text(content, tmp_path_factory.mktemp("cetia"))


def _flat(text: str) -> str:
    """Return the text on one line, single-spaced (a sentence may wrap anywhere)."""
    return " ".join(text.split())


def _between(text: str, start: str, end: str) -> str:
    """Return the text from the heading ``start`` to the heading ``end``."""
    return text[text.index(start) : text.index(end, text.index(start))]


def _counts(section: str, label: str, columns: int) -> list[int]:
    """Return the last ``columns`` numbers of the table line that starts with ``label``."""
    line = next(line for line in section.splitlines() if line.strip().startswith(label + " "))
    return [int(n) for n in line.split()[-columns:]]


def _furthest_behind(rows: list[IndicatorRow], limit: int) -> list[str]:
    """Return the codes of the indicators furthest behind: late then watch, by pace, by code."""
    behind = [r for r in rows if r.status in SEVERITY]
    behind.sort(key=lambda r: (SEVERITY[r.status], r.pace_ratio, r.code))
    return [r.code for r in behind[:limit]]


def test_under_the_limit_the_national_pdf_lists_every_indicator(demo: Engine, listed: str) -> None:
    section = _between(listed, "84 indicateurs, par CTI", "Valeurs déclarées")
    for acronym in _acronyms(demo):
        assert f"{acronym} · " in section  # the heading of the CTI's group
        for row in _rows(demo, acronym):
            # A long code wraps in its cell ("CETEMCO-" over "A1-01"): its parts are there.
            parts = [row.code] if len(acronym) <= 6 else row.code.split("-", 1)
            assert all(part in section for part in parts), row.code
    assert "La liste complète" not in listed
    assert "Indicateurs par statut et par CTI" not in listed
    assert digest.PDF_ROW_LIMIT >= 84  # the demo's detail stays on paper


def _rows(engine: Engine, acronym: str, year: int | None = None) -> list[IndicatorRow]:
    view = cti_view(engine=engine, today=DEMO_TODAY, acronym=acronym, year=year)
    assert view is not None
    return view.rows


def test_over_the_limit_the_national_pdf_counts_the_indicators_of_each_cti(
    demo: Engine, national: str
) -> None:
    assert "La liste complète des 84 indicateurs" in _flat(national)
    assert "rapport Excel de même périmètre (feuille « Indicateurs »)" in _flat(national)
    section = _between(national, "Indicateurs par statut et par CTI", "indicateurs les plus")
    totals: Counter[str] = Counter()
    for acronym in ("CERIC", "CERIMME", "CETEMCO", "CETIA", "CETIEV", "CMTC", "CTIBA", "CTPC"):
        view = cti_view(engine=demo, today=DEMO_TODAY, acronym=acronym)
        assert view is not None
        expected = [view.status.get(s, 0) for s in STATUS_ORDER]
        assert _counts(section, acronym, 5) == [*expected, len(view.rows)], acronym
        totals.update({s.value: view.status.get(s, 0) for s in STATUS_ORDER})
    ctth = Counter(r.status for r in _rows(demo, "CTTH"))
    assert _counts(section, "CTTH", 5) == [*(ctth[s.value] for s in STATUS_ORDER), 11]
    totals.update(ctth)
    assert _counts(section, "Total", 5) == [*(totals[s.value] for s in STATUS_ORDER), 84]


def test_over_the_limit_the_national_pdf_shows_the_twenty_furthest_behind(
    demo: Engine, national: str
) -> None:
    every = [row for acronym in _acronyms(demo) for row in _rows(demo, acronym)]
    section = _between(national, "Les 20 indicateurs les plus en retard", "Valeurs déclarées")
    assert re.findall(r"\b[A-Z]{3,7}-A\d-\d\d\b", section) == _furthest_behind(every, 20)
    on_track = [r.code for r in every if r.status == Status.ON_TRACK.value]
    assert on_track and not any(code in national for code in on_track)  # the list is gone


def _acronyms(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(col(Cti.acronym)).order_by(col(Cti.acronym))).scalars())


def test_over_the_limit_a_cti_pdf_counts_its_indicators_per_axis(demo: Engine, cetia: str) -> None:
    view = cti_view(engine=demo, today=DEMO_TODAY, acronym="CETIA", year=2024)
    assert view is not None
    section = _between(cetia, "Indicateurs par statut et par axe", "indicateurs les plus")
    for axis in view.axes:
        statuses = Counter(r.status for r in view.rows if r.axis == axis.number)
        expected = [*(statuses[s.value] for s in STATUS_ORDER), sum(statuses.values())]
        if statuses:
            assert _counts(section, axis.label.split(" · ")[0] + " ·", 5) == expected
    assert f"La liste complète des {len(view.rows)} indicateurs" in _flat(cetia)


def test_over_the_limit_a_cti_pdf_counts_its_values_per_axis_and_state(
    demo: Engine, cetia: str
) -> None:
    with demo.connect() as conn:
        found = conn.execute(
            select(col(Axis.number), col(ProgressUpdate.status), func.count())
            .join(Indicator, col(Indicator.id) == col(ProgressUpdate.indicator_id))
            .join(Axis, col(Axis.id) == col(Indicator.axis_id))
            .join(Contract, col(Contract.id) == col(Indicator.contract_id))
            .join(Cti, col(Cti.id) == col(Contract.cti_id))
            .where(
                col(Cti.acronym) == "CETIA",
                col(ProgressUpdate.year) == 2024,
                col(ProgressUpdate.is_superseded).is_(False),
            )
            .group_by(col(Axis.number), col(ProgressUpdate.status))
        ).all()
    by_axis: dict[int, Counter[str]] = {}
    for number, state, n in found:
        by_axis.setdefault(int(number), Counter())[str(state)] = int(n)
    section = _between(cetia, "Nombre de valeurs déclarées pour 2024, par axe", "Filtres, méthode")
    for number, states in by_axis.items():
        expected = [*(states[s] for s in STATES), sum(states.values())]
        assert _counts(section, f"Axe {number} ·", 5) == expected, number
    total = sum(sum(states.values()) for states in by_axis.values())
    assert f"Le détail des {total} valeurs déclarées" in _flat(cetia)
    assert "(feuille « Historique »)" in _flat(cetia)


def test_the_workbook_keeps_every_row_whatever_the_limit(
    demo: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(digest, "PDF_ROW_LIMIT", 5)
    from dashboard.services.reports import check_request

    request = check_request(engine=demo, today=DEMO_TODAY, fmt="xlsx")
    data = gather(engine=demo, today=DEMO_TODAY, request=request)
    content = report_content(data, Formats("fr"), fmt="xlsx")
    assert len(content.tables["indicators"].rows) == 84
    assert len(content.tables["history"].rows) == len(data.history) > 5
    assert content.summarised == ()


def test_the_summary_is_written_in_the_reports_language(demo: Engine, tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(digest, "PDF_ROW_LIMIT", 50)
        text = pdf_text(report(demo, "pdf", lang="en").content, tmp_path)
    assert "The full list of the 84 indicators" in _flat(text)
    assert "Indicators by status and by CTI" in text
    assert "Indicateurs par statut" not in text
