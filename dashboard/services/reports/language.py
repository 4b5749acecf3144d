"""The language of a report: its own labels, and its numbers and dates, through the shared i18n.

The report's labels go through ``translate(msgid, lang)`` with French message ids. The shared
read models, formatting helpers and figure builders translate with the language in force;
a report is often built outside any request (command line, worker thread), or in a language
other than the page's, so ``speaking`` sets it for them (``dashboard.i18n.use_lang``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from dashboard.i18n import direction, ngettext, pair, term, translate, use_lang
from dashboard.services import formatting

MISSING = formatting.MISSING


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Run the block with ``lang`` as the language of the shared translation calls."""
    with use_lang(lang):
        yield


@dataclass(frozen=True)
class Formats:
    """Labels, numbers and dates in one language, written as the pages write them."""

    lang: str = "fr"

    @property
    def dir(self) -> str:
        """Return the text direction: rtl for Arabic."""
        return direction(self.lang)

    def _(self, message: str, **values: Any) -> str:
        """Translate a French message id, then fill its {placeholders} (gettext's ``_``)."""
        return translate(message, self.lang, **values)

    def ngettext(self, singular: str, plural: str, count: int, **values: Any) -> str:
        """Translate a message whose wording follows ``count`` ("1 indicateur", "2 indicateurs")."""
        return ngettext(singular, plural, count, self.lang, **values)

    @property
    def mdh_unit(self) -> str:
        """Return the unit of amounts: "MDH", "مليون درهم" in Arabic (as ``fmt_mdh`` writes it)."""
        return translate("MDH", self.lang)

    def term(self, text: str) -> str:
        """Translate a reference name stored in French (a unit, a sector), when known."""
        return term(text, self.lang)

    def pair(self, label: str, value: object) -> str:
        """Join a label and a value with the language's colon: "Engagé : 12 MDH"."""
        with use_lang(self.lang):
            return pair(label, value)

    def number(self, value: float | None, decimals: int = 0) -> str:
        """Format a number: "1 234,5" in French, "1,234.5" in English."""
        return formatting.fmt_number(value, decimals, lang=self.lang)

    def mdh(self, value: float | None, decimals: int = 1) -> str:
        """Format an amount in MDH: "62,5 MDH"."""
        return formatting.fmt_mdh(value, decimals, lang=self.lang)

    def pct(self, ratio: float | None, decimals: int = 0) -> str:
        """Format a ratio as a percentage: 0.627 -> "63 %"."""
        return formatting.fmt_pct(ratio, decimals, lang=self.lang)

    def value(self, value: float | None, unit: str, decimals: int = 1) -> str:
        """Format a value with its unit, dropping useless decimals: "12 jours"."""
        return formatting.fmt_value(value, unit, decimals, lang=self.lang)

    def date(self, day: date | None) -> str:
        """Format a date in words: "11 avril 2023", "1er juin 2022"."""
        return formatting.fmt_date(day, lang=self.lang)

    def period(self, year: int | None, quarter: int | None) -> str:
        """Format a reporting period: "2025-T3", or "2025" for a whole year."""
        return formatting.fmt_period(year, quarter, lang=self.lang)
