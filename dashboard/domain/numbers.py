"""Numbers people type, read with the separators of the language in force.

French writes 1 234,5 (spaces between thousands, a decimal comma), English 1,234.5, Arabic as
in Morocco 1.234,5 (``dashboard.i18n.formats.number_style``). A number is read as its writer
meant it, or refused; never read 1,000 times too small or too large:

- spaces of any kind (and the Swiss apostrophe) group thousands in every language: "1 250";
- with both marks, the last one is the decimal mark: "1,234.5" and "1.234,5" are 1234.5;
- a mark repeated groups thousands: "1,234,567";
- a single mark followed by exactly three digits ("1,250") groups thousands where it is the
  language's group mark (English ",", Arabic "."); elsewhere it could be either (1,25 in
  French typography, 1 250 to an English reader), so it is refused with a message saying
  which mark is the decimal one and how to write each reading;
- any other single mark is a decimal mark, comma or point: "12,5" and "12.5" are 12.5.

``input_number`` writes a number so that this reading gives it back: what a form shows in a
field can be saved again as it is.
"""

from __future__ import annotations

import math
import re

from dashboard.i18n import LANGUAGES, _, current_lang
from dashboard.i18n.formats import format_plain, number_style

# Spaces of any width (thousands in French) and the apostrophe (Swiss thousands).
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
# Direction marks around a minus sign (Arabic writes "\u200e-5"), and the typographic minus.
_MARKS = str.maketrans({"\u200e": None, "\u200f": None, "\u061c": None, "\u2212": "-"})
_EXPONENT = re.compile(r"[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)[eE][-+]?\d{1,4}")
_BODY = re.compile(r"([-+]?)(\d[\d.,]*|[.,]\d+)")
_FIRST_GROUP = re.compile(r"[1-9]\d{0,2}")
_GROUP = re.compile(r"\d{3}")


class AmbiguousNumber(ValueError):
    """A single mark followed by three digits, in a language where it may be either."""


def _lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else current_lang()


def _grouped(parts: list[str]) -> bool:
    """Tell whether digit groups are thousands: 1 to 3 digits, then groups of exactly 3."""
    return bool(_FIRST_GROUP.fullmatch(parts[0])) and all(
        _GROUP.fullmatch(part) for part in parts[1:]
    )


def _read(text: str, group: str) -> float | None:
    """Read a number without spaces; None if it is not one; AmbiguousNumber if it may be two."""
    if _EXPONENT.fullmatch(text):
        return float(text.replace(",", "."))
    match = _BODY.fullmatch(text)
    if match is None:
        return None
    sign, body = match.groups()
    tokens = re.split(r"([.,])", body)
    digits, marks = tokens[0::2], tokens[1::2]
    if any(not part for part in digits[1:]):
        return None  # two marks in a row, or a mark at the end
    if not marks:
        whole, fraction = body, ""
    elif len(set(marks)) == 2:
        decimal = marks[-1]
        if decimal in marks[:-1] or not _grouped(digits[:-1]):
            return None
        whole, fraction = "".join(digits[:-1]), digits[-1]
    elif len(marks) > 1:
        if not _grouped(digits):
            return None
        whole, fraction = "".join(digits), ""
    elif _grouped(digits):  # one mark, then exactly three digits: thousands or decimals?
        if marks[0] != group:
            raise AmbiguousNumber(text)
        whole, fraction = "".join(digits), ""
    else:
        whole, fraction = digits[0] or "0", digits[1]
    return float(f"{sign}{whole}.{fraction or 0}")


def _as_float(raw: int | float) -> float | None:
    """Return a Python number as a float, None beyond any float (an int such as 10**400)."""
    try:
        return float(raw)
    except OverflowError:
        return None


def _not_finite(label: str, lang: str) -> ValueError:
    return ValueError(
        _(
            "{label} n'est pas un nombre fini : saisissez par exemple 12 ou 12,5.",
            lang,
            label=label,
        )
    )


def _ambiguous(label: str, raw: str, text: str, lang: str) -> ValueError:
    whole = float(re.sub(r"[.,]", "", text))
    fraction = float(text.replace(",", "."))
    return ValueError(
        _(
            "{label} « {raw} » prête à confusion : un séparateur suivi de trois chiffres peut "
            "séparer les milliers ou les décimales. En français, la virgule marque les "
            "décimales : écrivez {whole} pour le nombre entier, ou {fraction} pour le nombre "
            "décimal.",
            lang,
            label=label,
            raw=raw,
            whole=input_number(whole, lang),
            fraction=input_number(fraction, lang),
        )
    )


def parse_number(raw: object, label: str | None = None, *, lang: str | None = None) -> float:
    """Read a number typed by a person ("1 234,5", "12.5", 7) or raise ValueError saying why.

    ``label`` names the number in the message, already translated (default "La valeur");
    ``lang`` is the language whose separators apply (default: the language in force).
    """
    code = _lang(lang)
    label = label or _("La valeur", code)
    if isinstance(raw, bool) or raw is None:
        raise ValueError(_("{label} est vide : saisissez un nombre.", code, label=label))
    if isinstance(raw, int | float):
        number = _as_float(raw)
    else:
        shown = str(raw).strip()[:40]
        text = _SPACES.sub("", str(raw).translate(_MARKS))
        if not text:
            raise ValueError(_("{label} est vide : saisissez un nombre.", code, label=label))
        try:
            number = _read(text, number_style(code).group)
        except AmbiguousNumber:
            raise _ambiguous(label, shown, text.lstrip("+"), code) from None
        if number is None:
            raise ValueError(
                _(
                    "{label} « {raw} » n'est pas un nombre : saisissez par exemple 12 ou 12,5.",
                    code,
                    label=label,
                    raw=shown,
                )
            )
    if number is None or not math.isfinite(number):
        raise _not_finite(label, code)
    return number


def input_number(value: float, lang: str | None = None) -> str:
    """Write a number for an input field so that ``parse_number`` reads it back exactly.

    No grouping, the language's decimal mark, every significant decimal: 1234.5 -> "1234,5"
    in French, "1234.5" in English. Where a single mark followed by three digits would be
    refused as ambiguous (1.125 -> "1,125"), a zero is added: "1,1250".
    """
    code = _lang(lang)
    text = format_plain(value, code)
    try:
        _read(_SPACES.sub("", text.translate(_MARKS)), number_style(code).group)
    except AmbiguousNumber:
        return text + "0"
    return text
