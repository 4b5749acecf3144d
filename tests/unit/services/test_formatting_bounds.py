"""The number formatters never raise on a finite number, in any language (issue 20.4).

A target of 1e308 once made ``decimal.InvalidOperation`` in the number formatter: the CTI's
page went blank for everyone and its PDF failed. Every formatter is tried on every finite
float, every decimal count the code uses, in the three languages.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.domain.budget import format_mdh
from dashboard.domain.validation import fmt_num
from dashboard.i18n import LANGUAGES
from dashboard.i18n.formats import MISSING, format_fixed, number_style
from dashboard.services.formatting import (
    fmt_mdh,
    fmt_number,
    fmt_pct,
    fmt_signed_pct,
    fmt_value,
)

FINITE = st.floats(allow_nan=False, allow_infinity=False)
LANG = st.sampled_from(sorted(LANGUAGES))
DECIMALS = st.integers(min_value=0, max_value=6)


def _digits(text: str, lang: str) -> str:
    """Return the text without the language's group separators, decimal mark as a dot."""
    style = number_style(lang)
    return text.replace(style.group, "").replace(style.decimal, ".")


@settings(max_examples=400, deadline=None)
@given(value=FINITE, decimals=DECIMALS, lang=LANG)
def test_every_formatter_writes_every_finite_number(value: float, decimals: int, lang: str) -> None:
    for text in (
        fmt_number(value, decimals, lang=lang),
        fmt_mdh(value, decimals, lang=lang),
        fmt_pct(value, decimals, lang=lang),
        fmt_signed_pct(value, decimals, lang=lang),
        fmt_value(value, "jours", decimals, lang=lang),
        fmt_value(value, "%", decimals, lang=lang),
        format_mdh(value, lang),
        fmt_num(value, lang),
    ):
        assert text and text != MISSING
        assert "nan" not in text.lower() and "inf" not in text.lower()


@settings(max_examples=300, deadline=None)
@given(value=FINITE, decimals=DECIMALS, lang=LANG)
def test_the_written_number_is_the_value_rounded(value: float, decimals: int, lang: str) -> None:
    text = _digits(format_fixed(value, decimals, lang), lang)
    minus = number_style(lang).minus
    number = -float(text.removeprefix(minus)) if text.startswith(minus) else float(text)
    assert abs(number - value) <= 0.5 * 10**-decimals * (1 + 1e-9) + abs(value) * 1e-15


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
@pytest.mark.parametrize("value", [1e308, -1e308, sys.float_info.max, 5e-324, -5e-324])
def test_extreme_values_are_written_in_full(value: float, lang: str) -> None:
    text = fmt_number(value, 1, lang=lang)
    assert len(_digits(text, lang).lstrip(number_style(lang).minus)) >= 3
    assert fmt_pct(value, lang=lang).endswith("%")  # x100 overflows a float, not the formatter


def test_a_percentage_of_the_largest_float_is_exact() -> None:
    assert fmt_pct(1e308, lang="en") == f"{10**310:,}%"


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_huge_integers_and_non_finite_values_do_not_raise(lang: str) -> None:
    assert fmt_number(10**400, lang=lang).startswith("1")  # an int beyond any float
    for value in (float("nan"), float("inf"), float("-inf"), None):
        assert fmt_number(value, lang=lang) == MISSING
        assert format_fixed(value, 1, lang) == MISSING  # type: ignore[arg-type]
