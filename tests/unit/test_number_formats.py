"""One number format per language on every surface (issue 19.12).

Grids wrote 9.5 and 0.134 with a dot where cards wrote 0,134; charts grouped French thousands
with another space than the cards. The cards' choice (services/formatting.py) now reaches the
grids, the charts and the CSV files: French 1 234,5, English 1,234.5, Arabic 1.234,5.
"""

from __future__ import annotations

import json
import re

import pytest

from dashboard.components.exports import csv_options
from dashboard.components.grids import grid_column_defaults, grid_options
from dashboard.i18n import use_lang
from dashboard.services.figures.common import figure, house_layout
from dashboard.services.formatting import fmt_number, format_plain, grid_number_style

NBSP = "\u00a0"
# What the cards show for 1234.5, per language (dashboard/i18n/README.md).
CARDS = {"fr": f"1{NBSP}234,5", "en": "1,234.5", "ar": "1.234,5"}


def _marks(lang: str) -> tuple[str, str]:
    """Return (decimal mark, thousands separator) as the cards write them."""
    text = fmt_number(1234.5, 1, lang=lang)
    assert text == CARDS[lang]
    return text[-2], text[1]


def _style_in(formatter: dict[str, str]) -> dict[str, object]:
    """Return the style object a grid's valueFormatter hands to ctiGridNumber."""
    found = re.fullmatch(r"ctiGridNumber\(params, (\{.*\})\)", formatter["function"])
    assert found, formatter
    style: dict[str, object] = json.loads(found.group(1))
    return style


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_charts_use_the_cards_separators(lang: str) -> None:
    decimal, group = _marks(lang)
    with use_lang(lang):
        assert house_layout("x", height=300, legend=False)["separators"] == decimal + group
        assert figure([], "x")["layout"]["separators"] == decimal + group


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_grids_use_the_cards_separators(lang: str) -> None:
    decimal, group = _marks(lang)
    with use_lang(lang):
        number = grid_options()["dataTypeDefinitions"]["number"]
        default = grid_column_defaults()["valueFormatter"]
        assert _style_in(number["valueFormatter"]) == _style_in(default) == grid_number_style()
    style = _style_in(default)
    assert (style["decimal"], style["group"]) == (decimal, group)
    assert "year" in style["ungrouped"]  # 2025, not "2 025"


def test_grid_options_keep_a_page_own_settings() -> None:
    options = grid_options({"animateRows": False, "localeText": {"page": "P"}})
    assert options["animateRows"] is False and options["localeText"]["page"] == "P"
    assert grid_column_defaults({"filter": False})["filter"] is False


@pytest.mark.parametrize(
    ("lang", "separator", "written"), [("fr", ";", "-1234,5"), ("en", ",", "-1234.5")]
)
def test_csv_files_use_the_language_decimal_mark_without_grouping(
    lang: str, separator: str, written: str
) -> None:
    with use_lang(lang):
        options = csv_options()
    assert (options["separator"], options["decimal"]) == (separator, _marks(lang)[0])
    assert format_plain(-1234.5, lang) == written
    assert format_plain(-3.0, lang) == "-3" and format_plain(float("nan"), lang) == ""
