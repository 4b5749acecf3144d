"""Translation layer: French message ids, gettext catalogs for English and Arabic (Babel)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

CATALOG_DIR = Path(__file__).resolve().parent
LANGUAGES = ("fr", "en", "ar")
DEFAULT_LANG = "fr"
RTL_LANGUAGES = frozenset({"ar"})


@cache
def _catalog(lang: str) -> NullTranslations:
    """Load the compiled catalog of a language (French is the source: no catalog needed)."""
    if lang == DEFAULT_LANG:
        return NullTranslations()
    return Translations.load(str(CATALOG_DIR), [lang], domain="messages")


def current_lang() -> str:
    """Return the language of the current request, or the configured default outside one."""
    try:
        from flask import g, has_request_context
    except ImportError:  # pragma: no cover - flask is a hard dependency
        return DEFAULT_LANG
    if has_request_context():
        lang = getattr(g, "lang", None)
        if lang in LANGUAGES:
            return str(lang)
    return DEFAULT_LANG


def translate(message: str, lang: str | None = None, **values: Any) -> str:
    """Translate a French message id into the language, then fill its {placeholders}."""
    text = _catalog(lang or current_lang()).gettext(message)
    return text.format(**values) if values else text


_ = translate


def direction(lang: str | None = None) -> str:
    """Return the text direction of the language: rtl for Arabic, ltr otherwise."""
    return "rtl" if (lang or current_lang()) in RTL_LANGUAGES else "ltr"
