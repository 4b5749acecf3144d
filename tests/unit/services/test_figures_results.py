"""Results and trajectory figure builders: data in, traces and values out (no database)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.domain.indicators import Status
from dashboard.services.figures import money as money_figures
from dashboard.services.figures import results as result_figures
from dashboard.services.figures import trajectory as trajectory_figures
from dashboard.services.formatting import fmt_number
from dashboard.services.monitoring import IndicatorRow
from dashboard.services.palette import (
    CTI_COLORS,
    PENDING_COLOR,
    STATUS_COLORS,
    cti_color,
)
from dashboard.services.trajectory import TrajectoryView

NBSP = "\u00a0"


def status_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["CETIA", "CTTH"],
            "on_track": [5, 2],
            "watch": [3, 1],
            "late": [1, 4],
            "no_data": [0, 1],
        }
    )


def test_status_figure_lets_plotly_space_the_ticks_of_large_counts() -> None:
    """A tick every two indicators suits a contract, not a plan of thousands (8 s to draw)."""
    small = result_figures.build_status_figure(status_rows(), "Statuts")
    assert small["layout"]["xaxis"]["dtick"] == 2
    large = status_rows().assign(on_track=[900, 850])
    assert "dtick" not in result_figures.build_status_figure(large, "Statuts")["layout"]["xaxis"]


def test_status_figure_has_one_trace_per_status_in_the_shared_colours() -> None:
    fig = result_figures.build_status_figure(status_rows(), "Statuts")
    fig = go.Figure(fig)  # validates every property
    assert [t.name for t in fig.data] == ["En retard", "À surveiller", "Conforme", "Sans donnée"]
    late = fig.data[0]
    assert late.marker.color == STATUS_COLORS[Status.LATE]
    assert list(late.y) == ["CTTH", "CETIA"] and list(late.x) == [4, 1]
    table = result_figures.status_table(status_rows(), "CTI")
    assert table["body"][1] == ["CTTH", "4", "1", "2", "1", "8"]
    many = status_rows().assign(late=1274)
    assert result_figures.status_table(many, "CTI")["body"][1][1] == fmt_number(1274) != "1274"


def test_matrix_shows_percentages_and_blank_cells() -> None:
    frame = pd.DataFrame(
        {
            "acronym": ["CETIA", "CETIA", "CTTH"],
            "axis_label": ["Axe 1", "Axe 2", "Axe 1"],
            "axis_title": ["Axe 1 · A", "Axe 2 · B", "Axe 1 · A"],
            "achievement": [0.5, 1.0, 0.875],
            "count": [2, 1, 3],
        }
    )
    fig = result_figures.build_matrix_figure(frame, "Matrice")
    fig = go.Figure(fig)  # validates every property
    (heat,) = fig.data
    assert heat.type == "heatmap"
    assert list(heat.y) == ["CTTH", "CETIA"]
    assert list(heat.x) == ["Axe 1", "Axe 2"]
    assert list(heat.z[1]) == [50.0, 100.0]
    assert heat.z[0][1] is None  # CTTH has no indicator on axis 2
    assert list(heat.text[0]) == [f"88{NBSP}%", "—"]
    assert heat.customdata[1][0] == [2, "Axe 1 · A"]
    assert (heat.zmin, heat.zmax) == (0, 100)
    table = result_figures.matrix_table(frame)
    assert table["body"][0] == ["CETIA", f"50{NBSP}%", f"100{NBSP}%"]


def spread_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["Axe 1"] * 6 + ["Axe 2"],
            "label": [f"Indicateur {i}" for i in range(7)],
            "acronym": ["CETIA"] * 7,
            "code": [f"CETIA-A1-0{i}" for i in range(7)],
            "achievement": [0.4, 0.9, 1.0, 1.1, 1.05, None, 0.85],
            "status": ["late", "watch", "on_track", "on_track", "on_track", "no_data", "watch"],
        }
    )


def test_spread_draws_points_by_status_a_box_and_the_target_line() -> None:
    fig = result_figures.build_spread_figure(spread_rows(), "Dispersion", target_label="Objectif")
    fig = go.Figure(fig)  # validates every property
    kinds = [(t.type, t.name) for t in fig.data]
    assert ("box", "Axe 1") in kinds  # five indicators with a value: enough for a box
    assert ("box", "Axe 2") not in kinds
    points = {t.name: t for t in fig.data if t.type == "scatter" and t.mode == "markers"}
    assert set(points) == {"En retard", "À surveiller", "Conforme"}  # no-data has no value
    assert list(points["À surveiller"].x) == [90.0, 85.0]
    assert points["En retard"].marker.color == STATUS_COLORS[Status.LATE]
    target = fig.data[-1]
    assert target.name == "Objectif" and list(target.x) == [100, 100]


def test_money_results_flags_spending_ahead_of_results() -> None:
    frame = pd.DataFrame(
        {
            "acronym": ["CETIA", "CTTH", "CTPC"],
            "spent_share": [0.6, 0.9, None],
            "results_share": [0.7, 0.5, 0.4],
            "ahead": [False, True, None],
        }
    )
    fig = money_figures.build_money_results_figure(frame, "Dépense", tolerance=0.15)
    fig = go.Figure(fig)  # validates every property
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["À examiner"].text) == ["CTTH"]
    assert list(by_name["À examiner"].x) == [90.0]
    assert list(by_name["En phase"].marker.color) == [CTI_COLORS["CETIA"]]
    assert "Dépense en avance des résultats" in by_name
    table = money_figures.money_results_table(frame)
    assert [row[3] for row in table["body"]] == ["En phase", "À examiner", "—"]


def trajectory_view() -> TrajectoryView:
    row = IndicatorRow(
        indicator_id=1,
        code="CETIA-A1-01",
        label="Entreprises bénéficiaires",
        unit="entreprises",
        direction="higher",
        acronym="CETIA",
        axis=1,
        axis_short="Assistance",
        baseline=100.0,
        targets={2022: 120.0, 2023: 150.0},
        target_year=150.0,
        final_target=150.0,
        latest_value=130.0,
        latest_year=2023,
        latest_quarter=1,
        expected=127.5,
        achievement=0.6,
        achievement_final=0.6,
        pace_ratio=1.1,
        status="on_track",
        projected_end=160.0,
        pace_current=24.0,
        pace_needed=26.7,
        reaches_target=True,
        pending_count=1,
        pending_value=133.0,
        pending_year=2023,
        pending_quarter=2,
        network_metric="",
        baseline_measure="",
        like_for_like=True,
        illustrative=True,
    )
    plan = pd.DataFrame(
        {
            "date": [date(2022, 1, 1), date(2022, 12, 31), date(2023, 12, 31)],
            "value": [100.0, 120.0, 150.0],
            "kind": ["baseline", "target", "target"],
            "year": [2021, 2022, 2023],
        }
    )
    points = pd.DataFrame(
        {
            "date": [date(2022, 12, 31), date(2023, 3, 31), date(2023, 6, 30)],
            "value": [118.0, 130.0, 133.0],
            "period": ["2022-T4", "2023-T1", "2023-T2"],
            "state": ["validated", "validated", "pending"],
        }
    )
    projection = pd.DataFrame(
        {"date": [date(2023, 3, 31), date(2023, 12, 31)], "value": [130.0, 160.0]}
    )
    return TrajectoryView(row=row, plan=plan, points=points, projection=projection)


def test_trajectory_draws_plan_targets_validated_pending_and_projection() -> None:
    fig = trajectory_figures.build_trajectory_figure(trajectory_view(), "Trajectoire")
    fig = go.Figure(fig)  # validates every property
    by_name = {t.name: t for t in fig.data}
    assert list(by_name) == [
        "Référence fin 2014-2020",
        "Trajectoire prévue",
        "Objectifs annuels",
        "Valeurs validées",
        "En attente de validation",
        "Projection au rythme actuel",
    ]
    assert list(by_name["Objectifs annuels"].y) == [120.0, 150.0]
    assert list(by_name["Valeurs validées"].y) == [118.0, 130.0]
    assert by_name["Valeurs validées"].line.color == cti_color("CETIA")
    pending = by_name["En attente de validation"]
    assert list(pending.y) == [133.0]
    assert pending.marker.symbol == "circle-open" and pending.marker.color == PENDING_COLOR
    assert by_name["Projection au rythme actuel"].line.dash == "dash"
    assert list(by_name["Référence fin 2014-2020"].y) == [100.0, 100.0]
    assert fig.layout.yaxis.title.text == "entreprises"


def test_trajectory_table_lists_every_point_in_time_order() -> None:
    body = trajectory_figures.trajectory_table(trajectory_view())["body"]
    labels = [row[1] for row in body]
    assert labels[0] == "Référence"
    assert "2023-T2 · En attente de validation" in labels
    # The projection and the last target both fall on 31 December 2023 (stable sort).
    assert labels[-2:] == ["Objectif 2023", "Projection au rythme actuel"]
    assert body[0][2] == f"100{NBSP}entreprises"


def crowded_rows(count: int) -> pd.DataFrame:
    """Many indicators in two groups, as at scale: achievements 40 % to 120 %, three statuses."""
    statuses = ["late", "watch", "on_track"]
    return pd.DataFrame(
        {
            "group": ["Axe 1" if i % 3 else "Axe 2" for i in range(count)],
            "label": [f"Indicateur {i}" for i in range(count)],
            "acronym": ["CETIA"] * count,
            "code": [f"CETIA-{i:05d}" for i in range(count)],
            "achievement": [0.4 + (i * 37 % 81) / 100 for i in range(count)],
            "status": [statuses[i % 3] for i in range(count)],
        }
    )


def test_thousands_of_indicators_share_dots_that_count_them() -> None:
    """At scale, one dot per group, status and 2 points of achievement, sized by its count."""
    frame = crowded_rows(3_000)
    fig = go.Figure(result_figures.build_spread_figure(frame, "Dispersion", target_label="Obj"))
    dots = {t.name: t for t in fig.data if t.type == "scatter" and t.mode == "markers"}
    assert set(dots) == {"En retard", "À surveiller", "Conforme"}
    assert sum(len(t.x) for t in dots.values()) < 3_000 / 5  # far fewer marks than indicators
    for name, status in (
        ("En retard", "late"),
        ("À surveiller", "watch"),
        ("Conforme", "on_track"),
    ):
        # Every indicator is counted once, in its status's dots.
        assert sum(dots[name].customdata) == int((frame["status"] == status).sum())
        assert all(x % result_figures.BIN_PCT == 0 for x in dots[name].x)
        assert max(dots[name].marker.size) <= result_figures.MAX_DOT
    assert result_figures.spread_note(frame).startswith("Plus de 1")


def test_a_few_indicators_are_drawn_one_by_one_without_a_note() -> None:
    fig = result_figures.build_spread_figure(spread_rows(), "Dispersion", target_label="Obj")
    points = [t for t in fig["data"] if t["type"] == "scatter" and t["mode"] == "markers"]
    assert sum(len(t["x"]) for t in points) == 6  # one per indicator with a value
    assert result_figures.spread_note(spread_rows()) == ""
