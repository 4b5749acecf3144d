"""Submitting for validation the drafts an import has just written (issue 19.10).

Each draft goes through the same workflow step as the « Soumettre » button of the entry and
budget pages: the account's right over that value's CTI is checked on the server, the version
seen at import time must still be the current one, and each step (or refusal) is audited on
its own. One refused value does not stop the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from dashboard.auth.account import Account
from dashboard.domain.workflow import Step
from dashboard.i18n import ngettext
from dashboard.services.budget_workflow import move_movement
from dashboard.services.errors import UserError
from dashboard.services.excel_format import MAX_ROWS
from dashboard.services.import_report import ImportedDraft, submitted_note
from dashboard.services.progress_workflow import submit_progress


@dataclass
class SubmitOutcome:
    """How many drafts were submitted, and why the others were not."""

    submitted: int = 0
    refused: list[str] = field(default_factory=list)

    def message(self) -> str:
        """Say in one line what happened."""
        text = submitted_note(self.submitted)
        if self.refused:
            text += " " + ngettext(
                "{n} non soumise (voir ci-dessous) : soumettez-la depuis la page Saisie.",
                "{n} non soumises (voir ci-dessous) : soumettez-les depuis la page Saisie.",
                len(self.refused),
            )
        return text


def submit_imported(
    *, session: Session, account: Account | None, drafts: Sequence[ImportedDraft]
) -> SubmitOutcome:
    """Submit each imported draft through the workflow, committing each one on its own."""
    outcome = SubmitOutcome()
    for draft in drafts[:MAX_ROWS]:
        try:
            if draft.kind == "progress":
                submit_progress(
                    session=session, account=account, update_id=draft.id, version=draft.version
                )
            elif draft.kind == "budget":
                move_movement(
                    session=session,
                    account=account,
                    movement_id=draft.id,
                    version=draft.version,
                    step=Step.SUBMIT,
                )
            else:
                continue
            session.commit()  # a later refusal rolls back only its own value
            outcome.submitted += 1
        except UserError as exc:  # refused: already rolled back and audited by the workflow
            outcome.refused.append(str(exc))
    return outcome


def drafts_from(data: object) -> list[ImportedDraft]:
    """Rebuild the drafts a page kept in its store, ignoring anything malformed."""
    drafts = []
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict):
            kind, ident, version = item.get("kind"), item.get("id"), item.get("version")
            if (
                kind in ("progress", "budget")
                and isinstance(ident, int)
                and isinstance(version, int)
            ):
                drafts.append(ImportedDraft(str(kind), ident, version))
    return drafts[:MAX_ROWS]
