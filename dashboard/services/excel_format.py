"""The layout of the Excel entry template, shared by the writer and the reader.

Column headers are the contract between the two: the reader finds columns by these exact
names (case and spaces aside) and refuses a file where one is missing or renamed. Sheet names,
headers and drop-down labels are written in the language in force and read back in any of
the three languages, so that a template filled in Arabic imports on a French screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dashboard.i18n import LANGUAGES, N_, translate

PROGRESS_SHEET = N_("Saisie")
BUDGET_SHEET = N_("Budget")
INSTRUCTIONS_SHEET = N_("Instructions")
LISTS_SHEET = "Listes"  # hidden, and named in the drop-downs' formulas: never translated
MAX_BYTES = 10 * 1024 * 1024
# Reading limits (issue 20.1): any workbook is read or refused within 5 s and 200 MB. The full
# template of every CTI holds about 2 500 rows; 20 000 leave room for years of budget lines.
MAX_ROWS = 20_000
MAX_COLUMN = 26  # Z: the template's columns (10) and a few of the person's own
MAX_CELLS = 12 * MAX_ROWS  # in the sheets read, empty cells included
MAX_ELEMENTS = 1_000_000  # XML elements in the whole file (a cell is 2 or 3)
MAX_PART_ELEMENTS = 100_000  # in a part other than a sheet or the texts (styles: a few hundred)
MAX_STRINGS = 4 * MAX_ROWS  # different texts (shared strings)
MAX_SHEETS = 20
MAX_DEPTH = 40  # XML nesting; spreadsheet parts need about 10
MAX_TEXT = 32_767  # characters of one text, Excel's limit for a cell
MAX_ENTRIES = 200  # files inside the zip
MAX_PART_BYTES = 32 * 1024 * 1024  # one part, unpacked
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # the whole workbook, unpacked
MAX_RATIO = 200  # inflation of one part (a sheet of data inflates 5 to 30 times)
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
    optional: bool = False  # added after templates were sent out: older files lack it


PROGRESS_COLUMNS = (
    Column("cti", N_("CTI"), 10),
    Column("code", N_("Code indicateur"), 18),
    Column("label", N_("Indicateur"), 48, read=False),
    Column("unit", N_("Unité"), 12, read=False),
    Column("period", N_("Période"), 10, kind="period"),
    Column("official", N_("Valeur validée"), 14, kind="number", read=False),
    Column("status", N_("Statut"), 14, read=False),
    Column("value", N_("Valeur"), 12, kind="number", editable=True),
    Column("comment", N_("Commentaire"), 40, editable=True),
    Column("reason", N_("Motif de correction"), 36, editable=True),
    Column("returned", N_("Motif du retour"), 48, read=False, optional=True),
)
BUDGET_COLUMNS = (
    Column("cti", N_("CTI"), 10, editable=True),
    Column("axis", N_("Axe"), 6, kind="number", editable=True),
    Column("kind", N_("Type"), 14, editable=True),
    Column("on_date", N_("Date"), 12, kind="date", editable=True),
    Column("amount", N_("Montant (MDH)"), 14, kind="number", editable=True),
    Column("reference", N_("Référence"), 22, editable=True),
    Column("comment", N_("Commentaire"), 40, editable=True),
    Column("status", N_("Statut"), 14, read=False),
)
SHEETS = {PROGRESS_SHEET: PROGRESS_COLUMNS, BUDGET_SHEET: BUDGET_COLUMNS}
LABEL_BY_KIND = {"commitment": N_("Engagement"), "disbursement": N_("Décaissement")}
STATUS_LABELS = {
    "draft": N_("Brouillon"),
    "submitted": N_("Soumise"),
    "validated": N_("Validée"),
    "rejected": N_("Rejetée"),
}


def in_every_language(message: str) -> set[str]:
    """Return a French message id and its translations, compared without case or spaces."""
    return {normalise_header(translate(message, lang)) for lang in LANGUAGES}


@cache
def kind_by_label() -> dict[str, str]:
    """Map "engagement", "commitment", "التزام"... (any language, any case) to the kind."""
    return {
        label: kind for kind, msgid in LABEL_BY_KIND.items() for label in in_every_language(msgid)
    }


@cache
def sheet_names() -> dict[str, str]:
    """Map a sheet name in any language ("Saisie", "Entry"...) to the canonical French name."""
    return {
        name: canonical
        for canonical in (*SHEETS, INSTRUCTIONS_SHEET)
        for name in in_every_language(canonical)
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
