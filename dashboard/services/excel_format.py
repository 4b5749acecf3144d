"""The layout of the Excel entry template, shared by the writer and the reader.

Column headers are the contract between the two: the reader finds columns by these exact
names (case and spaces aside) and refuses a file where one is missing or renamed.
"""

from __future__ import annotations

from dataclasses import dataclass

PROGRESS_SHEET = "Saisie"
BUDGET_SHEET = "Budget"
INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Listes"
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a 10 MB zip that unpacks to more is refused
BLANK_ROWS = 200  # empty rows offered under the pre-filled ones, for new lines


@dataclass(frozen=True)
class Column:
    """One column: its header, whether the import reads it, and its kind of content."""

    key: str
    header: str
    width: int
    kind: str = "text"  # text, number, date, period
    editable: bool = False
    read: bool = True


PROGRESS_COLUMNS = (
    Column("cti", "CTI", 10),
    Column("code", "Code indicateur", 18),
    Column("label", "Indicateur", 48, read=False),
    Column("unit", "Unité", 12, read=False),
    Column("period", "Période", 10, kind="period"),
    Column("official", "Valeur validée", 14, kind="number", read=False),
    Column("status", "Statut", 14, read=False),
    Column("value", "Valeur", 12, kind="number", editable=True),
    Column("comment", "Commentaire", 40, editable=True),
    Column("reason", "Motif de correction", 36, editable=True),
)
BUDGET_COLUMNS = (
    Column("cti", "CTI", 10, editable=True),
    Column("axis", "Axe", 6, kind="number", editable=True),
    Column("kind", "Type", 14, editable=True),
    Column("on_date", "Date", 12, kind="date", editable=True),
    Column("amount", "Montant (MDH)", 14, kind="number", editable=True),
    Column("reference", "Référence", 22, editable=True),
    Column("comment", "Commentaire", 40, editable=True),
    Column("status", "Statut", 14, read=False),
)
SHEETS = {PROGRESS_SHEET: PROGRESS_COLUMNS, BUDGET_SHEET: BUDGET_COLUMNS}
KIND_BY_LABEL = {"engagement": "commitment", "décaissement": "disbursement"}
LABEL_BY_KIND = {"commitment": "Engagement", "disbursement": "Décaissement"}
STATUS_LABELS = {
    "draft": "Brouillon",
    "submitted": "Soumise",
    "validated": "Validée",
    "rejected": "Rejetée",
}


def normalise_header(text: object) -> str:
    """Compare headers without case or extra spaces ("  code  Indicateur" = "Code indicateur")."""
    return " ".join(str(text or "").split()).casefold()


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 1-based column index (1 -> A, 27 -> AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
