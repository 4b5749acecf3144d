"""Money and baseline figure builders: data in, traces and values out (no database)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.services.figures import baseline as baseline_figures
from dashboard.services.figures import budget as budget_figures
from dashboard.services.palette import (
    BASELINE_PLAN_COLOR,
    DISBURSED_COLOR,
)

NBSP = "\u00a0"


def budget_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Axe 1", "Axe 2"],
            "envelope": [40.0, 60.0],
            "scheduled": [20.0, 60.0],
            "committed": [30.0, 45.0],
            "disbursed": [10.0, 30.5],
            "pending_disbursed": [0.0, 2.25],
        }
    )


def test_budget_bars_draw_envelope_committed_disbursed_and_scheduled() -> None:
    fig = budget_figures.build_budget_bars_figure(budget_rows(), "Budget par axe (MDH)")
    fig = go.Figure(fig)  # validates every property
    names = [t.name for t in fig.data]
    assert names == ["Enveloppe", "Engagé", "Décaissé", "Programmé à date"]
    envelope, committed, disbursed, scheduled = fig.data
    # The first row is drawn on top: Plotly lists horizontal bars bottom-up.
    assert list(envelope.y) == ["Axe 2", "Axe 1"]
    assert list(envelope.x) == [60.0, 40.0]
    assert list(disbursed.x) == [30.5, 10.0]
    assert disbursed.marker.color == DISBURSED_COLOR
    assert list(scheduled.x) == [60.0, 20.0]
    # Hover carries the exact amount and the rate, in French.
    assert committed.customdata[0] == f"45,0{NBSP}MDH (75{NBSP}%)"
    assert fig.layout.title.text == "Budget par axe (MDH)"
    assert fig.layout.xaxis.title.text == "MDH"
    assert fig.layout.separators == f",{NBSP}"  # as the cards: 1 234,5


def test_budget_bars_leave_out_the_schedule_when_everything_is_scheduled() -> None:
    rows = budget_rows().assign(scheduled=lambda f: f["envelope"])
    fig = budget_figures.build_budget_bars_figure(rows, "Budget")
    fig = go.Figure(fig)  # validates every property
    assert [t.name for t in fig.data] == ["Enveloppe", "Engagé", "Décaissé"]


def test_budget_bars_on_no_data_say_so() -> None:
    fig = budget_figures.build_budget_bars_figure(budget_rows().iloc[0:0], "Budget")
    fig = go.Figure(fig)  # validates every property
    assert fig.data == ()
    assert "Aucune donnée" in fig.layout.annotations[0].text


def test_budget_table_formats_amounts_and_rates_in_french() -> None:
    data = budget_figures.budget_bars_table(budget_rows(), "Axe")
    assert data["head"][0] == "Axe"
    assert data["body"][1] == [
        "Axe 2",
        f"60,0{NBSP}MDH",
        f"60,0{NBSP}MDH",
        f"45,0{NBSP}MDH",
        f"30,5{NBSP}MDH",
        f"75{NBSP}%",
        f"51{NBSP}%",
        f"2,3{NBSP}MDH",
    ]


def pace_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    series = pd.DataFrame(
        {
            "date": [date(2022, 9, 30), date(2023, 6, 30), date(2024, 3, 31)],
            "committed": [5.0, 40.0, 90.0],
            "disbursed": [0.0, 12.0, 50.0],
        }
    )
    paths = pd.DataFrame(
        {
            "date": [date(y, 1, 1) for y in range(2022, 2027)],
            "linear": [0.0, 62.5, 125.0, 187.5, 250.0],
            "baseline_pace": [0.0, 16.45, 44.14, 84.98, 124.32],
        }
    )
    return series, paths


def test_cumulative_figure_has_the_paces_and_the_envelope_line() -> None:
    series, paths = pace_frames()
    fig = budget_figures.build_cumulative_figure(
        series, paths, "Décaissements", envelope=250.0, envelope_label="Enveloppe du plan"
    )
    fig = go.Figure(fig)  # validates every property
    names = [t.name for t in fig.data]
    assert names == [
        "Enveloppe du plan",
        "Rythme linéaire de l'enveloppe",
        "Rythme du plan 2014-2020",
        "Engagé (cumul)",
        "Décaissé (cumul)",
    ]
    assert list(fig.data[0].y) == [250.0, 250.0]
    assert list(fig.data[1].y) == [0.0, 62.5, 125.0, 187.5, 250.0]
    assert fig.data[2].line.color == BASELINE_PLAN_COLOR
    assert list(fig.data[4].y) == [0.0, 12.0, 50.0]
    assert fig.layout.yaxis.title.text == "MDH cumulés"


def test_cumulative_figure_without_baseline_pace_for_one_contract() -> None:
    series, paths = pace_frames()
    fig = budget_figures.build_cumulative_figure(
        series, paths.drop(columns="baseline_pace"), "T", envelope=30.0, envelope_label="E"
    )
    fig = go.Figure(fig)  # validates every property
    assert "Rythme du plan 2014-2020" not in [t.name for t in fig.data]
    table = budget_figures.cumulative_table(series, paths.drop(columns="baseline_pace"))
    assert len(table["head"]) == 4


def test_cumulative_table_reads_the_amounts_at_each_year_start() -> None:
    series, paths = pace_frames()
    body = budget_figures.cumulative_table(series, paths)["body"]
    assert body[0][0] == "01/01/2022" and body[0][2] == f"0,0{NBSP}MDH"
    # At 1 January 2024 the last cumulative point before is June 2023.
    assert body[2] == [
        "01/01/2024",
        f"40,0{NBSP}MDH",
        f"12,0{NBSP}MDH",
        f"125,0{NBSP}MDH",
        f"44,1{NBSP}MDH",
    ]


def test_envelope_split_stacks_one_bar_trace_per_year_with_totals() -> None:
    grid = pd.DataFrame({"axis": [1, 2], 2022: [1.0, 2.0], 2023: [3.0, 4.5]})
    fig = budget_figures.build_envelope_split_figure(grid, {1: "Axe 1", 2: "Axe 2"}, "Env")
    fig = go.Figure(fig)  # validates every property
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["2022", "2023"]
    assert list(bars[1].y) == [3.0, 4.5]
    assert fig.layout.barmode == "stack"
    totals = next(t for t in fig.data if t.type == "scatter")
    assert list(totals.text) == [f"4,0{NBSP}MDH", f"6,5{NBSP}MDH"]
    table = budget_figures.envelope_split_table(grid, {1: "Axe 1", 2: "Axe 2"})
    assert table["body"][-1] == ["Total", f"3,00{NBSP}MDH", f"7,50{NBSP}MDH", f"10,50{NBSP}MDH"]


def test_intensity_figure_compares_envelopes_and_yearly_intensity() -> None:
    frame = pd.DataFrame(
        {
            "plan": ["2014-2020", "2022-2025"],
            "envelope": [290.0, 250.0],
            "years": [7, 4],
            "intensity": [290 / 7, 62.5],
            "spent": [260.6, 136.42],
            "actual_years": [7.0, 4.0],
            "actual_intensity": [260.6 / 7, 136.42 / 4],
            "actual_illustrative": [True, True],
        }
    )
    fig = baseline_figures.build_intensity_figure(frame, "Intensité")
    fig = go.Figure(fig)  # validates every property
    envelope, intensity, actual = fig.data
    assert list(envelope.y) == [290.0, 250.0]
    assert list(intensity.text) == ["41,4", "62,5"]  # the axis says MDH par an
    assert list(intensity.customdata[0]) == [f"41,4{NBSP}MDH", f"290{NBSP}MDH sur 7 ans"]
    assert list(intensity.marker.color) == [BASELINE_PLAN_COLOR, DISBURSED_COLOR]
    # What was spent a year, beside what was planned, each bar named under it.
    assert list(actual.text) == ["37,2", "34,1"]
    assert [list(level) for level in actual.x] == [["2014-2020", "2022-2025"], ["Réalisée"] * 2]
    assert list(intensity.x[1]) == ["Prévue"] * 2
    body = baseline_figures.intensity_table(frame)["body"]
    assert body[0][3] == f"41,4{NBSP}MDH"
    assert body[1][4:] == [f"136,4{NBSP}MDH", "4", f"34,1{NBSP}MDH"]


def test_yearly_figure_aligns_plan_years_and_draws_both_intensities() -> None:
    frame = pd.DataFrame(
        {
            "plan_year": [1, 2, 5],
            "baseline_year": [2014, 2015, 2018],
            "baseline": [16.45, 27.69, 51.62],
            "current_year": [2022, 2023, 2026],
            "current": [0.39, 23.99, 17.9],
            "after_end": [False, False, True],
        }
    )
    fig = baseline_figures.build_yearly_figure(
        frame, "Par année", baseline_intensity=290 / 7, current_intensity=62.5, current_years=4
    )
    fig = go.Figure(fig)  # validates every property
    bars = [t for t in fig.data if t.type == "bar"]
    lines = [t for t in fig.data if t.type == "scatter"]
    assert list(bars[0].x) == ["Année 1", "Année 2", "Année 5"]
    assert list(bars[1].y) == [0.39, 23.99, 17.9]
    assert list(bars[1].marker.pattern.shape) == ["", "", "/"]
    assert [round(t.y[0], 2) for t in lines] == [41.43, 62.5]
    assert lines[1].name == "Intensité prévue 2022-2025 (62,5/an)"
    # Each plan's line spans its own years: 2022-2025 stops at its 4th year.
    assert list(lines[0].x) == ["Année 1", "Année 2", "Année 5"]
    assert list(lines[1].x) == ["Année 1", "Année 2"]


def test_network_figure_is_an_index_with_the_reference_at_100() -> None:
    frame = pd.DataFrame(
        {
            "label": ["Effectif", "Essais"],
            "unit": ["personnes", "essais"],
            "reference": [270.0, 14500.0],
            "reference_year": [2021, 2021],
            "announced_growth": [100.0, None],
            "announced_target": [540.0, None],
            "ctis_target": [540.0, 27550.0],
            "latest": [405.0, None],
            "latest_index": [1.5, None],
            "target_index": [2.0, 27550 / 14500],
        }
    )
    fig = baseline_figures.build_network_figure(frame, "Réseau")
    fig = go.Figure(fig)  # validates every property
    target, latest, reference = fig.data
    assert list(target.y) == pytest.approx([200.0, 190.0])
    assert list(latest.y) == [150.0, None]
    assert list(reference.y) == [100, 100]
    body = baseline_figures.network_table(frame)["body"]
    assert body[0][1] == f"270{NBSP}personnes (2021)"
    assert body[0][2] == f"+100{NBSP}% → 540{NBSP}personnes"
    assert body[0][5] == f"+50{NBSP}%"  # latest is 150 % of the reference
    assert body[1][4] == "—"


def test_cumulative_chart_range_holds_every_point_with_room_at_both_ends() -> None:
    # On the overview the last disbursement step (March 2026, after the plan's end) ran into
    # the chart's right edge: the range must hold every date of every line, with a margin.
    series = pd.DataFrame(
        {
            "date": pd.to_datetime(["2022-01-31", "2025-12-31", "2026-03-31"]),
            "committed": [1.0, 150.0, 204.0],
            "disbursed": [0.0, 110.0, 136.0],
        }
    )
    paths = pd.DataFrame(
        {
            "date": pd.to_datetime(["2022-01-01", "2024-01-01", "2026-01-01"]),
            "linear": [0.0, 125.0, 250.0],
        }
    )
    fig = go.Figure(
        budget_figures.build_cumulative_figure(
            series, paths, "Décaissements", envelope=250.0, envelope_label="Enveloppe"
        )
    )
    low, high = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    points = [pd.Timestamp(x) for trace in fig.data for x in trace.x]
    assert min(points) - low >= pd.Timedelta(days=20)
    assert high - max(points) >= pd.Timedelta(days=20)
    assert max(points) == pd.Timestamp("2026-03-31")
