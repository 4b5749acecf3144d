"""The trajectory's refusals write numbers in the reader's language (issue 19 loose end)."""

from __future__ import annotations

import pytest

from dashboard.domain.indicators import StatusThresholds, Trajectory
from dashboard.i18n import use_lang


@pytest.mark.parametrize(
    ("lang", "written"), [("fr", "2022,5"), ("en", "2022.5"), ("ar", "2022,5")]
)
def test_a_target_before_the_start_names_the_start_in_the_readers_format(
    lang: str, written: str
) -> None:
    with use_lang(lang), pytest.raises(ValueError, match=written):
        Trajectory(baseline=1.0, start=2022.5, targets={2020: 5.0})


def test_bad_thresholds_are_written_with_the_french_comma() -> None:
    with use_lang("fr"), pytest.raises(ValueError) as refused:
        StatusThresholds(on_track=0.5, watch=0.75)
    assert "0,5" in str(refused.value) and "0,75" in str(refused.value)
