"""Numbers and dates as each language writes them, from Babel's CLDR data.

- French: 1 234,5 (no-break space between thousands, decimal comma), "11 avril 2023".
- English: 1,234.5, "11 April 2023" (British order: the ministry's English readers are
  international partners, and day-month-year matches the other two languages).
- Arabic: Western digits 0-9, as in Morocco's administration and press, with the Moroccan
  separators of CLDR's ar_MA locale: 1.234,5; Moroccan month names ("11 أبريل 2023",
  "يوليوز", "غشت"...). A minus sign carries a left-to-right mark so that "-5" is not
  reordered inside right-to-left text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, localcontext
from functools import cache

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from dashboard.i18n import DEFAULT_LANG, LANGUAGES, current_lang

NBSP = "\u00a0"
MISSING = "—"
# Babel locale behind each interface language.
LOCALES = {"fr": "fr_MA", "en": "en_GB", "ar": "ar_MA"}


@dataclass(frozen=True)
class NumberStyle:
    """How a language writes a number: separators, minus sign, space before a percent sign."""

    decimal: str
    group: str
    minus: str
    percent_gap: str

    @property
    def plotly_separators(self) -> str:
        """Return Plotly's ``separators`` layout value: decimal mark, then thousands."""
        return self.decimal + self.group


@cache
def number_style(lang: str) -> NumberStyle:
    """Return how numbers are written in a language (French for an unknown code)."""
    if lang not in LANGUAGES or lang == DEFAULT_LANG:
        # House style since the first release: a plain no-break space (CLDR has a narrow one,
        # which some fonts of the ministry's PCs lack), and "63 %" with a space.
        return NumberStyle(decimal=",", group=NBSP, minus="-", percent_gap=NBSP)
    locale = LOCALES[lang]
    return NumberStyle(
        decimal=babel_numbers.get_decimal_symbol(locale),
        group=babel_numbers.get_group_symbol(locale),
        minus=babel_numbers.get_minus_sign_symbol(locale),
        percent_gap="",
    )


def _lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else current_lang()


def is_number(value: float | None) -> bool:
    """Tell whether a value is a finite number (not None, NaN or infinite)."""
    if isinstance(value, int):
        return True  # math.isfinite raises on an int beyond any float; every int is finite
    try:
        return value is not None and math.isfinite(value)
    except (OverflowError, TypeError, ValueError):
        return False


def _exact(value: float) -> Decimal | None:
    """Return a number as a Decimal (a float from its shortest form), None if not finite."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)  # an int may be beyond any float: keep it exact
    try:
        number = Decimal(repr(float(value)))
    except (OverflowError, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def format_fixed(
    value: float, decimals: int = 0, lang: str | None = None, *, shift: int = 0
) -> str:
    """Write a number with fixed decimals in the language's style, halves rounded up.

    Halves round away from zero, as in accounting (2.25 -> "2,3"), from the shortest decimal
    form of the float, so that 2.25 is not first seen as 2.2499999. ``shift`` multiplies by
    a power of ten exactly (2 for a percentage: 1e308 as a ratio overflows a float times 100).
    Any finite number is written, however large; a missing or infinite one is an em dash.
    """
    number = _exact(value)
    if number is None:
        return MISSING
    style = number_style(_lang(lang))
    # Enough digits for the whole number and its decimals: the default context holds 28, and
    # quantize raises (decimal.InvalidOperation) on 1e28 and beyond rather than round.
    digits = len(number.as_tuple().digits) + max(number.adjusted() + shift + 1, 1) + decimals + 2
    with localcontext(Context(prec=digits, Emax=MAX_EMAX, Emin=MIN_EMIN)):
        step = Decimal(1).scaleb(-decimals)
        rounded = number.scaleb(shift).quantize(step, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = rounded.copy_abs()  # "-0" after rounding a tiny negative number looks wrong
    text = f"{rounded.copy_abs():,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", style.decimal).replace("\0", style.group)
    return f"{style.minus}{text}" if rounded < 0 else text


def percent_suffix(lang: str | None = None) -> str:
    """Return what follows a number to make it a percentage: " %" in French, "%" otherwise."""
    return number_style(_lang(lang)).percent_gap + "%"


def plotly_separators(lang: str | None = None) -> str:
    """Return Plotly's ``separators`` for the language (decimal mark, then thousands)."""
    return number_style(_lang(lang)).plotly_separators


def csv_separator(lang: str | None = None) -> str:
    """Return the field separator of a CSV for a spreadsheet in the language.

    Spreadsheets set to French or Arabic (decimal comma) split fields on ";", English on ",".
    """
    return "," if _lang(lang) == "en" else ";"


def format_plain(value: float, lang: str | None = None) -> str:
    """Write a number as a spreadsheet reads it in the language: no grouping, its decimal mark.

    For CSV files: -1234.5 -> "-1234,5" in French and Arabic, "-1234.5" in English; as many
    decimals as the value has (12.0 -> "12"); an em dash never, "" for a missing value.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not is_number(value):
        return ""
    number = float(value)
    # Never an exponent (1e20 was written "1e+20", which a person reads as text): every digit
    # of the shortest exact writing (repr), with no trailing zero after the decimal mark.
    text = format(Decimal(repr(number + 0.0)), "f")  # + 0.0: -0.0 is written "0"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", number_style(_lang(lang)).decimal)


def format_long_date(day: date, lang: str | None = None) -> str:
    """Write a date in words: "11 avril 2023", "11 April 2023", "11 أبريل 2023"."""
    code = _lang(lang)
    if code == "fr" and day.day == 1:
        return babel_dates.format_date(day, "'1er' MMMM y", locale=LOCALES[code])
    return babel_dates.format_date(day, "d MMMM y", locale=LOCALES[code])


def format_month(day: date, lang: str | None = None) -> str:
    """Write a month and year: "février 2013", "February 2013", "فبراير 2013"."""
    code = _lang(lang)
    return babel_dates.format_date(day, "MMMM y", locale=LOCALES[code])


def format_short_date(day: date) -> str:
    """Write a date in figures, day first in the three languages: "11/04/2023"."""
    return day.strftime("%d/%m/%Y")
