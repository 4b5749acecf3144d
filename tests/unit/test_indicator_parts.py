"""The plan's frame put together from each contract's kept frame (services/indicator_parts.py)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.services.indicator_parts import Part, compose, composed_frame, composed_table
from dashboard.services.monitoring import INDICATOR_COLUMNS, _frame

YEARS = [2022, 2023, 2024, 2025]
# Columns whose type a part's rows may leave open: only None in one part (object), whole
# numbers in another (int64), decimals with gaps in a third (float64), flags, text.
KINDS = {
    "latest_value": st.none() | st.floats(-1e6, 1e6),
    "latest_year": st.none() | st.integers(2022, 2025),
    "pending_value": st.none() | st.integers(0, 10) | st.floats(0, 10),
    "reaches_target": st.none() | st.booleans(),
    "label": st.none() | st.text(max_size=5),
    "illustrative": st.booleans(),
    "target_year": st.none() | st.floats(0, 100),
}


@st.composite
def tables(draw: Any, acronym: str) -> tuple[dict[str, list[Any]], dict[int, list[Any]]]:
    n = draw(st.integers(0, 4))
    # Within a part, a column is of one kind; parts differ (e.g. only None in one).
    columns: dict[str, list[Any]] = {}
    for name in INDICATOR_COLUMNS:
        kind = KINDS.get(name, st.integers(0, 3))
        only_none = name in KINDS and draw(st.booleans())
        columns[name] = [None if only_none else draw(kind) for _ in range(n)]
    columns["acronym"] = [acronym] * n
    columns["indicator_id"] = list(range(n))
    columns["axis"] = [draw(st.integers(1, 3)) for _ in range(n)]
    years = draw(st.lists(st.sampled_from(YEARS), unique=True).map(sorted))
    targets = {y: [draw(st.none() | st.floats(0, 100)) for _ in range(n)] for y in years}
    return columns, targets


parts_strategy = st.lists(
    st.sampled_from(["CETIA", "CTTH", "CERIMME"]).flatmap(tables), min_size=0, max_size=4
)


@settings(max_examples=300, deadline=None)
@given(parts=parts_strategy)
def test_the_frame_of_kept_parts_is_the_frame_of_their_rows(parts: list[Any]) -> None:
    kept = [Part(table) for table in parts]
    expected = _frame(*compose(parts, names=INDICATOR_COLUMNS, years=YEARS))
    got = composed_frame(kept, make=_frame, names=INDICATOR_COLUMNS, years=YEARS)
    pd.testing.assert_frame_equal(got, expected)  # values, types, columns, index


@given(parts=parts_strategy, axis=st.none() | st.integers(1, 3))
def test_the_table_of_kept_parts_is_their_rows_one_after_the_other(
    parts: list[Any], axis: int | None
) -> None:
    kept = [Part(table) for table in parts]
    columns, _targets = composed_table(kept, axis=axis, names=INDICATOR_COLUMNS, years=YEARS)
    expected = [
        i
        for table in parts
        for i, a in zip(table[0]["indicator_id"], table[0]["axis"], strict=True)
        if axis is None or a == axis
    ]
    assert columns["indicator_id"] == expected


def test_a_kept_frame_is_built_once_and_not_changed_by_its_readers() -> None:
    table = (
        {name: [1] for name in INDICATOR_COLUMNS} | {"acronym": ["CETIA"]},
        {2025: [3.0]},
    )
    built: list[int] = []

    def make(*table: Any) -> pd.DataFrame:
        built.append(1)
        return _frame(*table)

    part = Part(table)
    first = composed_frame([part], make=make, names=INDICATOR_COLUMNS, years=YEARS)
    first.loc[0, "code"] = 99  # a reader changing its frame
    first["extra"] = 1
    again = composed_frame([part], make=make, names=INDICATOR_COLUMNS, years=YEARS)
    assert built == [1]
    assert again.loc[0, "code"] == 1 and "extra" not in again.columns
