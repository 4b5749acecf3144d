"""Reading an entry workbook back: refuse what is not our template, list every bad cell.

Whole-file problems (not an xlsx, encrypted, too big, too many rows, empty, missing or renamed
columns, merged cells) refuse the file at once with one message. Cell problems (formulas, text
in a number column, a date typed as text) are collected with their sheet, row and column so
the person can fix them all in one go.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import openpyxl

from dashboard.domain.numbers import parse_number
from dashboard.i18n import LANGUAGES, N_, _, current_lang, translate
from dashboard.i18n.formats import format_fixed
from dashboard.services.archive_limits import too_many_entries
from dashboard.services.excel_format import (
    BUDGET_SHEET,
    MAX_BYTES,
    PROGRESS_SHEET,
    SHEETS,
    Column,
    column_letter,
    in_every_language,
    normalise_header,
    sheet_names,
)
from dashboard.services.excel_guard import (
    LIMITS,
    ImportRefused,
    SheetStats,
    WorkbookScan,
    check_sheet_limits,
    scan_workbook,
)

__all__ = ["CellError", "ImportRefused", "ParsedWorkbook", "SheetRows", "read_workbook"]

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class CellError:
    """A problem in one place of the workbook (row 0 and column "" for a whole sheet)."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        """Say where and what: "Saisie, ligne 12, colonne H (Valeur) : ..."."""
        sheet = _(self.sheet)
        where = _("{sheet}, ligne {row}", sheet=sheet, row=self.row) if self.row else sheet
        if self.column:
            where = _("{where}, colonne {column}", where=where, column=self.column)
        return _("{where} : {problem}", where=where, problem=self.message)


@dataclass
class SheetRows:
    """The data rows of one sheet: cell values by column key, with their row number."""

    name: str
    columns: dict[str, str]  # key -> "H (Valeur)"
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


@dataclass
class ParsedWorkbook:
    """What was read: the rows of each known sheet and the cell errors found on the way."""

    sheets: dict[str, SheetRows] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)

    def rows(self, sheet: str) -> list[tuple[int, dict[str, Any]]]:
        """Return the data rows of a sheet (none when the sheet is absent)."""
        found = self.sheets.get(sheet)
        return found.rows if found else []

    def has_error(self, sheet: str, row: int) -> bool:
        """Tell whether a row already has a cell error (it is then not imported)."""
        return any(e.sheet == sheet and e.row == row for e in self.errors)

    def where(self, sheet: str, key: str) -> str:
        """Return the column label of a key in a sheet, e.g. "H (Valeur)"."""
        return self.sheets[sheet].columns.get(key, key)


def check_container(content: bytes) -> None:
    """Refuse files that are not an unencrypted .xlsx of a sensible size."""
    if not content:
        raise ImportRefused(_("Fichier vide : choisissez le classeur .xlsx rempli."))
    if len(content) > MAX_BYTES:
        raise ImportRefused(
            _(
                "Fichier trop volumineux ({size} Mo) : 10 Mo au plus. Importez-le en plusieurs "
                "fichiers.",
                size=format_fixed(len(content) / 1024 / 1024, 1),
            )
        )
    if content.startswith(OLE_SIGNATURE):
        if "EncryptedPackage".encode("utf-16-le") in content:
            raise ImportRefused(
                _(
                    "Classeur protégé par mot de passe (chiffré) : enregistrez-le sans mot de "
                    "passe puis importez-le de nouveau."
                )
            )
        raise ImportRefused(
            _(
                "Ancien format Excel (.xls) : enregistrez le classeur au format .xlsx puis "
                "importez-le de nouveau."
            )
        )
    if not content.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            _(
                "Ce fichier n'est pas un classeur Excel .xlsx : utilisez le modèle téléchargé "
                "depuis le tableau de bord."
            )
        )
    stream = io.BytesIO(content)
    try:
        problem = too_many_entries(stream, LIMITS)
        if problem is None:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        raise ImportRefused(_("Classeur .xlsx endommagé : enregistrez-le de nouveau.")) from None
    if problem is not None:
        raise ImportRefused(
            _("Classeur refusé : {problem} Enregistrez-le depuis Excel.", problem=problem)
        )
    if "xl/workbook.xml" not in names:
        raise ImportRefused(
            _("Cette archive n'est pas un classeur Excel .xlsx : utilisez le modèle téléchargé.")
        )


def _open(content: bytes) -> Any:
    """Open the workbook as a stream: sheets are parsed row by row when iterated, never whole."""
    try:
        return openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=False, rich_text=False
        )
    except Exception as exc:  # openpyxl raises many kinds of errors on a broken file
        raise _unreadable(exc) from None


def _header_map(
    header: tuple[Any, ...], sheet: str, expected: tuple[Column, ...]
) -> dict[str, int]:
    """Map each expected column to its index; refuse missing, renamed or unknown columns."""
    found: dict[str, int] = {}
    unknown = []
    for index, cell in enumerate(header, start=1):
        if cell.value is None or str(cell.value).strip() == "":
            continue
        names = {name: c.key for c in expected for name in in_every_language(c.header)}
        key = names.get(normalise_header(cell.value))
        if key is None:
            unknown.append(f"« {str(cell.value).strip()[:40]} » ({column_letter(index)})")
        else:
            found[key] = index
    missing = [f"« {_(c.header)} »" for c in expected if c.key not in found and not c.optional]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("colonnes absentes ou renommées : {names}", names=", ".join(missing)))
        if unknown:
            parts.append(_("colonnes inconnues : {names}", names=", ".join(unknown)))
        raise ImportRefused(
            _(
                "Feuille « {sheet} » : {problems}. Rétablissez les en-têtes du modèle (première "
                "ligne) ou téléchargez un nouveau modèle.",
                sheet=_(sheet),
                problems=" ; ".join(parts),
            )
        )
    return found


def _template_lang(header: tuple[Any, ...], expected: tuple[Column, ...]) -> str:
    """Tell a sheet's language by its headers, which the template writes in its language.

    Numbers typed as text are read with that language's separators. Where headers read the
    same in several languages (« CTI »), the language most of them agree on wins, then the
    language in force, then French: never a guess that reads 1.250 as 1.25 unasked.
    """
    titles = {normalise_header(cell.value) for cell in header if cell.value is not None}
    votes = {
        lang: sum(normalise_header(translate(c.header, lang)) in titles for c in expected)
        for lang in LANGUAGES
    }
    found = [lang for lang in LANGUAGES if votes[lang] == max(votes.values())]
    return current_lang() if current_lang() in found else found[0]


FORMULA = N_("formule interdite : remplacez-la par sa valeur (copier, collage spécial valeurs).")


def _number(value: Any, lang: str) -> tuple[Any, str | None]:
    """Read a number cell: a number as it is (if finite), a text with the template's separators.

    A number typed as text ("1 250,5" in a French template, "1,250.5" in an English one) is
    read as its writer meant it, in the template's language, or refused with the domain's
    message (ambiguous, not a number); never with the separators of the screen's language.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            parse_number(value)  # an int beyond any float (10**400) is not a finite number
        except ValueError as exc:
            return None, str(exc)
        return value, None
    try:
        return parse_number(str(value), _("Le texte", lang), lang=lang), None
    except ValueError as exc:
        return None, str(exc)


