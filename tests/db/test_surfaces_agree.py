"""Every surface shows the same numbers: the pages, the PDF and the Excel report.

For the nation, each axis and each CTI, on the demo and on a generated plan (another seed, twice
the volume): the pages are built by their own view builders and read as Dash sends them
(key figures, tables, chart data); the reports are read as their HTML (the document the PDF
lays out), as PDF text (pdftotext) for a few of them, and as workbooks (openpyxl). A director
who quotes a page and is contradicted by a report stops using the tool (issue 19).
"""

from __future__ import annotations

import html as html_lib
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dash import Dash
from sqlalchemy.engine import Engine

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.db.engine import make_engine, session_scope
from dashboard.db.migrate import upgrade
from dashboard.services.formatting import fmt_pct
from dashboard.services.measures import ACHIEVEMENT, MEAN_ACHIEVEMENT, TRAJECTORY
from dashboard.services.reports import build_report, check_request, digest, figures, gather
from dashboard.services.reports.figures import figure_specs
from dashboard.services.reports.language import Formats, speaking
from dashboard.services.reports.pdf import render_html
from dashboard.services.reports.summary import kpis as report_kpis
from tests.conftest import DEMO_TODAY, SqliteTemplates
from tests.db import surfaces_support as read

# A 1x1 PNG: the charts' numbers are compared as data, the images are not needed.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000152a0e7d20000000049454e44ae426082"
)
MEASURES = [ACHIEVEMENT.name(), TRAJECTORY.name(), "Statut"]
# Page graphs and the report figures drawn from the same read model.
OVERVIEW_GRAPHS = {
    "overview-axis-graph": "by_axis",
    "overview-cti-graph": "by_cti",
    "overview-pace-graph": "pace",
    "overview-matrix-graph": "matrix",
    "overview-money-graph": "money_results",
}
CTI_GRAPHS = {
    "cti-envelope-graph": "envelope_split",
    "cti-budget-graph": "by_axis",
    "cti-pace-graph": "pace",
}
KPI = re.compile(r'<div class="kpi-label">(.*?)</div>\s*<div class="kpi-value">(.*?)</div>', re.S)


@dataclass(frozen=True)
class Plan:
    """A database and the app serving it."""

    name: str
    engine: Engine
    app: Dash
    pdf_ctis: tuple[str, ...]


def _generated(directory: Path) -> Engine:
    """A plan generated with another seed and twice the demo's volume."""
    from dashboard.services.demo import seed_demo
    from dashboard.services.reference import seed_reference

    engine = make_engine(f"sqlite:///{directory / 'generated.db'}")
    upgrade(engine)
    with session_scope(engine) as session:
        seed_reference(session)
    with session_scope(engine) as session:
        seed_demo(session, today=DEMO_TODAY, seed=7, scale=2)
    return engine


