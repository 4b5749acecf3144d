"""Reports in Arabic and English: the PDF's text is in the language, Arabic letters are real text.

pdftotext gives back the words of the page only if the PDF draws them with a font that has
Arabic glyphs and keeps their Unicode mapping; a PDF drawn with a Latin-only font shows empty
boxes and gives back no Arabic text, so these tests catch a missing font as well as a missing
translation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from dashboard.i18n import translate
from tests.conftest import SqliteTemplates
from tests.db.reports_support import module_engine, pdf_text, report

ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def demo(
    sqlite_templates: SqliteTemplates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The demo database, shared by the tests of this module (they only read)."""
    yield from module_engine(sqlite_templates, tmp_path_factory, "reports-arabic")


@pytest.fixture(scope="module")
def arabic(demo: Engine) -> bytes:
    """The national PDF report in Arabic."""
    return report(demo, "pdf", lang="ar").content


def _words(text: str) -> str:
    # pdftotext may hand back presentation forms: fold them to plain letters. It also breaks
    # the lam-alef ligature ("لا"), so the words looked for below have none.
    return unicodedata.normalize("NFKC", text)


def test_the_arabic_pdf_is_written_in_arabic(arabic: bytes, tmp_path: Path) -> None:
    text = _words(pdf_text(arabic, tmp_path))
    assert len(ARABIC_LETTERS.findall(text)) > 2000
    for french in ("À retenir", "Situation nationale", "Périmètre"):
        arabic_word = translate(french, "ar")
        assert arabic_word != french
        assert arabic_word in text, arabic_word
    assert "مليون درهم" in text  # amounts: "250,0 مليون درهم"
    assert "Enveloppe du plan" not in text


def test_the_arabic_pdf_embeds_a_font_with_arabic_glyphs(arabic: bytes) -> None:
    fonts: set[str] = set()
    for page in PdfReader(BytesIO(arabic)).pages[:2]:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont", "")))
    assert any(re.search(r"Arab|Noto|DejaVu", name) for name in fonts), fonts


def test_the_english_pdf_is_written_in_english(demo: Engine, tmp_path: Path) -> None:
    text = pdf_text(report(demo, "pdf", lang="en").content, tmp_path).lower()
    for expected in ("Summary", "Key points", "National position", "Plan envelope"):
        assert expected.lower() in text, expected
    assert "synthèse" not in text


def test_codes_and_french_comments_read_left_to_right_in_the_arabic_report(
    demo: Engine, tmp_path: Path
) -> None:
    """A code broken at its hyphen read "-CETIA" over "A1-01"; a French comment ended in front.

    Codes and comments typed in French are laid out left to right inside the right-to-left
    page: the code stays whole and the comment's full stop stays at its end.
    """
    content = report(demo, "pdf", lang="ar", cti="CETIA").content
    # pdftotext marks each run's direction (U+202A-U+202E): take the marks out.
    text = re.sub("[\u202a-\u202e]", "", pdf_text(content, tmp_path))
    lines = [line.strip() for line in text.split("\n")]
    assert "CETIA-A1-01" in text
    assert not re.search(r"-CETIA\b", text)  # no code broken with its hyphen in front
    comments = [line for line in lines if "trimestriel atteint" in line]
    assert comments, "the demo's comments are in the CETIA report"
    assert all(not line.startswith(".") for line in comments), comments
    # A quarter breaks, if it must, between its number and its year ("الفصل 4" / "من 2025").
    assert translate("{year}-T{quarter}", "ar", year=2025, quarter=4) == (
        "الفصل\u00a04 من\u00a02025"
    )


def test_a_cell_takes_the_direction_of_its_text() -> None:
    from dashboard.services.reports.pdf import _text_direction

    assert _text_direction("Objectif trimestriel atteint.") == "ltr"
    assert _text_direction("« تم بلوغ الهدف »") == "rtl"
    assert _text_direction("2025 : Objectif") == "ltr"
    assert _text_direction("12,5 % ") == "ltr"  # no letter: as the page's numbers
