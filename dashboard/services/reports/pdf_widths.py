"""Widths of the PDF tables' columns that hold every header word and every code whole.

A header wraps between words only (« Dernière valeur validée » on three lines, never
« Dernière va- leur »), and codes, numbers, periods and statuses stay on one line
(« CETIEV-A2-03 », never « CETIEV- » over « A2-03 »): report.css forbids breaking them. So each
column must be at least as wide as its header's longest word and its longest unbreakable cell.
The columns' ``width`` give the proportions; a column too narrow for its words gets what it
needs, taken from the columns that have room to spare (the labels). A table whose words cannot
fit at its size is set dense (a smaller font, tighter padding: ``table.data.dense`` in
report.css). Text is measured with the report's fonts (Noto Sans, Noto Sans Arabic), or
estimated when they are not installed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from dashboard.services.reports.tables import Table

TABLE_MM = 180.0  # the page's width between its margins (report.css: A4, 15 mm each side)
AIR_MM = 0.8  # a little room beyond the measured text (the fonts' shaping, rounding)
# Font size (pt) and horizontal padding (mm, both sides) of table.data: normal, compact, dense.
NORMAL = (7.8, 3.0)
COMPACT = (7.2, 3.0)
DENSE = (6.6, 2.2)
HEADER_SCALE = 0.95  # table.data th { font-size: 0.95em }
STATUS_DOT_MM = 3.2  # the coloured dot before a status and its gap
PT_MM = 25.4 / 72
ESTIMATE_EM = 0.62  # a wide average glyph, when a font cannot be read

Measure = Callable[[str, float, bool], float]


FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")


@cache
def _font(family: str, bold: bool) -> dict[int, float] | None:
    """Return a font's advance widths in em by code point, or None when it is not installed."""
    name = f"{family.replace(' ', '')}-{'Bold' if bold else 'Regular'}.ttf"
    for folder in FONT_DIRS:
        for path in sorted(folder.rglob(name)) if folder.is_dir() else []:
            try:
                font = TTFont(path, lazy=True)
                scale = 1.0 / float(font["head"].unitsPerEm)
                metrics = font["hmtx"].metrics
                return {
                    code: metrics[glyph][0] * scale
                    for code, glyph in font.getBestCmap().items()
                    if glyph in metrics
                }
            except (OSError, KeyError, AttributeError, TypeError):
                continue
    return None


def text_mm(text: str, size_pt: float, bold: bool) -> float:
    """Return the width of a line of text in mm, in the report's fonts (Arabic, then Latin)."""
    fonts = [_font("Noto Sans Arabic", bold), _font("Noto Sans", bold)]
    em = 0.0
    for char in text:
        width = next((f[ord(char)] for f in fonts if f is not None and ord(char) in f), None)
        em += ESTIMATE_EM if width is None else width
    return em * size_pt * PT_MM


def _longest_word(text: str, size_pt: float, bold: bool, measure: Measure) -> float:
    return max((measure(word, size_pt, bold) for word in text.split()), default=0.0)


@dataclass(frozen=True)
class ColumnLayout:
    """A table's column widths in % and whether it is set dense to hold its words."""

    widths: list[float]
    dense: bool = False


def _needed(
    table: Table,
    cell: Callable[[Any, dict[str, Any]], str],
    unbroken: Callable[[Any], bool],
    measure: Measure,
    size: tuple[float, float],
) -> list[float]:
    """Return each column's narrowest width in mm: its header's words, its unbroken cells."""
    rows: list[dict[str, Any]] = [*table.rows, *([table.total] if table.total else [])]
    cell_pt, padding = size
    needs = []
    for column in table.pdf_columns:
        need = _longest_word(column.header, cell_pt * HEADER_SCALE, True, measure)
        texts: Iterable[str] = (cell(column, row) for row in rows)
        if column.kind == "status":
            need = max(need, *(measure(t, cell_pt, True) + STATUS_DOT_MM for t in texts), 0.0)
        elif unbroken(column):
            need = max(need, *(measure(t, cell_pt, False) for t in texts), 0.0)
        else:
            need = max(need, *(_longest_word(t, cell_pt, False, measure) for t in texts), 0.0)
        needs.append(need + padding + AIR_MM)
    return needs


def column_layout(
    table: Table,
    cell: Callable[[Any, dict[str, Any]], str],
    unbroken: Callable[[Any], bool],
    *,
    compact: bool = False,
    measure: Measure = text_mm,
) -> ColumnLayout:
    """Return the widths of a table's PDF columns: its proportions, each word whole.

    ``cell(column, row)`` is a cell's text; ``unbroken(column)`` tells whether its cells stay
    on one line. A table too wide at its size is set dense; if even then the words cannot all
    fit, the proportions are kept where they are wider.
    """
    needs = _needed(table, cell, unbroken, measure, COMPACT if compact else NORMAL)
    dense = sum(needs) > TABLE_MM
    if dense:
        needs = _needed(table, cell, unbroken, measure, DENSE)
    wraps = [c.kind != "status" and not unbroken(c) for c in table.pdf_columns]
    return ColumnLayout(_fit(table.pdf_widths, needs, wraps), dense)


def _fit(proportions: list[float], needs: list[float], wraps: list[bool]) -> list[float]:
    """Widen the columns narrower than they need, at the expense of those with room to spare.

    Room is taken first from the columns whose cells stay on one line (a number gains nothing
    from a wider column), then from those whose text wraps (a label only gets taller).
    """
    widths = [max(TABLE_MM * p / 100, need) for p, need in zip(proportions, needs, strict=True)]
    for donors in ([not w for w in wraps], wraps):
        deficit = sum(widths) - TABLE_MM
        slack = [
            max(w - n, 0.0) if donor else 0.0
            for w, n, donor in zip(widths, needs, donors, strict=True)
        ]
        spare = sum(slack)
        if deficit > 0 and spare > 0:
            taken = min(deficit, spare)
            widths = [w - taken * s / spare for w, s in zip(widths, slack, strict=True)]
    total = sum(widths) or 1.0
    return [round(100 * w / total, 2) for w in widths]
