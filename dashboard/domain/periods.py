"""Reporting periods (a year or a quarter) and their place on a decimal time axis.

Time is measured in decimal years: 2023.0 is the first instant of 2023 and 2024.0 its end.
A period is placed at its end when a measured value is compared with a trajectory.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import total_ordering

from dashboard.i18n import _

MIN_YEAR = 1900
MAX_YEAR = 2200
QUARTERS_PER_YEAR = 4

_QUARTER_IN_YEAR_SORT = 5  # a whole year sorts after its four quarters: it ends with the 4th
_SEP = r"[\s\-\u2013/_]*"  # spaces, hyphen, en dash, slash, underscore
_PATTERNS = (
    re.compile(r"^(?P<year>\d{4})$"),
    re.compile(rf"^(?P<year>\d{{4}}){_SEP}[TQ]{_SEP}(?P<quarter>\d)$"),
    re.compile(rf"^[TQ]{_SEP}(?P<quarter>\d){_SEP}(?P<year>\d{{4}})$"),
)


@total_ordering
@dataclass(frozen=True)
class Period:
    """A whole year (quarter is None) or one quarter of a year.

    Periods sort chronologically; a whole year sorts after its own quarters, because an annual
    value is measured when the year ends. (Plain ``order=True`` would compare ``None`` with an
    int and fail, hence the explicit ordering.)
    """

    year: int
    quarter: int | None = None

    def __post_init__(self) -> None:
        """Reject years outside 1900-2200 and quarters other than 1-4 or None."""
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise ValueError(
                _(
                    "Année invalide « {year} » : indiquez une année entière.",
                    year=repr(self.year),
                )
            )
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(
                _(
                    "Année invalide « {year} » : elle doit être comprise entre {first} et {last}.",
                    year=self.year,
                    first=MIN_YEAR,
                    last=MAX_YEAR,
                )
            )
        if self.quarter is not None and (
            isinstance(self.quarter, bool)
            or not isinstance(self.quarter, int)
            or not 1 <= self.quarter <= QUARTERS_PER_YEAR
        ):
            raise ValueError(
                _(
                    "Trimestre invalide « {quarter} » : il doit valoir 1, 2, 3 ou 4 "
                    "(ou rien pour l'année entière).",
                    quarter=repr(self.quarter),
                )
            )

    def _sort_key(self) -> tuple[int, int]:
        return (self.year, _QUARTER_IN_YEAR_SORT if self.quarter is None else self.quarter)

    def __lt__(self, other: object) -> bool:
        """Order periods chronologically (see the class docstring)."""
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def start(self) -> float:
        """Return the first instant of the period in decimal years."""
        if self.quarter is None:
            return float(self.year)
        return self.year + (self.quarter - 1) / QUARTERS_PER_YEAR

    def end(self) -> float:
        """Return the end of the period in decimal years (Q1 2023 -> 2023.25, 2023 -> 2024.0)."""
        if self.quarter is None:
            return self.year + 1.0
        return self.year + self.quarter / QUARTERS_PER_YEAR

    def label(self) -> str:
        """Return the display label: "2023" or "2023-T2" (T for trimestre)."""
        if self.quarter is None:
            return str(self.year)
        return f"{self.year}-T{self.quarter}"

    def display(self, lang: str | None = None) -> str:
        """Return the label in the language: "2023-T2", "2023-Q2" in English (label() is a key)."""
        if self.quarter is None:
            return str(self.year)
        return _("{year}-T{quarter}", lang, year=self.year, quarter=self.quarter)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read "2023", "2023-T2", "2023-Q2", "2023Q2" or "T2 2023" (any case) into a Period."""
        cleaned = text.strip().upper()
        for pattern in _PATTERNS:
            match = pattern.match(cleaned)
            if match is None:
                continue
            groups = match.groupdict()
            quarter = groups.get("quarter")
            return cls(int(groups["year"]), None if quarter is None else int(quarter))
        raise ValueError(
            _("Période invalide « {text} » : utilisez 2023 ou 2023-T2.", text=text.strip())
        )


def date_to_decimal(d: datetime.date) -> float:
    """Return the date in decimal years by day of year, from the start of that day (1 Jan -> .0).

    Calendar quarters are not exactly quarters of a year, so 1 July is 2023.4959, not 2023.5.
    """
    days_in_year = datetime.date(d.year, 12, 31).timetuple().tm_yday
    return d.year + (d.timetuple().tm_yday - 1) / days_in_year


def quarter_of(d: datetime.date) -> Period:
    """Return the quarter that contains the date."""
    return Period(d.year, (d.month - 1) // 3 + 1)


def quarters_between(first_year: int, last_year: int) -> list[Period]:
    """Return every quarter from Q1 of first_year to Q4 of last_year, in order."""
    if last_year < first_year:
        raise ValueError(
            _(
                "Années inversées : la dernière année ({last}) précède la première ({first}).",
                last=last_year,
                first=first_year,
            )
        )
    return [
        Period(year, q)
        for year in range(first_year, last_year + 1)
        for q in range(1, QUARTERS_PER_YEAR + 1)
    ]
