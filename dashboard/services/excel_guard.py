"""Bounding what a workbook may make the reader build, before openpyxl opens it.

An .xlsx is a zip of XML parts: 20 KB can inflate into millions of empty cells, thousands of
sheets pointing to one part, a shared-strings table of millions of entries or elements nested
millions deep. Each part is read here as a stream (expat, no tree, a megabyte at a time) with
counters, and the file is refused at the first excess, before anything is built from it. What
is counted: zip entries and their inflated sizes, XML elements in all, nesting depth, length
of any text, sheets, shared strings; and, per worksheet, its rows, cells, widest column and
merged cells, which the reader checks against the product's limits once it knows the sheet's
name.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from dashboard.i18n import _
from dashboard.services.archive_limits import ArchiveLimits, check_archive, too_many_entries
from dashboard.services.errors import UserError
from dashboard.services.excel_format import (
    MAX_CELLS,
    MAX_COLUMN,
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_ENTRIES,
    MAX_PART_BYTES,
    MAX_PART_ELEMENTS,
    MAX_RATIO,
    MAX_ROWS,
    MAX_SHEETS,
    MAX_STRINGS,
    MAX_TEXT,
    MAX_UNPACKED_BYTES,
    column_letter,
)

CHUNK = 1 << 20
LIMITS = ArchiveLimits(
    max_entries=MAX_ENTRIES,
    max_entry_bytes=MAX_PART_BYTES,
    max_total_bytes=MAX_UNPACKED_BYTES,
    max_ratio=MAX_RATIO,
)


class ImportRefused(UserError):
    """The file cannot be imported; the message says why and how to fix it."""


class _Excess(Exception):
    """Raised inside an expat handler to stop reading at the first excess."""


@dataclass
class SheetStats:
    """What one worksheet part holds: rows, cells, widest column, merged ranges."""

    last_row: int = 0
    cells: int = 0
    last_column: int = 0
    merged: list[str] = field(default_factory=list)
    dimension: str = ""


@dataclass
class WorkbookScan:
    """The worksheet parts of a workbook that passed the scan, by path in the zip."""

    sheets: dict[str, SheetStats] = field(default_factory=dict)


def column_number(ref: str) -> int:
    """Return the column of a cell reference ("AB12" -> 28); 0 when there is none."""
    number = 0
    for char in ref:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            number = number * 26 + ord(char) - 96
        else:
            break
    return number


def _row_number(value: str, previous: int) -> int:
    try:
        return int(float(value))
    except ValueError:
        return previous + 1


def _too_complex(limit: int) -> str:
    return _(
        "Classeur anormalement complexe (plus de {n} éléments XML) : il contient "
        "des millions de cellules, souvent vides. Copiez seulement le tableau utile "
        "dans un nouveau modèle téléchargé, puis importez-le.",
        n=_count(limit),
    )


class _Scanner:
    """Counts one part's elements, depth and text; fills SheetStats for worksheets."""

    def __init__(self, budget: list[int]) -> None:
        self.budget = budget  # elements left for the whole file, shared by every part
        self.elements = 0
        self.depth = 0
        self.text = 0
        self.root = ""
        self.sheet: SheetStats | None = None
        self.column = 0
        self.strings = 0
        self.sheets = 0
        self.targets: set[str] = set()

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.budget[0] -= 1
        self.elements += 1
        self.depth += 1
        self.text = 0
        if self.budget[0] < 0:
            raise _Excess(_too_complex(MAX_ELEMENTS))
        if self.elements > MAX_PART_ELEMENTS and self.sheet is None and self.root != "sst":
            raise _Excess(_too_complex(MAX_PART_ELEMENTS))
        if self.depth > MAX_DEPTH:
            raise _Excess(
                _("Classeur anormal (XML imbriqué sur plus de {n} niveaux).", n=MAX_DEPTH)
            )
        local = name.rpartition(" ")[2]
        if self.sheet is not None:
            self._sheet_element(local, attrs)
        elif self.depth == 1:
            self._root(local)
        elif local == "si" and self.root == "sst":
            self.strings += 1
            if self.strings > MAX_STRINGS:
                raise _Excess(
                    _(
                        "Classeur anormal : plus de {n} textes différents. Copiez le tableau "
                        "utile dans un nouveau modèle téléchargé.",
                        n=_count(MAX_STRINGS),
                    )
                )
        elif local == "sheet" and self.root == "workbook":
            self.sheets += 1
            if self.sheets > MAX_SHEETS:
                raise _Excess(
                    _(
                        "Classeur de plus de {n} feuilles : gardez seulement les feuilles du "
                        "modèle (Saisie, Budget).",
                        n=MAX_SHEETS,
                    )
                )
        elif local == "Relationship" and attrs.get("Type", "").endswith("/worksheet"):
            target = attrs.get("Target", "").lstrip("/").rpartition("/")[2]
            if target in self.targets:
                raise _Excess(_("Classeur anormal : plusieurs feuilles lisent la même partie."))
            self.targets.add(target)

    def _root(self, local: str) -> None:
        self.root = local
        if local == "worksheet":
            self.sheet = SheetStats()

    def _sheet_element(self, local: str, attrs: dict[str, str]) -> None:
        sheet = self.sheet
        assert sheet is not None
        if local == "c":
            sheet.cells += 1
            ref = attrs.get("r")
            self.column = column_number(ref) if ref else self.column + 1
            sheet.last_column = max(sheet.last_column, self.column)
        elif local == "row":
            sheet.last_row = _row_number(attrs.get("r", ""), sheet.last_row)
            self.column = 0
        elif local == "mergeCell":
            sheet.merged.append(attrs.get("ref", ""))
        elif local == "dimension":
            sheet.dimension = attrs.get("ref", "")[:40]

    def end(self, _name: str) -> None:
        self.depth -= 1
        self.text = 0

    def characters(self, data: str) -> None:
        self.text += len(data)
        if self.text > MAX_TEXT:
            raise _Excess(
                _(
                    "Classeur anormal : un texte de plus de {n} caractères (la limite d'Excel "
                    "pour une cellule). Raccourcissez-le.",
                    n=_count(MAX_TEXT),
                )
            )


