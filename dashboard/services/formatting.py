"""French display formatting of numbers, amounts, rates and dates: one place for every page.

French typography groups thousands with a no-break space and uses a decimal comma:
1234.5 -> "1 234,5". Missing values show as an em dash so a table never says "None" or "nan".
"""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dashboard.domain.periods import Period
from dashboard.i18n import _

NBSP = "\u00a0"
MISSING = "—"

_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def _is_number(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def fmt_number(value: float | None, decimals: int = 0) -> str:
    """Format a number the French way: 1234.5 -> "1 234,5" (decimals fixed, halves up).

    Halves round away from zero, as in accounting (2.25 -> "2,3"), from the shortest decimal
    form of the float, so that 2.25 is not first seen as 2.2499999.
    """
    if value is None or not _is_number(value):
        return MISSING
    step = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # "-0" after rounding a tiny negative number reads as an error
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def fmt_mdh(value: float | None, decimals: int = 1) -> str:
    """Format an amount in MDH: 62.5 -> "62,5 MDH"."""
    if value is None or not _is_number(value):
        return MISSING
    return f"{fmt_number(value, decimals)}{NBSP}MDH"


def fmt_pct(ratio: float | None, decimals: int = 0) -> str:
    """Format a ratio as a percentage: 0.627 -> "63 %"."""
    if ratio is None or not _is_number(ratio):
        return MISSING
    return f"{fmt_number(ratio * 100, decimals)}{NBSP}%"


def fmt_value(value: float | None, unit: str, decimals: int = 1) -> str:
    """Format a value with its unit, dropping useless decimals: 12.0 jours -> "12 jours"."""
    if value is None or not _is_number(value):
        return MISSING
    places = 0 if float(value).is_integer() else decimals
    if unit == "%":
        return f"{fmt_number(value, places)}{NBSP}%"
    return f"{fmt_number(value, places)}{NBSP}{unit}".rstrip()


def fmt_signed_pct(ratio: float | None, decimals: int = 0) -> str:
    """Format a change as a signed percentage: 0.51 -> "+51 %"."""
    if ratio is None or not _is_number(ratio):
        return MISSING
    sign = "+" if ratio > 0 else ""
    return f"{sign}{fmt_pct(ratio, decimals)}"


def fmt_date(day: date | None) -> str:
    """Format a date in words: 2023-04-11 -> "11 avril 2023"."""
    if day is None:
        return MISSING
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {_(_MONTHS[day.month - 1])} {day.year}"


def fmt_period(year: int | None, quarter: int | None) -> str:
    """Format a reporting period: (2025, 3) -> "2025-T3", (2025, 0) -> "2025"."""
    if year is None:
        return MISSING
    return Period(int(year), int(quarter) if quarter else None).label()
