"""Collect every user-facing French string and check the English and Arabic catalogs.

Sources: the ``_``/``translate``/``N_``/``page_title`` calls in dashboard/ and the Jinja
templates (mapped by babel.cfg), plus the reference names stored in French in data/ (CTI
names and sectors, axis short titles, units, demo indicator labels...), which the pages
translate with ``term``. ``make i18n`` writes messages.pot and merges it into the .po files;
``check`` lists what a translator still has to do (used by tests/unit/test_translations.py).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from dashboard.i18n import CATALOG_DIR, DEFAULT_LANG, DOMAIN, LANGUAGES, catalog_path

ROOT = CATALOG_DIR.parents[1]
TEMPLATE = CATALOG_DIR / f"{DOMAIN}.pot"
# ``NavItem(path, label, ...)``: navigation labels are the second argument.
KEYWORDS: dict[str, Any] = {
    "_": None,
    "translate": None,
    "ngettext": (1, 2),  # ngettext(singular, plural, n): a message whose wording follows n
    "N_": None,
    "page_title": None,
    "NavItem": (2,),
}
# Reference data shown in the interface, stored in French: file -> list path -> fields.
REFERENCE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "data/reference/ctis.yaml": ((), ("name", "sector", "federation_name", "city")),
    "data/reference/axes.yaml": ((), ("short_fr",)),
    "data/reference/plans.yaml": ((), ("title", "note", "signed_at_place")),
    "data/reference/network_figures.yaml": ((), ("unit", "note")),
    "data/reference/source_notes.yaml": ((), ("text_fr", "followed")),
    "data/demo/recipe.yaml": (("catalogue",), ("label", "unit", "baseline_measure")),
}
TARGET_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != DEFAULT_LANG)


def _code_messages(root: Path) -> Iterator[tuple[str | tuple[str, str], str, int]]:
    """Yield (message, file, line) for each marked string of the code and templates.

    A ``ngettext`` message is the pair (singular, plural) of its French ids.
    """
    with (root / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)  # type: ignore[no-untyped-call]
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(root),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=(),
        strip_comment_tags=True,
    ):
        if isinstance(message, str) and message:
            yield message, filename, lineno
        elif isinstance(message, tuple) and len(message) == 2 and all(message):
            yield (str(message[0]), str(message[1])), filename, lineno


def _walk(node: Any, path: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Yield the mappings found at a list path inside a YAML document."""
    if path:
        if isinstance(node, dict):
            yield from _walk(node.get(path[0]), path[1:])
        return
    items = node if isinstance(node, list) else [node]
    yield from (item for item in items if isinstance(item, dict))


def reference_messages(root: Path = ROOT) -> Iterator[tuple[str, str, int]]:
    """Yield (text, file, 0) for the reference names stored in French in data/."""
    for relative, (path, fields) in REFERENCE_FIELDS.items():
        file = root / relative
        if not file.exists():
            continue
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
        for item in _walk(document, path):
            for field in fields:
                value = item.get(field)
                if isinstance(value, str) and value.strip() and value.strip() != "%":
                    yield value.strip(), relative, 0


def build_template(root: Path = ROOT) -> Catalog:
    """Return the catalog template: every message id, with where it comes from."""
    catalog = Catalog(project="cti-dashboard", domain=DOMAIN, charset="utf-8", fuzzy=False)
    for message, filename, lineno in [*_code_messages(root), *reference_messages(root)]:
        catalog.add(message, locations=[(filename, lineno)])
    return catalog


def write_catalog(catalog: Catalog, path: Path, *, template: bool = False) -> None:
    """Write a catalog or a template, sorted for readable diffs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(
            handle,
            catalog,
            width=100,
            sort_output=True,
            omit_header=False,
            ignore_obsolete=False,
            include_previous=False,
            no_location=template is False,
        )


def load_catalog(lang: str) -> Catalog:
    """Read a language's catalog, or a new empty one."""
    path = catalog_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="cti-dashboard")
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def update_catalogs(root: Path = ROOT) -> Catalog:
    """Write messages.pot and merge it into each language's catalog; return the template."""
    template = build_template(root)
    write_catalog(template, TEMPLATE, template=True)
    for lang in TARGET_LANGUAGES:
        catalog = load_catalog(lang)
        catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
        write_catalog(catalog, catalog_path(lang))
    return template


def placeholders(text: str) -> set[str]:
    """Return the {names} a message fills (an invalid format string counts as none)."""
    try:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    except ValueError:
        return set()


@dataclass(frozen=True)
class Problem:
    """A message a translator still has to handle in one language."""

    lang: str
    message: str
    issue: str

    def __str__(self) -> str:
        return f"[{self.lang}] {self.issue}: {self.message!r}"


def check_catalogs(
    messages: Iterable[str] | None = None, languages: Iterable[str] = TARGET_LANGUAGES
) -> list[Problem]:
    """List missing, empty, unchecked (fuzzy) or badly templated translations."""
    if messages is None:
        messages = [m.id for m in build_template() if isinstance(m.id, str) and m.id]
    wanted = sorted(set(messages))
    problems: list[Problem] = []
    for lang in languages:
        catalog = load_catalog(lang)
        for message in wanted:
            entry = catalog.get(message)
            text = entry.string if entry is not None else None
            if entry is None or not isinstance(text, str) or not text.strip():
                problems.append(Problem(lang, message, "sans traduction"))
            elif entry.fuzzy:
                problems.append(Problem(lang, message, "à vérifier (fuzzy)"))
            elif placeholders(text) != placeholders(message):
                problems.append(Problem(lang, message, "champs {…} différents"))
    return problems