def _date(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    shown = str(value).strip()[:30]
    return None, _(
        "date saisie comme du texte ou un nombre (« {shown} ») : saisissez une vraie date "
        "JJ/MM/AAAA.",
        shown=shown,
    )


def _text(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, datetime | date):
        return None, _("date à la place d'un texte : écrivez la période comme 2024-T2 (ou 2024).")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip(), None


READERS = {"date": _date}


def _cell_value(cell: Any, column: Column, lang: str) -> tuple[Any, str | None]:
    """Return a cell's value, or the reason it is unusable for its column."""
    value = cell.value
    # Only a real formula is refused: a text typed or written as « =... » is a text
    # (the template writes every text as a text, so that it always imports again).
    if cell.data_type == "f":
        return None, _(FORMULA)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if column.kind == "number":
        return _number(value, lang)
    return READERS.get(column.kind, _text)(value)


def _read_sheet(
    ws: Any, sheet: str, expected: tuple[Column, ...], parsed: ParsedWorkbook, stats: SheetStats
) -> SheetRows:
    """Read a sheet row by row, only as far as its last row and column (never its declared size)."""
    rows = ws.iter_rows(min_row=1, max_row=max(stats.last_row, 1), max_col=stats.last_column or 1)
    header = next(rows, ())
    indexes = _header_map(header, sheet, expected)
    lang = _template_lang(header, expected)
    labels = {
        c.key: f"{column_letter(indexes[c.key])} ({_(c.header)})"
        for c in expected
        if c.key in indexes
    }
    result = SheetRows(sheet, labels)
    read = [c for c in expected if c.read]
    for number, cells in enumerate(rows, start=2):
        values: dict[str, Any] = {}
        for column in read:
            index = indexes[column.key]
            if index > len(cells):
                continue
            value, problem = _cell_value(cells[index - 1], column, lang)
            if problem:
                parsed.errors.append(CellError(sheet, number, labels[column.key], problem))
            values[column.key] = value
        if any(v is not None for v in values.values()):
            result.rows.append((number, values))
    return result


def _entry_sheets(names: list[str]) -> dict[str, str]:
    """Map each entry sheet present (canonical French name) to its name in the workbook."""
    canonical = sheet_names()
    found = {canonical.get(normalise_header(name)): name for name in names}
    return {name: found[name] for name in SHEETS if name in found}


def _unreadable(exc: Exception) -> ImportRefused:
    return ImportRefused(
        _(
            "Classeur illisible ({error}) : enregistrez-le de nouveau au format .xlsx.",
            error=type(exc).__name__,
        )
    )


def _stats(ws: Any, scan: WorkbookScan) -> SheetStats:
    """Return what the scan counted in a sheet's part (refuse a sheet it did not see)."""
    stats = scan.sheets.get(str(getattr(ws, "_worksheet_path", "")).lstrip("/"))
    if stats is None:
        raise ImportRefused(
            _(
                "Feuille « {sheet} » illisible : enregistrez le classeur depuis Excel.",
                sheet=ws.title,
            )
        )
    return stats


def _read_sheets(book: Any, scan: WorkbookScan) -> ParsedWorkbook:
    present = _entry_sheets(book.sheetnames)
    if not present:
        raise ImportRefused(
            _(
                "Classeur sans feuille « {entry} » ni « {budget} » : utilisez le modèle "
                "téléchargé depuis le tableau de bord (ne renommez pas les feuilles).",
                entry=_(PROGRESS_SHEET),
                budget=_(BUDGET_SHEET),
            )
        )
    stats = {name: _stats(book[title], scan) for name, title in present.items()}
    check_sheet_limits(stats)
    parsed = ParsedWorkbook()
    for name, title in present.items():
        parsed.sheets[name] = _read_sheet(book[title], name, SHEETS[name], parsed, stats[name])
    return parsed


def read_workbook(content: bytes) -> ParsedWorkbook:
    """Read an entry workbook; raise ImportRefused for whole-file problems.

    The file is first streamed through the guard (refused at the first excess), then read
    row by row; nothing is built that the guard did not count.
    """
    check_container(content)
    scan = scan_workbook(content)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about data validation extensions
        book = _open(content)
        try:
            parsed = _read_sheets(book, scan)
        except ImportRefused:
            raise
        except Exception as exc:  # a broken part found while reading: a message, not a traceback
            raise _unreadable(exc) from None
        finally:
            book.close()
    if not any(s.rows for s in parsed.sheets.values()) and not parsed.errors:
        raise ImportRefused(
            _(
                "Classeur vide : aucune ligne à importer dans les feuilles « {entry} » et "
                "« {budget} ».",
                entry=_(PROGRESS_SHEET),
                budget=_(BUDGET_SHEET),
            )
        )
    return parsed
