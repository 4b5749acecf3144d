"""The chart browser of the reports: sharp images, one per process (not inherited), closed idle."""

from __future__ import annotations

import os
import time

import plotly.graph_objects as go
import pytest

from dashboard.services.reports import charts

FIGURE = go.Figure(go.Bar(x=["Axe 1", "Axe 2"], y=[45.8, 49.3]), layout={"title": "Budget"})


def test_a_figure_is_drawn_as_a_png_twice_its_size() -> None:
    server = charts.ChartServer()
    try:
        png = server.render(FIGURE, fmt="png", width=400, height=300)
        assert png.startswith(b"\x89PNG")
        assert int.from_bytes(png[16:20], "big") == 800  # width in pixels: scale 2
        assert server.running
        child = os.fork()
        if child == 0:  # a gunicorn worker forked after the start: not its browser
            os._exit(0 if not server.running else 1)
        assert os.waitpid(child, 0)[1] == 0
    finally:
        server.stop()
    assert not server.running


def test_the_browser_closes_when_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "IDLE_SECONDS", 0.2)
    monkeypatch.setattr(charts, "IDLE_CHECK_SECONDS", 0.1)
    server = charts.ChartServer()
    server.render(FIGURE, fmt="svg", width=400, height=300)
    for _ in range(50):
        if not server.running:
            break
        time.sleep(0.1)
    assert not server.running
    svg = server.render(FIGURE, fmt="svg", width=400, height=300)  # started again on demand
    assert b"<svg" in svg[:200]
    server.stop()
