"""Translation layer: French message ids, gettext catalogs for English and Arabic (Babel).

The interface is written in French; every user-facing string goes through ``_`` (an alias of
``translate``), whose message id is the French text. English and Arabic come from the catalogs
``dashboard/i18n/<lang>/LC_MESSAGES/messages.po``, read and compiled in memory on first use, so
that a fresh clone runs without a build step (``make i18n`` re-extracts and updates them).

The language of a call is, in order: an explicit ``lang`` argument, the language set with
``use_lang`` (reports and the command line), the request's ``g.lang`` (set by the server from
``?lang=``, the session or the account), and finally French.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import g, has_request_context

CATALOG_DIR = Path(__file__).resolve().parent
DOMAIN = "messages"
LANGUAGES = ("fr", "en", "ar")
DEFAULT_LANG = "fr"
RTL_LANGUAGES = frozenset({"ar"})
LANGUAGE_NAMES = {"fr": "Français", "en": "English", "ar": "العربية"}

log = logging.getLogger(__name__)
_forced: ContextVar[str | None] = ContextVar("cti_forced_lang", default=None)


def catalog_path(lang: str) -> Path:
    """Return the path of a language's editable catalog (.po)."""
    return CATALOG_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _catalog(lang: str) -> NullTranslations:
    """Load a language's catalog, compiled in memory (French is the source: no catalog).

    Fuzzy entries (guesses left by ``pybabel update``) are left out, so they show in French
    until someone has checked them.
    """
    path = catalog_path(lang)
    if lang == DEFAULT_LANG or not path.exists():
        if lang != DEFAULT_LANG:
            log.warning("catalogue de traduction absent : %s", path)
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def reload_catalogs() -> None:
    """Forget the loaded catalogs (after ``make i18n`` in a running process, or in tests)."""
    _catalog.cache_clear()


def normalize_lang(value: object) -> str | None:
    """Return a supported language code for "ar", "AR", "ar-MA" or "ar_MA", else None."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-", 1)[0]
    return code if code in LANGUAGES else None


def current_lang() -> str:
    """Return the language in force: ``use_lang``, then the request's, then French."""
    forced = _forced.get()
    if forced is not None:
        return forced
    if has_request_context():  # called for every label and number: kept to one lookup of g
        lang = g.get("lang")
        if lang in LANGUAGES:
            return str(lang)
    return DEFAULT_LANG


@contextmanager
def use_lang(lang: str | None) -> Iterator[str]:
    """Translate and format in ``lang`` inside the block (reports, command line, tests)."""
    code = normalize_lang(lang) or DEFAULT_LANG
    token = _forced.set(code)
    try:
        yield code
    finally:
        _forced.reset(token)


def translate(message: str, lang: str | None = None, **values: Any) -> str:
    """Translate a French message id into the language, then fill its {placeholders}."""
    text = _catalog(lang or current_lang()).gettext(message) if message else message
    return text.format(**values) if values else text


_ = translate


def ngettext(singular: str, plural: str, count: int, lang: str | None = None, **values: Any) -> str:
    """Translate a message whose wording depends on ``count``, then fill its {placeholders}.

    The French ids are the singular and the plural; French puts 0 and 1 in the singular
    ("1 indicateur", "0 indicateur"). English and Arabic take the form their catalog's
    Plural-Forms picks (Arabic has six). ``{n}`` is filled with ``count`` unless ``values``
    gives it (a formatted count: ``n=fmt_number(count)``).
    """
    code = lang or current_lang()
    if code == DEFAULT_LANG:
        text = singular if abs(count) < 2 else plural
    else:
        text = _catalog(code).ngettext(singular, plural, count)
    return text.format(**{"n": count, **values})


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a French message id for extraction without translating it yet (constants)."""
    return message


def term(text: str | None, lang: str | None = None) -> str:
    """Translate a reference name stored in French (sector, unit, indicator label), if known.

    Unlike ``translate`` it never fills placeholders (data may contain braces) and returns
    the French text unchanged when no translation exists (a name entered by a user).
    """
    if not text:
        return text or ""
    return _catalog(lang or current_lang()).gettext(text)


def pick(lang: str | None, *, fr: str, en: str = "", ar: str = "") -> str:
    """Choose the text of a field stored in three columns, French when the other is empty."""
    code = lang or current_lang()
    chosen = {"en": en, "ar": ar}.get(code, "")
    return chosen or fr


def pair(label: str, value: object) -> str:
    """Join a label and its value with the language's colon: "Engagé : 12 MDH" in French."""
    return translate("{label} : {value}", label=label, value=value)


def page_title(label: str) -> Callable[..., str]:
    """Return a page title for ``dash.register_page``, translated when the page is shown.

    Dash calls it with the page's path variables, which lead the title when there are some:
    "Axes stratégiques · Plan CTI", "CETIA · Contrat-objectifs · Plan CTI".
    """

    def title(**path: Any) -> str:
        parts = [str(value)[:40] for value in path.values() if value]
        return " · ".join([*parts, translate(label), translate("Plan CTI")])

    return title


def direction(lang: str | None = None) -> str:
    """Return the text direction of the language: rtl for Arabic, ltr otherwise."""
    return "rtl" if (lang or current_lang()) in RTL_LANGUAGES else "ltr"


def is_rtl(lang: str | None = None) -> bool:
    """Tell whether the language is written right to left."""
    return direction(lang) == "rtl"
