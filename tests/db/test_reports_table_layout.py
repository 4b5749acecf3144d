"""PDF tables read as words: no header cut mid-word, no code broken in two (issue 19, also seen).

« Dernière va- leur », « Taux d'enga- gement » and « CETIEV- » over « A2-03 » were in the
printed report. These tests lay the report out with WeasyPrint and look at where each line of
text landed: every header and code cell holds its text inside its own column, no line ends
with a hyphen WeasyPrint added, and a code takes one line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from dashboard.services.reports import check_request, gather
from dashboard.services.reports.language import Formats, speaking
from dashboard.services.reports.pdf import TEMPLATES, render_html
from tests.conftest import DEMO_TODAY, SqliteTemplates
from tests.db.reports_support import module_engine

HYPHENS = ("\u2010", "\u00ad", "-")  # what WeasyPrint draws at a break it made


@pytest.fixture(scope="module")
def demo(
    sqlite_templates: SqliteTemplates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The demo database, shared by the tests of this module (they only read)."""
    yield from module_engine(sqlite_templates, tmp_path_factory, "reports-layout")


def _walk(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _walk(child)


def _cells(engine: Engine, lang: str, cti: str | None) -> Iterator[tuple[int, Any]]:
    """Lay the report out; yield (page, cell box) for each header and code cell."""
    request = check_request(engine=engine, today=DEMO_TODAY, fmt="pdf", cti=cti, lang=lang)
    data = gather(engine=engine, today=DEMO_TODAY, request=request)
    with speaking(lang):
        html = render_html(data, Formats(lang))
    document = HTML(string=html, base_url=str(TEMPLATES)).render()
    for number, page in enumerate(document.pages, 1):
        for box in _walk(page._page_box):
            if not isinstance(box, boxes.TableCellBox) or box.element is None:
                continue
            classes = (box.element.get("class") or "").split()
            if box.element_tag == "th" or "code" in classes:
                yield number, box


def _problems(engine: Engine, lang: str, cti: str | None) -> list[tuple[Any, ...]]:
    found = []
    for page, cell in _cells(engine, lang, cti):
        left = cell.content_box_x()
        right = left + cell.width
        lines = [b for b in _walk(cell) if isinstance(b, boxes.LineBox)]
        texts = [b for b in _walk(cell) if isinstance(b, boxes.TextBox)]
        whole = " ".join(t.text for t in texts)
        source = "".join(cell.element.itertext())
        for text in texts:
            if text.position_x < left - 0.5 or text.position_x + text.width > right + 0.5:
                found.append((page, whole, "sort de sa colonne"))
            if text.text.endswith(HYPHENS) and text.text.strip() not in source.split():
                found.append((page, whole, "coupé par un trait d'union"))
        if cell.element_tag == "td" and len(lines) > 1:
            found.append((page, whole, f"code sur {len(lines)} lignes"))
    return sorted(set(found))


@pytest.mark.parametrize(
    ("lang", "cti"),
    [("fr", None), ("fr", "CETEMCO"), ("en", "CETIEV"), ("ar", "CETEMCO")],
)
def test_headers_break_between_words_and_codes_stay_whole(
    demo: Engine, lang: str, cti: str | None
) -> None:
    # CETEMCO has the longest acronym (its codes are the widest); the contract report's
    # indicator table has the most columns (four target years and the projection).
    assert _problems(demo, lang, cti) == []
