"""Dates people enter: real calendar days within a sane range, read as forms and files write them.

30 February or a month 13 is named as such (a replayed form sent "2025-02-30" and got a 500);
a date before 2000 or after 2100 is a typing error (0024 for 2024). Forms, the Excel import and
the reference data call these, through ``dashboard.domain.validation`` and the services.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from dashboard.domain.results import OK, ValidationResult
from dashboard.i18n import _
from dashboard.i18n.formats import format_short_date

# Plans are dated from 2013 on.
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)
_ISO = re.compile(r"^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_FRENCH = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{1,4})\s*$")


def parse_date(raw: object) -> date:
    """Read a date (a date, "2024-03-15" or "15/03/2024") or raise ValueError saying why.

    A day that does not exist in the calendar (30 February, month 13) is named as such.
    """
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = "" if raw is None else str(raw).strip()
    shown = text[:40]
    iso, french = _ISO.match(text), _FRENCH.match(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups()[:3])
    elif french:
        day, month, year = (int(g) for g in french.groups())
    else:
        raise ValueError(
            _(
                "Date « {raw} » illisible : saisissez-la au format JJ/MM/AAAA "
                "(par exemple 15/03/2024).",
                raw=shown,
            )
        )
    if not 1 <= month <= 12:
        raise ValueError(
            _(
                "Date « {raw} » : ce mois n'existe pas (les mois vont de 1 à 12). Saisissez une "
                "date réelle au format JJ/MM/AAAA.",
                raw=shown,
            )
        )
    if year < 1:
        # Year 0 is in no calendar Python knows: it is out of range, whatever the day.
        raise ValueError(
            _(
                "Date hors des limites ({day}) : saisissez une date entre le {first} et le {last}.",
                day=shown,
                first=format_short_date(DATE_MIN),
                last=format_short_date(DATE_MAX),
            )
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(
            _(
                "Date « {raw} » : ce jour n'existe pas (ce mois compte {days} jours). Saisissez "
                "une date réelle au format JJ/MM/AAAA.",
                raw=shown,
                days=days,
            )
        )
    return date(year, month, day)


def check_date(day: date, *, field: str = "on_date") -> ValidationResult:
    """Refuse a date outside the sane range (a typing error such as 0024 or 2204)."""
    if DATE_MIN <= day <= DATE_MAX:
        return OK
    return ValidationResult.error(
        field,
        _(
            "Date hors des limites ({day}) : saisissez une date entre le {first} et le {last}.",
            day=format_short_date(day),
            first=format_short_date(DATE_MIN),
            last=format_short_date(DATE_MAX),
        ),
    )


def check_year(year: int, *, field: str = "year") -> ValidationResult:
    """Refuse a year outside the range of dates (a plan's first or last year, a period)."""
    if DATE_MIN.year <= year <= DATE_MAX.year:
        return OK
    return ValidationResult.error(
        field,
        _(
            "Année hors des limites ({year}) : saisissez une année de {first} à {last}.",
            year=year,
            first=DATE_MIN.year,
            last=DATE_MAX.year,
        ),
    )
