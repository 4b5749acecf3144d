"""Group means at scale: the pandas path gives the plain Python path's numbers."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.services import aggregates

ACHIEVEMENTS = st.one_of(
    st.none(), st.just(math.nan), st.floats(min_value=-3, max_value=5, allow_nan=False)
)
ROWS = st.lists(
    st.tuples(st.sampled_from(["CETIA", "CERIC", "CTTH"]), st.integers(1, 5), ACHIEVEMENTS),
    min_size=1,
    max_size=60,
)


@settings(max_examples=80, deadline=None)
@given(ROWS)
def test_grouped_capped_means_match_the_plain_ones(rows: list[tuple[str, int, float]]) -> None:
    frame = pd.DataFrame(rows, columns=["acronym", "axis", "achievement"])
    for keys in (["acronym"], ["acronym", "axis"]):
        plain = aggregates._capped_means(frame, keys, "achievement")
        grouped = aggregates._capped_means_grouped(frame, keys, "achievement")
        assert grouped.keys() == plain.keys()
        for key, cell in plain.items():
            assert grouped[key] == pytest.approx(cell)


def test_a_plan_at_scale_takes_the_grouped_path() -> None:
    frame = pd.DataFrame(
        {"acronym": ["CETIA", "CERIC"] * 2_000, "achievement": [0.5, None] * 2_000}
    )
    assert aggregates.mean_achievement(frame, "acronym") == {"CETIA": 0.5}
    matrix = aggregates.achievement_matrix(frame.assign(axis=[1, 2] * 2_000), {})
    assert matrix["count"].tolist() == [2_000, 2_000]
