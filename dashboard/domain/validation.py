"""Rules a figure must pass before it is saved: pure functions, messages naming the field.

Messages are French message ids translated into the language in force (dashboard.i18n).

Every check returns a ``ValidationResult``: errors refuse the entry, warnings (an outlier, a
period not yet over) are shown to the person entering it but do not stop them. Each issue names
the form field it belongs to, so a form can show the message next to that field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dashboard.domain.budget import TOLERANCE_MDH, format_mdh
from dashboard.domain.periods import Period
from dashboard.i18n import N_, _, term
from dashboard.i18n.formats import format_fixed, format_short_date

OUTLIER_FACTOR = 3.0
TEXT_MAX = 2000
REASON_MIN = 5
_SPACES = re.compile(r"[\s\u00a0\u202f']")


@dataclass(frozen=True)
class Issue:
    """One problem with one field of a form (``field`` is the form's field name)."""

    field: str
    message: str


@dataclass(frozen=True)
class ValidationResult:
    """The errors (which refuse) and warnings (which inform) of an entry."""

    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()

    @property
    def ok(self) -> bool:
        """Tell whether nothing refuses the entry (warnings allowed)."""
        return not self.errors

    def __add__(self, other: ValidationResult) -> ValidationResult:
        """Combine the issues of two results."""
        return ValidationResult(self.errors + other.errors, self.warnings + other.warnings)

    @classmethod
    def error(cls, field: str, message: str) -> ValidationResult:
        """Build a result with one error."""
        return cls(errors=(Issue(field, message),))

    @classmethod
    def warning(cls, field: str, message: str) -> ValidationResult:
        """Build a result with one warning."""
        return cls(warnings=(Issue(field, message),))

    def errors_for(self, field: str) -> list[str]:
        """Return the error messages of one field."""
        return [issue.message for issue in self.errors if issue.field == field]

    def warnings_for(self, field: str) -> list[str]:
        """Return the warning messages of one field."""
        return [issue.message for issue in self.warnings if issue.field == field]

    def summary(self) -> str:
        """Return the error messages on one line (for the command line and the audit log)."""
        return " ; ".join(issue.message for issue in self.errors)


OK = ValidationResult()


def combine(results: Iterable[ValidationResult]) -> ValidationResult:
    """Combine many results into one."""
    total = OK
    for result in results:
        total = total + result
    return total


def fmt_num(value: float, lang: str | None = None) -> str:
    """Format a number for a message in the language: 1234.5 -> "1 234,5" in French, 12.0 -> "12".

    Up to four decimals, as many as the value needs.
    """
    if not math.isfinite(value):
        return str(value)
    decimals = len(f"{abs(value):.4f}".rstrip("0").partition(".")[2])
    return format_fixed(value, decimals, lang)


class UnitKind(StrEnum):
    """How a unit constrains its values."""

    COUNT = "count"
    PERCENT = "percent"
    AMOUNT = "amount"
    DURATION = "duration"
    OTHER = "other"


COUNT_UNITS = frozenset(
    {
        "entreprises",
        "projets",
        "essais",
        "normes",
        "personnes",
        "plateformes",
        "missions",
        "partenariats",
        "études",
        "prestations",
        "formations",
    }
)
AMOUNT_UNITS = frozenset({"mdh", "dh", "kdh"})
DURATION_UNITS = frozenset({"jours", "mois", "heures"})


@dataclass(frozen=True)
class Bounds:
    """Plausible values of a unit: hard limits refuse, the soft maximum only warns."""

    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    soft_maximum: float | None = None


BOUNDS: dict[UnitKind, Bounds] = {
    UnitKind.COUNT: Bounds(minimum=0, integer=True),
    UnitKind.PERCENT: Bounds(minimum=0, maximum=100),
    UnitKind.AMOUNT: Bounds(minimum=0, soft_maximum=10_000),
    UnitKind.DURATION: Bounds(minimum=0, soft_maximum=365),
    UnitKind.OTHER: Bounds(),
}


def unit_kind(unit: str) -> UnitKind:
    """Classify a unit ("%", "entreprises", "MDH", "jours"...) by how it limits values."""
    name = unit.strip().lower()
    if name in ("%", "pourcentage", "taux"):
        return UnitKind.PERCENT
    if name in COUNT_UNITS or name.startswith("nombre"):
        return UnitKind.COUNT
    if name in AMOUNT_UNITS:
        return UnitKind.AMOUNT
    if name in DURATION_UNITS:
        return UnitKind.DURATION
    return UnitKind.OTHER


def parse_number(raw: object, label: str | None = None) -> float:
    """Read a number typed by a person ("1 234,5", "12.5", 7) or raise ValueError saying why.

    ``label`` names the number in the message, already translated (default "La valeur").
    """
    label = label or _("La valeur")
    if isinstance(raw, bool) or raw is None:
        raise ValueError(_("{label} est vide : saisissez un nombre.", label=label))
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = _SPACES.sub("", str(raw)).replace(",", ".")
        if not text:
            raise ValueError(_("{label} est vide : saisissez un nombre.", label=label))
        try:
            number = float(text)
        except ValueError:
            raise ValueError(
                _(
                    "{label} « {raw} » n'est pas un nombre : saisissez par exemple 12 ou 12,5.",
                    label=label,
                    raw=str(raw).strip()[:40],
                )
            ) from None
    if not math.isfinite(number):
        raise ValueError(
            _(
                "{label} n'est pas un nombre fini : saisissez par exemple 12 ou 12,5.",
                label=label,
            )
        )
    return number


def check_value(value: float, unit: str, *, field: str = "value") -> ValidationResult:
    """Check a measured value against the plausible bounds of its unit."""
    if not math.isfinite(value):
        return ValidationResult.error(
            field, _("Valeur : ce n'est pas un nombre. Saisissez un nombre.")
        )
    kind = unit_kind(unit)
    bounds = BOUNDS[kind]
    shown_unit = term(unit)
    shown = f"{fmt_num(value)} {shown_unit}".strip()
    if bounds.minimum is not None and value < bounds.minimum:
        message = (
            N_(
                "Valeur négative ({shown}) : un nombre en « {unit} » ne peut pas être négatif. "
                "Saisissez {minimum} ou plus."
            )
            if kind is UnitKind.COUNT
            else N_(
                "Valeur négative ({shown}) : une valeur en « {unit} » ne peut pas être "
                "négative. Saisissez {minimum} ou plus."
            )
        )
        return ValidationResult.error(
            field,
            _(message, shown=shown, unit=shown_unit, minimum=fmt_num(bounds.minimum)),
        )
    if bounds.maximum is not None and value > bounds.maximum:
        return ValidationResult.error(
            field,
            _(
                "Valeur trop grande ({shown}) : un pourcentage est compris entre 0 et 100. "
                "Saisissez par exemple 45 pour 45 %.",
                shown=shown,
            ),
        )
    if bounds.integer and not float(value).is_integer():
        return ValidationResult.error(
            field,
            _(
                "Valeur non entière ({shown}) : un nombre de {unit} se compte en entiers. "
                "Saisissez par exemple {example}.",
                shown=shown,
                unit=shown_unit,
                example=fmt_num(math.floor(value)),
            ),
        )
    if bounds.soft_maximum is not None and value > bounds.soft_maximum:
        return ValidationResult.warning(
            field,
            _(
                "Valeur inhabituelle ({shown}) : vérifiez l'unité et l'ordre de grandeur.",
                shown=shown,
            ),
        )
    return OK


def check_outlier(
    value: float, previous: float | None, *, factor: float = OUTLIER_FACTOR, field: str = "value"
) -> ValidationResult:
    """Warn when a value is more than ``factor`` times the previous one (or below 1/factor)."""
    if previous is None or not (math.isfinite(value) and math.isfinite(previous)):
        return OK
    if previous <= 0 or value < 0:
        return OK
    if value > factor * previous:
        message = N_(
            "Valeur inhabituelle : {value} représente plus de {factor} fois la valeur "
            "précédente ({previous}). Vérifiez la saisie ; vous pouvez l'enregistrer si elle "
            "est juste."
        )
    elif value * factor < previous:
        message = N_(
            "Valeur inhabituelle : {value} représente moins d'un {factor}e de la valeur "
            "précédente ({previous}). Vérifiez la saisie ; vous pouvez l'enregistrer si elle "
            "est juste."
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
    """Check a free text: required reasons need a few words, and no text may be too long."""
    cleaned = text.strip()
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


def check_amount(amount: float, *, field: str = "amount") -> ValidationResult:
    """Check a budget amount in MDH: a positive number."""
    if not math.isfinite(amount):
        return ValidationResult.error(
            field, _("Montant : ce n'est pas un nombre. Saisissez des MDH.")
        )
    if amount <= 0:
        return ValidationResult.error(
            field,
            _(
                "Montant invalide ({amount}) : saisissez un montant positif en MDH "
                "(par exemple 1,25 pour 1 250 000 DH).",
                amount=format_mdh(amount),
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
