"""Free text as people type it, cleaned once before it is checked and stored.

A right-to-left override (U+202E) in a comment or a reference reorders what follows it on
screen: "rapport<RLO>fdp.exe" reads "rapportexe.pdf". The pages do not isolate user text
(no ``dir="auto"`` on it), so the text itself must not steer the direction: every Unicode bidi
control (embeddings, overrides, isolates and the marks LRM, RLM, ALM) is removed, with the
other invisible control characters but tabs and line breaks. Joiners (ZWJ, ZWNJ) stay: Arabic
and Persian spelling needs them. Text stored before this cleaning was cleaned by migration
0013; a backup taken before it brings such text back when restored, which ``has_controls``
detects.
"""

from __future__ import annotations

import unicodedata

# Unicode's Bidi_Control property, in full.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_KEPT_CONTROLS = frozenset("\t\n\r")
_DROP = {ord(c): None for c in BIDI_CONTROLS}
_INVISIBLE = (*range(0x20), 0x7F, *range(0x80, 0xA0))
_DROP.update({code: None for code in _INVISIBLE if chr(code) not in _KEPT_CONTROLS})


def strip_controls(text: str) -> str:
    """Remove bidi controls and invisible control characters (tabs and line breaks kept)."""
    return text.translate(_DROP)


def clean_text(raw: object) -> str:
    """Return a free text ready to check and store: controls removed, NFC, spaces trimmed.

    ``None`` becomes "". Every free-text entry path (forms, imports, the command line) calls
    this before the rules (``check_text``) so that a length counts what will be stored.
    """
    if raw is None:
        return ""
    text = unicodedata.normalize("NFC", str(raw))
    return strip_controls(text).strip()


def has_controls(text: str) -> bool:
    """Tell whether a text holds a bidi control (a stored text older than this cleaning)."""
    return any(c in BIDI_CONTROLS for c in text)
