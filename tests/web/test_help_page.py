"""The help page /aide: every page, the measures with their definitions, the statuses."""

from __future__ import annotations

import json
from typing import Any

from dash import Dash

from dashboard.domain.indicators import StatusThresholds
from dashboard.i18n import use_lang
from dashboard.services.formatting import fmt_pct
from dashboard.services.help import PAGES, help_sections
from dashboard.services.measures import MEASURES
from tests.web.conftest import open_page


def _text(payload: str) -> str:
    """Every string in a callback's JSON answer, joined (what the page shows)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(payload))
    return " ".join(found)


def test_help_defines_each_measure_and_the_status_thresholds(app: Dash, signed_in: Any) -> None:
    client = signed_in("viewer")
    text = _text(open_page(app, client, "/aide"))
    for measure in MEASURES:
        assert measure.name("fr") in text
        assert measure.definition("fr")[:60] in text
    # The thresholds in force (settings), not literals: 95 % and 80 % by default.
    assert fmt_pct(0.95, lang="fr") in text and fmt_pct(0.8, lang="fr") in text
    for _path, name, _about in PAGES:
        assert name in text


def test_help_speaks_the_readers_language(app: Dash, signed_in: Any) -> None:
    client = signed_in("viewer")
    client.get("/?lang=en")  # the language is kept in the session, as a browser's link does
    english = _text(open_page(app, client, "/aide"))
    assert "Achievement" in english or "achievement" in english
    assert "Vue d'ensemble" not in english


def test_each_section_lists_entries_in_every_language() -> None:
    for lang in ("fr", "en", "ar"):
        with use_lang(lang):
            sections = help_sections(StatusThresholds(on_track=0.9, watch=0.7))
        assert [s.anchor for s in sections] == ["pages", "mesures", "statuts", "saisie", "donnees"]
        assert all(s.entries for s in sections)
        statuses = next(s for s in sections if s.anchor == "statuts")
        assert "90" in statuses.entries[0].text and "70" in statuses.entries[1].text
