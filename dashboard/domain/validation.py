"""Rules a figure must pass before it is saved: pure functions, messages naming the field.

Messages are French message ids translated into the language in force (dashboard.i18n).

Every check returns a ``ValidationResult``: errors refuse the entry, warnings (an outlier, a
period not yet over) are shown to the person entering it but do not stop them: the entry is
saved and flagged. Each issue names the form field it belongs to, so a form can show the
message next to that field. The reading of typed numbers is in ``dashboard.domain.numbers``
(with the language's separators), the bounds of numbers by unit in ``dashboard.domain.bounds``,
those of dates in ``dashboard.domain.dates``, the cleaning of free text in
``dashboard.domain.text``; all are re-exported here, the one import path of the rules.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dashboard.domain.bounds import (
    BOUNDS,
    Bounds,
    UnitKind,
    bounds_for,
    check_amount,
    check_target,
    check_value,
    fmt_num,
    input_hint,
    unit_kind,
)
from dashboard.domain.budget import TOLERANCE_MDH, format_mdh
from dashboard.domain.dates import DATE_MAX, DATE_MIN, check_date, check_year, parse_date
from dashboard.domain.numbers import input_number, parse_number
from dashboard.domain.periods import Period
from dashboard.domain.results import OK, Issue, ValidationResult, combine
from dashboard.domain.text import clean_text
from dashboard.i18n import N_, _
from dashboard.i18n.formats import format_short_date

__all__ = [
    "BOUNDS",
    "DATE_MAX",
    "DATE_MIN",
    "OK",
    "Bounds",
    "Issue",
    "Move",
    "UnitKind",
    "ValidationResult",
    "bounds_for",
    "check_amount",
    "check_budget",
    "check_date",
    "check_movement_date",
    "check_outlier",
    "check_period",
    "check_target",
    "check_text",
    "check_value",
    "check_year",
    "clean_text",
    "combine",
    "fmt_num",
    "input_hint",
    "input_number",
    "parse_date",
    "parse_number",
    "period_first_day",
    "period_last_day",
    "unit_kind",
]

OUTLIER_FACTOR = 3.0
TEXT_MAX = 2000
REASON_MIN = 5


def check_outlier(
    value: float, previous: float | None, *, factor: float = OUTLIER_FACTOR, field: str = "value"
) -> ValidationResult:
    """Warn when a value is more than ``factor`` times the previous one (or below 1/factor).

    A warning does not stop the save: the value is saved and flagged (the form says so, the
    validation queue shows the same message beside it), so the message only states the fact.
    """
    if previous is None or not (math.isfinite(value) and math.isfinite(previous)):
        return OK
    if previous <= 0 or value < 0:
        return OK
    if value > factor * previous:
        message = N_(
            "Valeur inhabituelle : {value} représente plus de {factor} fois la valeur "
            "précédente ({previous})."
        )
    elif value * factor < previous:
        message = N_(
            "Valeur inhabituelle : {value} représente moins d'un {factor}e de la valeur "
            "précédente ({previous})."
        )
    else:
        return OK
    return ValidationResult.warning(
        field,
        _(message, value=fmt_num(value), factor=fmt_num(factor), previous=fmt_num(previous)),
    )


def period_first_day(period: Period) -> date:
    """Return the first day of a year or a quarter."""
    return date(period.year, 1 if period.quarter is None else (period.quarter - 1) * 3 + 1, 1)


def period_last_day(period: Period) -> date:
    """Return the last day of a year or a quarter."""
    if period.quarter is None or period.quarter == 4:
        return date(period.year, 12, 31)
    next_first = date(period.year, period.quarter * 3 + 1, 1)
    return date.fromordinal(next_first.toordinal() - 1)


def check_period(
    period: Period, *, first_year: int, last_year: int, today: date, field: str = "period"
) -> ValidationResult:
    """Refuse a period outside the plan or not yet begun; warn when it is not over yet."""
    if not first_year <= period.year <= last_year:
        return ValidationResult.error(
            field,
            _(
                "Période {period} hors du plan : choisissez une période de {first} à {last}.",
                period=period.display(),
                first=first_year,
                last=last_year,
            ),
        )
    if period_first_day(period) > today:
        return ValidationResult.error(
            field,
            _(
                "Période {period} dans le futur : elle n'a pas commencé (aujourd'hui : "
                "{today}). Choisissez une période passée.",
                period=period.display(),
                today=format_short_date(today),
            ),
        )
    if period_last_day(period) >= today:
        return ValidationResult.warning(
            field,
            _(
                "La période {period} n'est pas terminée : la valeur saisie sera provisoire.",
                period=period.display(),
            ),
        )
    return OK


def check_text(
    text: str,
    *,
    field: str,
    label: str,
    required: bool = False,
    min_length: int = REASON_MIN,
    max_length: int = TEXT_MAX,
) -> ValidationResult:
    """Check a free text: required reasons need a few words, and no text may be too long.

    The text is measured as it will be stored (``clean_text``: bidi controls removed).
    """
    cleaned = clean_text(text)
    if required and len(cleaned) < min_length:
        return ValidationResult.error(
            field,
            _(
                "{label} obligatoire : expliquez en quelques mots (au moins {count} caractères).",
                label=label,
                count=min_length,
            ),
        )
    if len(cleaned) > max_length:
        return ValidationResult.error(
            field,
            _(
                "{label} trop long ({count} caractères) : {maximum} caractères au plus.",
                label=label,
                count=len(cleaned),
                maximum=max_length,
            ),
        )
    return OK


@dataclass(frozen=True)
class Move:
    """A commitment or disbursement as the budget rules see it."""

    on_date: date
    kind: str  # "commitment" or "disbursement"
    amount: float


def check_movement_date(
    on_date: date,
    kind: str,
    *,
    first_year: int,
    last_year: int,
    today: date,
    field: str = "on_date",
) -> ValidationResult:
    """Refuse a date in the future, before the plan, or a commitment after the plan's end."""
    sane = check_date(on_date, field=field)
    if not sane.ok:
        return sane
    if on_date > today:
        return ValidationResult.error(
            field,
            _(
                "Date dans le futur ({day}) : saisissez une date passée (aujourd'hui : {today}).",
                day=format_short_date(on_date),
                today=format_short_date(today),
            ),
        )
    if on_date.year < first_year:
        return ValidationResult.error(
            field,
            _(
                "Date avant le plan ({day}) : le plan commence le 1er janvier {first}.",
                day=format_short_date(on_date),
                first=first_year,
            ),
        )
    if kind == "commitment" and on_date.year > last_year:
        return ValidationResult.error(
            field,
            _(
                "Engagement après la fin du plan ({day}) : un engagement est daté au plus tard "
                "le 31 décembre {last}.",
                day=format_short_date(on_date),
                last=last_year,
            ),
        )
    return OK


