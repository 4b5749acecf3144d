"""What a number or a date may be, by unit: the one definition every entry path checks.

A count is a whole number from 0 to a million; a percentage is 0 to 100; an amount in MDH is
positive and within the scale of a plan's envelope; a duration is positive and at most ten
years. Beyond a hard limit the entry is refused with a message saying what is plausible; a soft
limit only asks the person to check. Targets obey the bounds of values, and a target of 0 for an
indicator that must rise is refused (it sets no progress to make). Dates: ``domain.dates``.

Forms, the Excel import, the command line and the reference data all call these functions
(through ``dashboard.domain.validation`` and the services), so a figure the database holds is
always one the pages, the PDF and the Excel report can show.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

from dashboard.domain.budget import format_mdh
from dashboard.domain.results import OK, ValidationResult
from dashboard.i18n import N_, _, current_lang, term
from dashboard.i18n.formats import format_fixed, number_style

# Beyond this, a number is written with an exponent in messages (it is refused anyway).
_HUGE = 1e15


def fmt_num(value: float, lang: str | None = None) -> str:
    """Format a number for a message in the language: 1234.5 -> "1 234,5" in French, 12.0 -> "12".

    Up to four decimals, as many as the value needs; an absurd magnitude (1e28) is written
    with an exponent, so that a message can always name the number it refuses.
    """
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= _HUGE:
        return f"{value:.3g}".replace(".", number_style(lang or current_lang()).decimal)
    decimals = len(f"{abs(value):.4f}".rstrip("0").partition(".")[2])
    return format_fixed(value, decimals, lang)


class UnitKind(StrEnum):
    """How a unit constrains its values."""

    COUNT = "count"
    PERCENT = "percent"
    GROWTH = "growth"
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
# A percentage named as a change ("% de croissance", "% vs 2021", "taux d'évolution"): the
# network's announced targets are +165 % and +156 %, and a fall is a legitimate -5 %.
_GROWTH = re.compile(
    r"^(?:%|pourcentage\b|taux\b).*\b(?:croissance|évolution|evolution|variation|progression|hausse"
    r"|vs|par\s+rapport)\b"
)


@dataclass(frozen=True)
class Bounds:
    """Plausible values of a unit: hard limits refuse, the soft maximum only warns."""

    minimum: float
    maximum: float
    integer: bool = False
    soft_maximum: float | None = None


# The network does some 14,500 tests a year with 270 staff: a million of anything a CTI counts
# in a period is a typing error. The plans' envelopes are 250 and 290 MDH: 100,000 MDH (a
# hundred billion dirhams) is beyond any figure the ministry or a CTI reports.
COUNT_MAX = 1_000_000
AMOUNT_MAX_MDH = 100_000.0
AMOUNT_SMALL_MDH = 0.001  # 1,000 DH: smaller is an amount typed in the wrong unit, or a test
OTHER_LIMIT = 1e9
BOUNDS: dict[UnitKind, Bounds] = {
    UnitKind.COUNT: Bounds(0, COUNT_MAX, integer=True),
    UnitKind.PERCENT: Bounds(0, 100),
    # A change of a positive quantity is above -100 %; beyond +1000 % (eleven times) it is a
    # typing error, the plan's most ambitious target being +165 %.
    UnitKind.GROWTH: Bounds(-100, 1000),
    UnitKind.AMOUNT: Bounds(0, AMOUNT_MAX_MDH, soft_maximum=10_000),
    UnitKind.DURATION: Bounds(0, 3_660, soft_maximum=365),
    UnitKind.OTHER: Bounds(-OTHER_LIMIT, OTHER_LIMIT),
}
# Units whose scale differs from their kind's (the kind's bounds are in MDH and days).
UNIT_BOUNDS: dict[str, Bounds] = {
    "kdh": Bounds(0, AMOUNT_MAX_MDH * 1e3, soft_maximum=1e7),
    "dh": Bounds(0, AMOUNT_MAX_MDH * 1e6, soft_maximum=1e10),
    "mois": Bounds(0, 120, soft_maximum=24),
    "heures": Bounds(0, 10_000_000, soft_maximum=1_000_000),
}


def unit_kind(unit: str) -> UnitKind:
    """Classify a unit ("%", "entreprises", "MDH", "jours"...) by how it limits values."""
    name = unit.strip().lower()
    if _GROWTH.search(name):
        return UnitKind.GROWTH
    if name in ("%", "pourcentage", "taux"):
        return UnitKind.PERCENT
    if name in COUNT_UNITS or name.startswith("nombre"):
        return UnitKind.COUNT
    if name in AMOUNT_UNITS:
        return UnitKind.AMOUNT
    if name in DURATION_UNITS:
        return UnitKind.DURATION
    return UnitKind.OTHER


def bounds_for(unit: str) -> Bounds:
    """Return the bounds of a unit (its own when its scale differs from its kind's)."""
    return UNIT_BOUNDS.get(unit.strip().lower()) or BOUNDS[unit_kind(unit)]


HINTS = {
    UnitKind.COUNT: N_("Un nombre entier, par exemple 12"),
    UnitKind.PERCENT: N_("Un pourcentage de 0 à 100, par exemple 45 ou 45,5"),
    UnitKind.GROWTH: N_("Une évolution en pourcentage, de -100 à 1000, par exemple 12,5 ou -5"),
    UnitKind.AMOUNT: N_("Un montant positif, par exemple 12 ou 12,5"),
    UnitKind.DURATION: N_("Une durée positive, par exemple 12 ou 12,5"),
    UnitKind.OTHER: N_("Un nombre, par exemple 12 ou 12,5"),
}


def input_hint(unit: str) -> str:
    """Say what to type in a value field of this unit: whole numbers for counts."""
    return _(HINTS[unit_kind(unit)])


# The messages of a value and of a target (an objective), by what is wrong.
MESSAGES = {
    ("value", "negative_count"): N_(
        "Valeur négative ({shown}) : un nombre en « {unit} » ne peut pas être négatif. "
        "Saisissez {minimum} ou plus."
    ),
    ("value", "negative"): N_(
        "Valeur négative ({shown}) : une valeur en « {unit} » ne peut pas être "
        "négative. Saisissez {minimum} ou plus."
    ),
    ("value", "percent"): N_(
        "Valeur trop grande ({shown}) : un pourcentage est compris entre 0 et 100. "
        "Saisissez par exemple 45 pour 45 %."
    ),
    ("value", "too_big"): N_(
        "Valeur trop grande ({shown}) : une valeur en « {unit} » ne dépasse pas {maximum}. "
        "Vérifiez la saisie (un zéro de trop ?) et l'unité."
    ),
    ("value", "outside"): N_(
        "Valeur hors limites ({shown}) : une valeur en « {unit} » est comprise entre "
        "{minimum} et {maximum}. Vérifiez la saisie et l'unité."
    ),
    ("value", "fraction"): N_(
        "Valeur non entière ({shown}) : un nombre de {unit} se compte en entiers. "
        "Saisissez par exemple {example}."
    ),
    ("target", "negative_count"): N_(
        "Objectif négatif ({shown}) : un objectif en « {unit} » ne peut pas être négatif. "
        "Saisissez {minimum} ou plus."
    ),
    ("target", "percent"): N_(
        "Objectif trop grand ({shown}) : un pourcentage est compris entre 0 et 100. "
        "Saisissez par exemple 45 pour 45 %."
    ),
    ("target", "too_big"): N_(
        "Objectif trop grand ({shown}) : un objectif en « {unit} » ne dépasse pas {maximum}. "
        "Vérifiez la saisie (un zéro de trop ?) et l'unité."
    ),
    ("target", "outside"): N_(
        "Objectif hors limites ({shown}) : un objectif en « {unit} » est compris entre "
        "{minimum} et {maximum}. Vérifiez la saisie et l'unité."
    ),
    ("target", "fraction"): N_(
        "Objectif non entier ({shown}) : un nombre de {unit} se compte en entiers. "
        "Saisissez par exemple {example}."
    ),
}
MESSAGES[("target", "negative")] = MESSAGES[("target", "negative_count")]
# French elides "de" before a vowel or a mute h: « un nombre d'entreprises », « d'heures »,
# but « de jours ». The translations of both forms are the same.
MESSAGES[("value", "fraction_elided")] = N_(
    "Valeur non entière ({shown}) : un nombre d'{unit} se compte en entiers. "
    "Saisissez par exemple {example}."
)
MESSAGES[("target", "fraction_elided")] = N_(
    "Objectif non entier ({shown}) : un nombre d'{unit} se compte en entiers. "
    "Saisissez par exemple {example}."
)
_VOWELS = frozenset("aeiouàâäéèêëîïôöùûüœæ")
# The few units a CTI might count whose h is aspirated: « de hangars », not « d'hangars ».
_ASPIRATED_H = ("hangar", "halle", "hall", "haut", "hausse", "hameau")


def _elides(word: str) -> bool:
    """Tell whether French writes « d' » before a word: a vowel or a mute h (« d'heures »)."""
    name = word.strip().lower()
    if name.startswith("h"):
        return not name.startswith(_ASPIRATED_H)
    return name[:1] in _VOWELS


def _problem(value: float, kind: UnitKind, bounds: Bounds) -> str | None:
    """Name what is wrong with a finite value against its bounds, or None."""
    if kind in (UnitKind.OTHER, UnitKind.GROWTH):
        inside = bounds.minimum <= value <= bounds.maximum
        return None if inside else "outside"
    if value < bounds.minimum:
        return "negative_count" if kind is UnitKind.COUNT else "negative"
    if value > bounds.maximum:
        return "percent" if kind is UnitKind.PERCENT else "too_big"
    if bounds.integer and not float(value).is_integer():
        return "fraction"
    return None


def _finite(value: float) -> float | None:
    """Return the value as a float, None when it is not finite or beyond any float (10**400).

    An int of any size is a Python number: ``math.isfinite`` raises OverflowError on it.
    """
    try:
        number = float(value)
    except (OverflowError, TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _not_finite(field: str, label: str) -> ValidationResult:
    return ValidationResult.error(
        field,
        _("{label} n'est pas un nombre fini : saisissez par exemple 12 ou 12,5.", label=label),
    )


def check_value(
    value: float, unit: str, *, field: str = "value", subject: str = "value"
) -> ValidationResult:
    """Check a measured value (or, with ``subject="target"``, a target) against its unit."""
    number = _finite(value)
    if number is None:
        return (
            _not_finite(field, _("La valeur"))
            if isinstance(value, int)
            else ValidationResult.error(
                field, _("Valeur : ce n'est pas un nombre. Saisissez un nombre.")
            )
        )
    value = number
    kind, bounds = unit_kind(unit), bounds_for(unit)
    shown_unit = term(unit)
    shown = f"{fmt_num(value)} {shown_unit}".strip()
    problem = _problem(value, kind, bounds)
    if problem == "fraction" and _elides(shown_unit):
        problem = "fraction_elided"
    if problem is not None:
        return ValidationResult.error(
            field,
            _(
                MESSAGES[(subject, problem)],
                shown=shown,
                unit=shown_unit,
                minimum=fmt_num(bounds.minimum),
                maximum=fmt_num(bounds.maximum),
                example=fmt_num(math.floor(value)),
            ),
        )
    if subject == "value" and bounds.soft_maximum is not None and value > bounds.soft_maximum:
        return ValidationResult.warning(
            field,
            _(
                "Valeur inhabituelle ({shown}) : vérifiez l'unité et l'ordre de grandeur.",
                shown=shown,
            ),
        )
    return OK


def check_target(
    value: float, unit: str, *, direction: str = "higher", field: str = "new_value"
) -> ValidationResult:
    """Check a yearly target: the bounds of its unit, and above 0 when the indicator must rise."""
    result = check_value(value, unit, field=field, subject="target")
    if result.ok and direction == "higher" and value == 0:
        return ValidationResult.error(
            field,
            _(
                "Objectif nul : un objectif de 0 ne fixe aucun progrès à un indicateur qui doit "
                "augmenter. Saisissez la valeur visée en « {unit} », plus grande que 0.",
                unit=term(unit),
            ),
        )
    return result


def check_amount(
    amount: float, *, field: str = "amount", ceiling: float | None = None, allow_zero: bool = False
) -> ValidationResult:
    """Check an amount in MDH: positive (or zero when allowed), and at most ``ceiling``.

    ``ceiling`` is the scale it belongs to (a plan's envelope for a movement or an envelope
    line); without one, the absolute limit of an amount in MDH. Below 1,000 DH it only warns.
    """
    number = _finite(amount)
    if number is None:
        return (
            _not_finite(field, _("Le montant"))
            if isinstance(amount, int)
            else ValidationResult.error(
                field, _("Montant : ce n'est pas un nombre. Saisissez des MDH.")
            )
        )
    amount = number
    if amount < 0 or (amount == 0 and not allow_zero):
        if allow_zero:
            return ValidationResult.error(
                field, _("Montant invalide : saisissez un montant positif ou nul en MDH.")
            )
        shown = format_mdh(amount) if abs(amount) < _HUGE else f"{fmt_num(amount)} MDH"
        return ValidationResult.error(
            field,
            _(
                "Montant invalide ({amount}) : saisissez un montant positif en MDH "
                "(par exemple 1,25 pour 1 250 000 DH).",
                amount=shown,
            ),
        )
    by_plan = ceiling is not None and ceiling < AMOUNT_MAX_MDH
    limit = min(ceiling, AMOUNT_MAX_MDH) if ceiling is not None else AMOUNT_MAX_MDH
    if amount > limit:
        message = (
            N_(
                "Montant trop grand ({amount} MDH) : il dépasse l'enveloppe du plan entier "
                "({limit}). Saisissez le montant en millions de dirhams (1,25 pour 1 250 000 DH)."
            )
            if by_plan
            else N_(
                "Montant trop grand ({amount} MDH) : il ne peut dépasser {limit}. Saisissez le "
                "montant en millions de dirhams (1,25 pour 1 250 000 DH)."
            )
        )
        return ValidationResult.error(
            field, _(message, amount=fmt_num(amount), limit=format_mdh(limit))
        )
    if 0 < amount < AMOUNT_SMALL_MDH:
        return ValidationResult.warning(
            field,
            _(
                "Montant très petit ({amount} MDH, soit moins de 1 000 DH) : les montants sont "
                "en millions de dirhams. Vérifiez l'unité.",
                amount=fmt_num(amount),
            ),
        )
    return OK
