"""Validate or return several values of the queue at once, each one checked on its own.

Every selected value goes through ``progress_workflow.move_progress`` in its own transaction:
the permission and the version are checked and the step (or its refusal) is audited value by
value, and a value refused leaves the others validated. The outcome says what happened to each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from dashboard.auth.account import Account
from dashboard.db.engine import session_scope
from dashboard.domain.workflow import Step
from dashboard.i18n import N_, _
from dashboard.services.entry import ValidationFailed
from dashboard.services.errors import UserError
from dashboard.services.formatting import fmt_number
from dashboard.services.progress_workflow import move_progress
from dashboard.services.row_limit import ROW_LIMIT

# (one, several) French message ids for the counts of the summary, by step.
DONE = {
    Step.VALIDATE: (N_("{n} validée"), N_("{n} validées")),
    Step.REJECT: (N_("{n} renvoyée"), N_("{n} renvoyées")),
}
REFUSED = (N_("{n} refusée"), N_("{n} refusées"))


def _count(forms: tuple[str, str], n: int) -> str:
    return _(forms[0] if n <= 1 else forms[1], n=fmt_number(n))  # French: 0 and 1 singular


@dataclass(frozen=True)
class Refusal:
    """A selected value the step was refused for, and why (in the reader's language)."""

    name: str
    reason: str
    missing_reason: bool = False


@dataclass(frozen=True)
class ReviewOutcome:
    """What a review of several values did: the ones moved and the ones refused."""

    step: Step
    done: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def missing_reason(self) -> bool:
        """Tell whether a return was refused for want of a reason."""
        return any(r.missing_reason for r in self.refused)

    def summary(self) -> str:
        """Say it in one sentence: « 5 validées, 1 refusée » (the refusals are ``details``)."""
        done = _count(DONE[self.step], len(self.done))
        if not self.refused:
            return f"{done}."
        return _("{done}, {refused} :", done=done, refused=_count(REFUSED, len(self.refused)))

    def details(self) -> list[str]:
        """Return one line per refused value: its code and period, then why."""
        return [_("{name} : {reason}", name=r.name, reason=r.reason) for r in self.refused]


def _name(row: dict[str, Any]) -> str:
    return f"{row.get('code') or '?'} {row.get('period') or ''}".strip()


def review_values(
    *,
    engine: Engine,
    account: Account | None,
    rows: Sequence[dict[str, Any]],
    step: Step,
    reason: str = "",
) -> ReviewOutcome:
    """Validate or return each selected value through the workflow, one transaction each."""
    if step not in DONE:
        raise UserError(_("Action inconnue : choisissez Valider ou Rejeter."))
    if len(rows) > ROW_LIMIT:
        raise UserError(
            _("Sélection trop longue : au plus {n} valeurs à la fois.", n=fmt_number(ROW_LIMIT))
        )
    outcome = ReviewOutcome(step=step)
    for row in rows:
        name = _name(row)
        try:
            update_id = int(row["id"])
            version = None if row.get("version") is None else int(row["version"])
        except (KeyError, TypeError, ValueError):
            outcome.refused.append(Refusal(name, _("Ligne illisible : rechargez la page.")))
            continue
        try:
            with session_scope(engine) as session:
                move_progress(
                    session=session,
                    account=account,
                    update_id=update_id,
                    version=version,
                    step=step,
                    reason=reason,
                )
        except ValidationFailed as exc:
            wanted = " ".join(exc.result.errors_for("reason"))
            outcome.refused.append(Refusal(name, wanted or str(exc), missing_reason=bool(wanted)))
        except UserError as exc:
            outcome.refused.append(Refusal(name, str(exc)))
        else:
            outcome.done.append(name)
    return outcome