def check_budget(
    moves: Sequence[Move], envelope: float, *, field: str = "amount"
) -> ValidationResult:
    """Check a contract axis: committed within its envelope line, disbursed within committed.

    Disbursed is compared with committed at every date, so a payment dated before the
    commitment it pays is refused even if the totals end up consistent.
    """
    committed = math.fsum(m.amount for m in moves if m.kind == "commitment")
    issues = OK
    if committed - envelope > TOLERANCE_MDH:
        issues += ValidationResult.error(
            field,
            _(
                "Engagé ({committed}) au-delà de l'enveloppe de cet axe ({envelope}) de "
                "{excess} : réduisez le montant ou faites d'abord réviser l'enveloppe (avenant).",
                committed=format_mdh(committed),
                envelope=format_mdh(envelope),
                excess=format_mdh(committed - envelope),
            ),
        )
    running_committed = running_disbursed = 0.0
    for day in sorted({m.on_date for m in moves}):
        today_moves = [m for m in moves if m.on_date == day]
        running_committed += math.fsum(m.amount for m in today_moves if m.kind == "commitment")
        running_disbursed += math.fsum(m.amount for m in today_moves if m.kind == "disbursement")
        if running_disbursed - running_committed > TOLERANCE_MDH:
            issues += ValidationResult.error(
                field,
                _(
                    "Décaissé ({disbursed}) au-delà de l'engagé ({committed}) au {day} : un "
                    "décaissement ne peut dépasser les engagements enregistrés à sa date.",
                    disbursed=format_mdh(running_disbursed),
                    committed=format_mdh(running_committed),
                    day=format_short_date(day),
                ),
            )
            break
    return issues
