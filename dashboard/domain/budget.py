"""Budget arithmetic: execution rates, consistency checks and comparison with the baseline plan.

Amounts are in MDH (millions of dirhams). Messages are in the language in force (French
message ids translated by dashboard.i18n), for the people who enter the figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from dashboard.i18n import _
from dashboard.i18n.formats import NBSP, format_fixed

# Below one dirham (amounts are in MDH) a difference is float rounding, not an error.
TOLERANCE_MDH = 1e-6


def format_mdh(amount: float, lang: str | None = None) -> str:
    """Format an amount with one decimal in the language: 1234.56 -> "1 234,6 MDH" in French."""
    return f"{format_fixed(amount, 1, lang)}{NBSP}{_('MDH', lang)}"


def safe_rate(part: float, whole: float) -> float | None:
    """Return part / whole, or None when whole is not a positive number."""
    if not (math.isfinite(part) and math.isfinite(whole)) or whole <= 0:
        return None
    return part / whole


@dataclass(frozen=True)
class Execution:
    """Committed and disbursed amounts against an envelope (MDH)."""

    envelope: float
    committed: float
    disbursed: float

    @property
    def commitment_rate(self) -> float | None:
        """Return committed / envelope."""
        return safe_rate(self.committed, self.envelope)

    @property
    def disbursement_rate(self) -> float | None:
        """Return disbursed / envelope."""
        return safe_rate(self.disbursed, self.envelope)

    @property
    def disbursed_of_committed(self) -> float | None:
        """Return disbursed / committed."""
        return safe_rate(self.disbursed, self.committed)

    @property
    def remaining(self) -> float:
        """Return what is left to commit (envelope - committed); negative when over-committed."""
        return self.envelope - self.committed


def _amount_problem(label: str, amount: float) -> str | None:
    """Describe why an amount is unusable (not a number, or negative), or return None."""
    if not math.isfinite(amount):
        return _("{label} : ce n'est pas un nombre. Saisissez un montant en MDH.", label=label)
    if amount < 0:
        return _(
            "{label} : montant négatif ({amount}). Saisissez un montant positif.",
            label=label,
            amount=format_mdh(amount),
        )
    return None


def _excess_problem(what: str, amount: float, limit_what: str, limit: float) -> str | None:
    """Describe by how much amount exceeds limit, or return None when it does not.

    Unusable amounts (not numbers, negative) are reported on their own, not compared.
    """
    if not (math.isfinite(amount) and math.isfinite(limit)) or amount < 0 or limit < 0:
        return None
    excess = amount - limit
    if excess <= TOLERANCE_MDH:
        return None
    return _(
        "{what} ({amount}) dépasse {limit_what} ({limit}) de {excess}.",
        what=what,
        amount=format_mdh(amount),
        limit_what=limit_what,
        limit=format_mdh(limit),
        excess=format_mdh(excess),
    )


def check_envelopes(plan_envelope: float, cti_envelopes: Mapping[str, float]) -> list[str]:
    """List the problems of the CTI envelopes against the plan envelope (empty when fine)."""
    problems = [
        problem
        for problem in [
            _amount_problem(_("L'enveloppe du plan"), plan_envelope),
            *(
                _amount_problem(_("L'enveloppe de {cti}", cti=cti), v)
                for cti, v in cti_envelopes.items()
            ),
        ]
        if problem is not None
    ]
    excess = _excess_problem(
        _("La somme des enveloppes des CTI"),
        math.fsum(cti_envelopes.values()),
        _("l'enveloppe du plan"),
        plan_envelope,
    )
    if excess is not None:
        problems.append(excess)
    return problems


def check_movements(committed: float, disbursed: float, envelope: float | None = None) -> list[str]:
    """List the problems of committed and disbursed amounts (empty when fine)."""
    candidates = [
        _amount_problem(_("Le montant engagé"), committed),
        _amount_problem(_("Le montant décaissé"), disbursed),
        _excess_problem(_("Le montant décaissé"), disbursed, _("le montant engagé"), committed),
    ]
    if envelope is not None:
        candidates += [
            _amount_problem(_("L'enveloppe"), envelope),
            _excess_problem(_("Le montant engagé"), committed, _("l'enveloppe"), envelope),
        ]
    return [problem for problem in candidates if problem is not None]


def _plan_years(first_year: int, last_year: int) -> int:
    """Return the number of years of a plan, checking that the years are in order."""
    if last_year < first_year:
        raise ValueError(
            _(
                "Années du plan inversées : la dernière ({last}) précède la première ({first}).",
                last=last_year,
                first=first_year,
            )
        )
    return last_year - first_year + 1


def yearly_intensity(envelope: float, first_year: int, last_year: int) -> float:
    """Return the envelope per plan year (290 MDH over 2014-2020 -> 41.43 MDH/year)."""
    return envelope / _plan_years(first_year, last_year)


def plan_elapsed(first_year: int, last_year: int, at: float) -> float:
    """Return the fraction of the plan elapsed at decimal time ``at``, between 0 and 1."""
    fraction = (at - first_year) / _plan_years(first_year, last_year)
    return min(max(fraction, 0.0), 1.0)


def linear_path(envelope: float, first_year: int, last_year: int, at: float) -> float:
    """Return the cumulative amount expected at ``at`` if the envelope were spent evenly."""
    return envelope * plan_elapsed(first_year, last_year, at)


def money_vs_results(
    spent_share: float | None, results_share: float | None, tolerance: float = 0.15
) -> bool | None:
    """Tell whether spending runs ahead of results by more than ``tolerance`` (None if unknown)."""
    if spent_share is None or results_share is None:
        return None
    if not (math.isfinite(spent_share) and math.isfinite(results_share)):
        return None
    if not (math.isfinite(tolerance) and tolerance >= 0):
        raise ValueError(
            _(
                "Tolérance invalide « {tolerance} » : elle doit être positive ou nulle.",
                tolerance=tolerance,
            )
        )
    # The slack keeps a gap of exactly the tolerance (0.55 vs 0.40) from tripping on rounding.
    return spent_share - results_share > tolerance + 1e-9