def _refuse_doctype(*_args: Any) -> None:
    raise _Excess(_("Classeur anormal (déclaration DOCTYPE) : enregistrez-le depuis Excel."))


def _looks_like_xml(chunk: bytes) -> bool:
    """Tell whether a part could be read as XML, judged by its content, never by its name.

    Leading whitespace is skipped however long (a sheet padded with spaces is still XML); a
    part of whitespace only is scanned too, and refused by the parser.
    """
    stripped = chunk.lstrip(b" \t\r\n")
    return not stripped or stripped.startswith((b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> _Scanner:
    scanner = _Scanner(budget)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.characters
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    with archive.open(info) as stream:
        first = True
        while chunk := stream.read(CHUNK):
            if first and not _looks_like_xml(chunk):
                return scanner  # binary (an image, printer settings): never parsed as XML
            first = False
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    return scanner


def scan_workbook(content: bytes) -> WorkbookScan:
    """Stream every XML part of the workbook; refuse it at the first excess."""
    scan = WorkbookScan()
    budget = [MAX_ELEMENTS]
    stream = io.BytesIO(content)
    try:
        problem = too_many_entries(stream, LIMITS)
        if problem:
            raise ImportRefused(
                _("Classeur refusé : {problem} Enregistrez-le depuis Excel.", problem=problem)
            )
        with zipfile.ZipFile(stream) as archive:
            problem = check_archive(archive, LIMITS)
            if problem:
                raise ImportRefused(
                    _("Classeur refusé : {problem} Enregistrez-le depuis Excel.", problem=problem)
                )
            for info in archive.infolist():
                scanner = _scan_part(archive, info, budget)
                if scanner.sheet is not None:
                    scan.sheets[info.filename] = scanner.sheet
    except ImportRefused:
        raise
    except _Excess as exc:
        raise ImportRefused(str(exc)) from None
    except (expat.ExpatError, zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        raise ImportRefused(
            _("Classeur .xlsx endommagé : ouvrez-le dans Excel et enregistrez-le de nouveau.")
        ) from None
    return scan


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _sheet_problem(sheet: str, stats: SheetStats) -> str | None:
    """Say what in one sheet is beyond the product's limits, or None."""
    if stats.merged:
        return _(
            "Feuille « {sheet} » : cellules fusionnées ({ranges}). Annulez la fusion puis "
            "importez de nouveau.",
            sheet=_(sheet),
            ranges=", ".join(stats.merged[:5]),
        )
    if stats.last_column > MAX_COLUMN:
        return _(
            "Feuille « {sheet} » : des cellules remplies ou mises en forme jusqu'à la colonne "
            "{column}, au-delà de la colonne {maximum}. Supprimez les colonnes à droite du "
            "tableau (sélectionnez-les, clic droit, Supprimer) puis importez de nouveau.",
            sheet=_(sheet),
            column=column_letter(min(stats.last_column, 16_384)),
            maximum=column_letter(MAX_COLUMN),
        )
    return None


def check_sheet_limits(stats: dict[str, SheetStats]) -> None:
    """Refuse the sheets to read when they hold more than the product reads (named sheets)."""
    for sheet, found in stats.items():
        problem = _sheet_problem(sheet, found)
        if problem:
            raise ImportRefused(problem)
    rows = sum(max(s.last_row - 1, 0) for s in stats.values())
    if rows > MAX_ROWS:
        raise ImportRefused(
            _(
                "Trop de lignes (plus de {maximum}) : {maximum} au plus par fichier. "
                "Découpez-le en plusieurs fichiers.",
                maximum=MAX_ROWS,
            )
        )
    cells = sum(s.cells for s in stats.values())
    if cells > MAX_CELLS:
        raise ImportRefused(
            _(
                "Trop de cellules ({n}, vides comprises ; {maximum} au plus) : des lignes ou "
                "des colonnes entières ont sans doute été mises en forme. Copiez seulement le "
                "tableau utile dans un nouveau modèle téléchargé, puis importez-le.",
                n=_count(cells),
                maximum=_count(MAX_CELLS),
            )
        )
