"""Text bound for a CSV file: no formula, whichever list separator the spreadsheet splits on.

Excel splits a CSV on the computer's list separator, not on the file's: a French file (";")
opened on an English Windows is split on ",", an English file on a French one on ";". Quoting
every field (``csv.QUOTE_ALL``) keeps a field whole only where the field starts the line:
further along the line the opening quote is glued to the previous piece and means nothing, so
``Rapport,=HYPERLINK(...)`` in the second column still made a cell starting with "=". And once
the quotes mean nothing, a line break inside a text ends the row there.

So, besides the start of the text (``inert_text``), every piece that either separator or a
line break cuts out of it gets an apostrophe when it would start a formula, quotes and spaces
before it counted: "Rapport,=1+1" -> "Rapport,'=1+1". A piece that is only a number ("1,5;-2")
is left as it is. Read with the file's own separator, the text is unchanged but for those
apostrophes, which only appear in front of what looked like a formula. The grids' CSV button
(assets/exports.js ``inert``) applies the same rule in the browser.
"""

from __future__ import annotations

import re

from dashboard.domain.spreadsheet import inert_text, is_formula_like

# Where a spreadsheet may cut a text into cells: either list separator, or a line break.
_CUTS = re.compile(r"([,;\r\n])")
# What a spreadsheet skips before deciding that a cell is a formula.
_LEADING = ' "'


def csv_inert_text(text: str) -> str:
    """Return a text for a CSV field: no piece of it reads as a formula, whatever the separator."""
    parts = _CUTS.split(inert_text(text))
    # parts alternate: text, cut, text, cut, ...; the first text is handled by inert_text.
    for index in range(2, len(parts), 2):
        piece = parts[index]
        if is_formula_like(piece.lstrip(_LEADING)):
            parts[index] = "'" + piece
    return "".join(parts)
