"""Text bound for a spreadsheet (CSV or Excel): never read as a formula.

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" (and, in some, a tab or a
carriage return) as a formula: a user name, a comment or a budget reference typed as
``=HYPERLINK("http://…","clic")`` would become a live link, or worse, in the file a colleague
opens. Every export writes people's text through ``inert_text``, which puts an apostrophe in
front (what a spreadsheet user types to force text). A text that is only a number, such as
"-5" or "+12,5", cannot run anything and is left as it is, so a number stays a number.

The browser's CSV export (assets/exports.js) applies the same rule with the same two values,
handed to it by the server (components/exports.py): this module is their one definition.
"""

from __future__ import annotations

import re

# What a spreadsheet reads as the start of a formula (OWASP's list, "CSV injection").
FORMULA_STARTS = "=+-@\t\r"
# A sign, digits and the languages' separators only (a space is Excel's intersection operator):
# a plain number, no operator, no reference, nothing to run.
PLAIN_NUMBER = r"^[-+]?[0-9][0-9.,\u00a0\u202f]*$"
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER)


def is_formula_like(text: str) -> bool:
    """Tell whether a spreadsheet would read this text as a formula."""
    return bool(text) and text[0] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(text)


def inert_text(text: str) -> str:
    """Return the text so that a spreadsheet shows it as typed: "'=1+1" for "=1+1"."""
    return "'" + text if is_formula_like(text) else text
