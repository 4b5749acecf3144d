"""A past year's view is as of the end of that year: time, statuses, freshness and money."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.services.reports import check_request, gather
from dashboard.services.reports.language import Formats, speaking
from dashboard.services.reports.summary import kpis as report_kpis
from tests.conftest import DEMO_TODAY
from tests.db import surfaces_support as read


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'unused.db'}",
        secret_key="test-secret-key-" + "x" * 32,
        data_dir=tmp_path,
        evidence_dir=tmp_path / "evidence",
        fixed_today=DEMO_TODAY,
        render_cache_entries=0,
    )


def test_the_overview_at_the_end_of_2023_is_half_way_through_the_plan(
    engine: Engine, tmp_path: Path
) -> None:
    """« Fin 2023 » said « Temps restant : Plan clos · 100 % du temps écoulé »."""
    app = create_app(_settings(tmp_path), engine=engine)
    overview = read.page_module("overview")  # as the app registered it

    with app.server.test_request_context("/?lang=fr"):
        view = overview._view("2023")
        fresh = overview._freshness(view)
        page = read.page_tree(overview.render(view, fresh))
    cards = {
        n["props"]["id"]: read.text_of(n)
        for n in read.nodes(page)
        if isinstance(n["props"].get("id"), str)
    }
    assert "24 mois" in cards["kpi-time"] and "50 % du temps écoulé" in cards["kpi-time"]
    assert "Plan clos" not in cards["kpi-time"]
    # Freshness as of 31 December 2023: no value of a later year, ages counted from that day.
    assert fresh.today == date(2023, 12, 31)
    assert all(f.latest is None or f.latest.year <= 2023 for f in fresh.indicators)
    assert all(f.age_days is None or f.age_days >= 0 for f in fresh.indicators)
    assert "Au 31 décembre 2023" in read.text_of(page)
    # Money: only the movements dated up to the end of 2023.
    with engine.connect() as conn:
        disbursed = conn.execute(
            text(
                "SELECT SUM(amount_mdh) FROM budgetmovement WHERE kind = 'disbursement' "
                "AND status = 'validated' AND NOT is_superseded AND on_date <= '2023-12-31'"
            )
        ).scalar()
    assert view.budget.disbursed == pytest.approx(disbursed)
    # The report of the same year says the same.
    request = check_request(engine=engine, today=DEMO_TODAY, fmt="pdf", year=2023)
    data = gather(engine=engine, today=DEMO_TODAY, request=request)
    with speaking("fr"):
        time_left = next(k for k in report_kpis(data, Formats("fr")) if k.key == "time_left")
    assert read.plain(time_left.text) == "24 mois"
    assert "50 %" in read.plain(time_left.detail)
