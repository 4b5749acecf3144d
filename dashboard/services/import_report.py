"""What an import found: the rows it adds or changes, the rows left as they are, the errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from dashboard.db.models import EntryStatus
from dashboard.domain.validation import ValidationResult
from dashboard.i18n import N_, _, ngettext
from dashboard.services.excel_reader import CellError, ImportRefused, ParsedWorkbook

# French names of the actions: the keys of counts(), kept in French in the audit log.
ACTION_LABELS = {
    "add": N_("ajout"),
    "change": N_("modification"),
    "correct": N_("correction"),
    "submit": N_("soumission"),
}
# How the summary counts each action, in the language in force and in the count's form.
COUNTED: dict[str, Callable[[int], str]] = {
    "ajout": lambda n: ngettext("{n} ajout", "{n} ajouts", n),
    "modification": lambda n: ngettext("{n} modification", "{n} modifications", n),
    "correction": lambda n: ngettext("{n} correction", "{n} corrections", n),
    "soumission": lambda n: ngettext("{n} soumission", "{n} soumissions", n),
}
SHOWN_ERRORS = 5


def submitted_note(count: int) -> str:
    """Say how many values were submitted for validation, in the count's form."""
    return ngettext(
        "{n} valeur soumise pour validation.", "{n} valeurs soumises pour validation.", count
    )


class Written(Protocol):
    """A value or a movement the import wrote: its id, status and version."""

    id: int | None
    status: str
    version: int


@dataclass(frozen=True)
class ImportedDraft:
    """A value ("progress") or a movement ("budget") the import left as a draft."""

    kind: str
    id: int
    version: int


@dataclass(frozen=True)
class PlannedRow:
    """One row of the file that changes the database."""

    sheet: str
    row: int
    action: str  # add, change, correct, submit
    what: str
    before: str
    after: str

    @property
    def action_label(self) -> str:
        """Return the action in the language in force ("ajout", "addition"...)."""
        return _(ACTION_LABELS[self.action])


@dataclass
class ImportReport:
    """The preview (or the outcome) of an import."""

    sha256: str = ""
    changes: list[PlannedRow] = field(default_factory=list)
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)
    applied: bool = False
    drafts: list[ImportedDraft] = field(default_factory=list)
    submitted: int = 0

    def note_state(self, kind: str, row: Written) -> None:
        """Count a written row as left in draft (to submit later) or submitted for validation."""
        if row.status == EntryStatus.DRAFT.value and row.id is not None:
            self.drafts.append(ImportedDraft(kind, row.id, row.version))
        elif row.status == EntryStatus.SUBMITTED.value:
            self.submitted += 1

    def state_note(self) -> str:
        """Say where the written values stand: drafts do not count until submitted and validated."""
        parts = []
        drafts = len(self.drafts)
        if drafts and self.applied:
            parts.append(
                ngettext(
                    "{n} valeur reste en brouillon : elle ne compte pas dans les chiffres "
                    "officiels tant qu'elle n'est pas soumise puis validée.",
                    "{n} valeurs restent en brouillon : elles ne comptent pas dans les chiffres "
                    "officiels tant qu'elles ne sont pas soumises puis validées.",
                    drafts,
                )
            )
        elif drafts:
            parts.append(
                ngettext(
                    "{n} valeur restera en brouillon : elle ne comptera pas dans les chiffres "
                    "officiels tant qu'elle ne sera pas soumise puis validée.",
                    "{n} valeurs resteront en brouillon : elles ne compteront pas dans les "
                    "chiffres officiels tant qu'elles ne seront pas soumises puis validées.",
                    drafts,
                )
            )
        if self.submitted:
            parts.append(submitted_note(self.submitted))
        return " ".join(parts)

    @property
    def ok(self) -> bool:
        """Tell whether the file can be applied (no error at all)."""
        return not self.errors

    def counts(self) -> dict[str, int]:
        """Count the changes by action, plus the unchanged rows."""
        counts = dict.fromkeys(ACTION_LABELS.values(), 0)
        for change in self.changes:
            counts[ACTION_LABELS[change.action]] += 1
        return {**counts, "inchangées": self.unchanged}

    def summary(self) -> str:
        """Say in one line what the import does (or would do)."""
        counts = self.counts()
        parts = [COUNTED[label](n) for label, n in counts.items() if n and label in COUNTED]
        changed = ", ".join(parts) if parts else _("aucun changement")
        unchanged = counts["inchangées"]
        return ngettext(
            "{changed} ; {n} ligne inchangée",
            "{changed} ; {n} lignes inchangées",
            unchanged,
            changed=changed,
        )

    def change_rows(self) -> list[dict[str, object]]:
        """Return the changes as grid rows."""
        return [
            {
                "sheet": c.sheet,
                "row": c.row,
                "action": c.action_label,
                "what": c.what,
                "before": c.before,
                "after": c.after,
            }
            for c in self.changes
        ]

    def problem_rows(self) -> list[dict[str, object]]:
        """Return the errors, then the warnings, as grid rows with their place."""
        return [
            {
                "level": level,
                "sheet": e.sheet,
                "row": e.row,
                "column": e.column,
                "message": e.message,
            }
            for level, found in ((_("Erreur"), self.errors), (_("Attention"), self.warnings))
            for e in found
        ]

    def refusal(self) -> str:
        """Say in one line why the file is refused, with the first errors."""
        shown = " | ".join(str(e) for e in self.errors[:SHOWN_ERRORS])
        more = len(self.errors) - SHOWN_ERRORS
        tail = (
            ngettext(" | et {n} autre erreur", " | et {n} autres erreurs", more) if more > 0 else ""
        )
        return ngettext(
            "Import refusé, rien n'a été modifié : {n} erreur à corriger dans le fichier. "
            "{errors}{more}",
            "Import refusé, rien n'a été modifié : {n} erreurs à corriger dans le fichier. "
            "{errors}{more}",
            len(self.errors),
            errors=shown,
            more=tail,
        )


class ImportErrors(ImportRefused):
    """The file has errors in some rows; ``report`` lists all of them."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.refusal())
        self.report = report


def add_issues(
    report: ImportReport,
    parsed: ParsedWorkbook,
    sheet: str,
    row: int,
    *,
    result: ValidationResult,
    columns: dict[str, str],
) -> None:
    """Place each error and warning of a row's check on its column."""
    for issue in result.errors:
        column = parsed.where(sheet, columns.get(issue.field, issue.field))
        report.errors.append(CellError(sheet, row, column, issue.message))
    for issue in result.warnings:
        column = parsed.where(sheet, columns.get(issue.field, issue.field))
        report.warnings.append(CellError(sheet, row, column, issue.message))
