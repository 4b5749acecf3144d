"""How many rows a list sends to the browser, and how the list says it shows only some.

A grid of tens of thousands of rows weighs megabytes and freezes the browser; nobody reads
past the first few hundred. Long lists send at most ``ROW_LIMIT`` rows, the most useful first
(newest movements, oldest submissions, most out-of-date figures), with the total, and offer
filters to reach the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.i18n import _
from dashboard.services.formatting import fmt_number

ROW_LIMIT = 500


@dataclass(frozen=True)
class LimitedRows:
    """Rows for a grid, at most a limit of them, and how many there are in all."""

    rows: list[dict[str, Any]]
    total: int

    @property
    def limited(self) -> bool:
        """Tell whether some rows were left out."""
        return self.total > len(self.rows)

    def note(self, message: str) -> str:
        """Translate ``message`` (marked with N_; {total}, {shown}) if rows were left out, or "".

        The numbers are formatted in the reader's language ("8 400" in French).
        """
        if not self.limited:
            return ""
        return _(message, total=fmt_number(self.total), shown=fmt_number(len(self.rows)))
