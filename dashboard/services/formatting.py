"""Display formatting of numbers, amounts, rates and dates: one place for every page.

Each function writes in the language in force (the request's, or ``use_lang``), or in the
``lang`` given. French typography groups thousands with a no-break space and uses a decimal
comma: 1234.5 -> "1 234,5"; English writes "1,234.5"; Arabic "1.234,5" with Western digits
(see dashboard/i18n/formats.py). Missing values show as an em dash so a table never says
"None" or "nan".

The same choice reaches every surface from here: the grids (``grid_number_style``, used by
components/grids.py), the charts (``plotly_separators``, figures/common.py) and the CSV files
(``csv_separator`` and ``format_plain``: no grouping, so that a spreadsheet reads a number).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dashboard.i18n import LANGUAGES, _, current_lang, term
from dashboard.i18n.formats import (
    MISSING,
    NBSP,
    csv_separator,
    format_fixed,
    format_long_date,
    format_month,
    format_plain,
    is_number,
    number_style,
    percent_suffix,
    plotly_separators,
)

# The most decimals a grid shows, and its Excel file (values are entered with up to four).
GRID_DECIMALS = 4
# Grid columns whose whole numbers are names rather than quantities: 2025, not "2 025".
UNGROUPED_FIELDS = ("year", "row", "id")

__all__ = [
    "GRID_DECIMALS",
    "MISSING",
    "NBSP",
    "UNGROUPED_FIELDS",
    "csv_separator",
    "csv_style",
    "fmt_date",
    "fmt_mdh",
    "fmt_month",
    "fmt_number",
    "fmt_pct",
    "fmt_period",
    "fmt_signed_pct",
    "fmt_value",
    "format_plain",
    "grid_number_style",
    "plotly_separators",
]


def fmt_number(value: float | None, decimals: int = 0, *, lang: str | None = None) -> str:
    """Format a number: 1234.5 -> "1 234,5" in French (decimals fixed, halves up)."""
    if value is None or not is_number(value):
        return MISSING
    return format_fixed(value, decimals, lang)


def fmt_mdh(value: float | None, decimals: int = 1, *, lang: str | None = None) -> str:
    """Format an amount in MDH: 62.5 -> "62,5 MDH" ("62,5 مليون درهم" in Arabic)."""
    if value is None or not is_number(value):
        return MISSING
    return f"{format_fixed(value, decimals, lang)}{NBSP}{_('MDH', lang)}"


def fmt_pct(ratio: float | None, decimals: int = 0, *, lang: str | None = None) -> str:
    """Format a ratio as a percentage: 0.627 -> "63 %" ("63%" in English and Arabic)."""
    if ratio is None or not is_number(ratio):
        return MISSING
    return f"{format_fixed(ratio, decimals, lang, shift=2)}{percent_suffix(lang)}"


def fmt_value(value: float | None, unit: str, decimals: int = 1, *, lang: str | None = None) -> str:
    """Format a value with its unit, dropping useless decimals: 12.0 jours -> "12 jours".

    The unit is stored in French ("jours", "entreprises") and translated when known.
    """
    if value is None or not is_number(value):
        return MISSING
    places = 0 if float(value).is_integer() else decimals
    if unit == "%":
        return f"{format_fixed(value, places, lang)}{percent_suffix(lang)}"
    return f"{format_fixed(value, places, lang)}{NBSP}{term(unit, lang)}".rstrip()


def fmt_signed_pct(ratio: float | None, decimals: int = 0, *, lang: str | None = None) -> str:
    """Format a change as a signed percentage: 0.51 -> "+51 %"."""
    if ratio is None or not is_number(ratio):
        return MISSING
    sign = "+" if ratio > 0 else ""
    return f"{sign}{fmt_pct(ratio, decimals, lang=lang)}"


def fmt_date(day: date | None, *, lang: str | None = None) -> str:
    """Format a date in words: 2023-04-11 -> "11 avril 2023" ("1er" for the first)."""
    if day is None:
        return MISSING
    return format_long_date(day, lang)


def fmt_month(day: date | None, *, lang: str | None = None) -> str:
    """Format a month in words: 2013-02-01 -> "février 2013"."""
    if day is None:
        return MISSING
    return format_month(day, lang)


def fmt_period(year: int | None, quarter: int | None, *, lang: str | None = None) -> str:
    """Format a reporting period: (2025, 3) -> "2025-T3" ("2025-Q3"), (2025, 0) -> "2025"."""
    if year is None:
        return MISSING
    if not quarter:
        return str(int(year))
    return _("{year}-T{quarter}", lang, year=int(year), quarter=int(quarter))


def grid_number_style(lang: str | None = None) -> dict[str, Any]:
    """Return how a grid (AG Grid, in the browser) writes numbers: the cards' separators.

    {"decimal", "group", "minus", "decimals", "ungrouped"}: assets/grids.js writes up to
    ``decimals`` decimals, with the language's marks, as ``fmt_number`` does on the server.
    """
    style = number_style(lang if lang in LANGUAGES else current_lang())
    return {
        "decimal": style.decimal,
        "group": style.group,
        "minus": style.minus,
        "decimals": GRID_DECIMALS,
        "ungrouped": list(UNGROUPED_FIELDS),
    }


def csv_style(lang: str | None = None) -> dict[str, str]:
    """Return how a CSV for a spreadsheet in the language writes fields and numbers.

    {"separator": ";" or ",", "decimal": the decimal mark}; numbers are not grouped in a CSV
    (a spreadsheet would read "1 234,5" as text), see ``format_plain``.
    """
    code = lang if lang in LANGUAGES else current_lang()
    return {"separator": csv_separator(code), "decimal": number_style(code).decimal}
