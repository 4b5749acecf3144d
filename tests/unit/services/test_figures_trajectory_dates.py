"""The trajectory chart says, on hover, the date each measured figure stands at."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.services.figures import trajectory as trajectory_figures
from tests.unit.services import test_figures_results as sample


def test_hover_gives_the_date_of_each_measured_value() -> None:
    fig = go.Figure(trajectory_figures.build_trajectory_figure(sample.trajectory_view(), "T"))
    by_name = {t.name: t for t in fig.data}
    validated, pending = by_name["Valeurs validées"], by_name["En attente de validation"]
    assert [row[2] for row in validated.customdata] == ["31 décembre 2022", "31 mars 2023"]
    assert [row[2] for row in pending.customdata] == ["30 juin 2023"]
    for trace in (validated, pending):
        assert "Date de la mesure : %{customdata[2]}" in trace.hovertemplate