@pytest.fixture(scope="module", params=["demo", "generated"])
def plan(
    request: pytest.FixtureRequest,
    sqlite_templates: SqliteTemplates,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Plan]:
    """The demo (PDFs of the national report, CETIA and CETIEV) or a generated plan."""
    directory = tmp_path_factory.mktemp(request.param)
    if request.param == "demo":
        shutil.copy(sqlite_templates["demo"], directory / "demo.db")
        engine = make_engine(f"sqlite:///{directory / 'demo.db'}")
        pdf_ctis: tuple[str, ...] = ("", "CETIA", "CETIEV")
    else:
        engine = _generated(directory)
        pdf_ctis = ("CTTH",)
    settings = Settings(
        database_url=f"sqlite:///{directory / 'unused.db'}",
        secret_key="test-secret-key-" + "x" * 32,
        data_dir=directory,
        evidence_dir=directory / "evidence",
        fixed_today=DEMO_TODAY,
        render_cache_entries=0,
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(figures, "chart_image", lambda _figure, width, height: PNG)
        yield Plan(request.param, engine, create_app(settings, engine=engine), pdf_ctis)
    engine.dispose()


@dataclass(frozen=True)
class Report:
    """One report as its reader gets it: the HTML the PDF lays out, and the workbook."""

    html: str
    tables: list[read.Table]
    xlsx: bytes
    kpis: dict[str, str]
    figures: dict[str, dict[str, Any]]
    data: Any


def _report(engine: Engine, cti: str | None) -> Report:
    f = Formats("fr")
    request = check_request(engine=engine, today=DEMO_TODAY, fmt="pdf", cti=cti)
    data = gather(engine=engine, today=DEMO_TODAY, request=request)
    with speaking("fr"):
        text = render_html(data, f)
        shown = {k.label: k.text for k in report_kpis(data, f)}
        specs = {spec.key: spec.figure for spec in figure_specs(data, f)}
    found = {
        read.plain(html_lib.unescape(a)): read.plain(html_lib.unescape(b))
        for a, b in KPI.findall(text)
    }
    assert found == {read.plain(k): read.plain(v) for k, v in shown.items()}
    workbook = check_request(engine=engine, today=DEMO_TODAY, fmt="xlsx", cti=cti)
    xlsx = build_report(engine=engine, today=DEMO_TODAY, request=workbook).content
    return Report(text, read.html_tables(text), xlsx, found, specs, data)


def _pdf_text(engine: Engine, cti: str | None, directory: Path) -> str:
    request = check_request(engine=engine, today=DEMO_TODAY, fmt="pdf", cti=cti)
    path = directory / f"{cti or 'national'}.pdf"
    path.write_bytes(build_report(engine=engine, today=DEMO_TODAY, request=request).content)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").replace("\u00a0", " ").replace("\u202f", " ")


def _rows(tables: list[read.Table], key: str, names: list[str]) -> dict[str, tuple[str, ...]]:
    """Return the rows of every table that has these columns, by the first word of ``key``."""
    rows: dict[str, tuple[str, ...]] = {}
    for table in tables:
        rows.update(table.by(key, names))
    return rows


def _workbook_measures(content: bytes) -> dict[str, tuple[str, ...]]:
    """Return each indicator's two measures and status in the workbook, written as pages do."""
    header, body = read.workbook_table(content, ["Code", *MEASURES])
    code, achievement, pace, status = (header.index(n) for n in ["Code", *MEASURES])
    return {
        str(row[code]): (
            read.plain(fmt_pct(_number(row[achievement]))),
            read.plain(fmt_pct(_number(row[pace]))),
            str(row[status]),
        )
        for row in body
    }


def _number(value: Any) -> float | None:
    return None if value is None or value == "" else float(value)


def _agree(page: dict[str, tuple[str, ...]], other: dict[str, tuple[str, ...]], where: str) -> None:
    """Check that every indicator both show has the same measures and status in both."""
    both = set(page) & set(other)
    differ = {c: (page[c], other[c]) for c in sorted(both) if page[c] != other[c]}
    assert not differ, f"{where}: {differ}"


def _in_pdf(text: str, rows: dict[str, tuple[str, ...]], where: str) -> None:
    """Check that the PDF shows these rows' measures and statuses, in the same order.

    Read as the sequence of (achievement, trajectory, status) cells of its tables: a code
    may be broken after a hyphen in its narrow column ("CETIEV-" over "A2-03").
    """
    statuses = "|".join(re.escape(s) for s in {row[-1] for row in rows.values()})
    cells = re.compile(rf"(\S+ %|—)\s+(\S+ %|—)\s+({statuses})")
    shown = [tuple(m) for m in cells.findall(read.plain(text))]
    wanted = [tuple(read.plain(c) for c in row) for row in rows.values()]
    runs = [shown[i : i + len(wanted)] for i in range(len(shown) - len(wanted) + 1)]
    assert wanted in runs, (where, wanted, shown)


def _shows(pdf: str, value: str) -> bool:
    """Tell whether the PDF's text shows the value (spacing aside: "9 / 9" is laid out "9/9")."""
    return re.sub(r"\s", "", value) in re.sub(r"\s", "", pdf)


def _same_charts(page: dict[str, dict[str, Any]], report: Report, pairs: dict[str, str]) -> None:
    for graph, key in pairs.items():
        assert read.trace_numbers(page[graph]) == read.trace_numbers(report.figures[key]), graph


def _in_request(plan: Plan) -> Any:
    return plan.app.server.test_request_context("/?lang=fr")


def test_the_nation_each_axis_and_each_cti_read_the_same_everywhere(
    plan: Plan, tmp_path: Path
) -> None:
    # The page modules as Dash loaded them for this app: importing dashboard.pages.* here
    # would register every page a second time under another name, and each app built after
    # it in this process would refuse to start (duplicate paths).
    axes, axis_detail, cti_detail, ctis, overview = (
        read.page_module(name) for name in ("axes", "axis_detail", "cti_detail", "ctis", "overview")
    )

    national = _report(plan.engine, None)
    national_rows = _rows(national.tables, "Code", MEASURES)
    national_book = _workbook_measures(national.xlsx)
    pdfs = {cti: _pdf_text(plan.engine, cti or None, tmp_path) for cti in plan.pdf_ctis}
    with _in_request(plan):
        view = overview._view(None)
        page = read.page_tree(overview.render(view, overview._freshness(view)))
        # The nation: key figures, the most late (same list, same order), the charts.
        shown = read.kpis(page)
        assert len(set(shown) & set(national.kpis)) >= 8
        for label in set(shown) & set(national.kpis):
            assert shown[label] == national.kpis[label], label
        late = read.page_tables(page)["overview-late-table"].by("Indicateur", MEASURES)
        # The summary's list, and the PDF's "20 most late" when it summarises a long list.
        report_lates = [
            list(t.by("Code", MEASURES).items())
            for t in national.tables
            if "Attendu à cette date" in t.heads
        ]
        assert report_lates and late
        for report_late in report_lates:
            assert report_late[: len(late)] == list(late.items())
        _agree(late, national_book, "overview / workbook")
        _same_charts(read.graphs(page), national, OVERVIEW_GRAPHS)
        if "" in pdfs:
            _in_pdf(pdfs[""], late, "national PDF")
            for value in shown.values():
                assert _shows(pdfs[""], value), value

        # Each axis: its mean achievement on /axes, its indicators on /axes/<n>.
        axes_page = read.page_tree(axes.render(axes._view(None)))
        means = [
            re.search(rf"{MEAN_ACHIEVEMENT.name()} (\S+ %|—)", read.text_of(n)).group(1)  # type: ignore[union-attr]
            for n in read.nodes(axes_page)
            if str(n["props"].get("id", "")).startswith("axes-card-")
        ]
        axes_table = next(
            t
            for t in national.tables
            if t.heads[:1] == ["Axe"] and MEAN_ACHIEVEMENT.name() in t.heads
        )
        column = axes_table.column(MEAN_ACHIEVEMENT.name())
        assert column is not None
        assert means == [row[column] for row in axes_table.rows]
        assert len(means) == 5
        for number in range(1, 6):
            axis_view = axis_detail._view(number, None, None, None)
            assert axis_view is not None
            rows = read.page_tables(read.page_tree(axis_detail.render(axis_view)))[
                axis_detail.TABLE
            ].by("Indicateur", MEASURES)
            assert rows
            _agree(rows, national_rows, f"/axes/{number} / report")
            _agree(rows, national_book, f"/axes/{number} / workbook")
            if not digest.too_long(len(national.data.indicators)):  # the PDF lists them all
                assert set(rows) <= set(national_rows)
            assert set(rows) <= set(national_book)

        # Each CTI: its row on /ctis, then its own page against its own report.
        contracts = read.page_tables(read.page_tree(ctis.render(ctis._view(None, None))))
        listed = contracts["ctis-table"].by("CTI", [MEAN_ACHIEVEMENT.name()])
        assert listed == _rows(national.tables, "CTI", [MEAN_ACHIEVEMENT.name()])
        for acronym in listed:
            cti = cti_detail._view(acronym, None, None)
            assert cti is not None
            cti_page = read.page_tree(cti_detail.render(cti, None))
            report = _report(plan.engine, acronym)
            shown = read.kpis(cti_page)
            common = set(shown) & set(report.kpis)
            assert len(common) >= 5, (acronym, shown, report.kpis)
            assert {k: shown[k] for k in common} == {k: report.kpis[k] for k in common}
            rows = read.page_tables(cti_page)[cti_detail.TABLE].by("Indicateur", MEASURES)
            in_report = _rows(report.tables, "Code", MEASURES)
            assert set(rows) <= set(in_report), acronym
            _agree(rows, in_report, f"/ctis/{acronym} / report")
            _agree(rows, _workbook_measures(report.xlsx), f"/ctis/{acronym} / workbook")
            _same_charts(read.graphs(cti_page), report, CTI_GRAPHS)
            if acronym in pdfs:
                _in_pdf(pdfs[acronym], rows, f"PDF {acronym}")
                for value in shown.values():
                    assert _shows(pdfs[acronym], value), (acronym, value)
