"""Any workbook is read or refused within 5 s and 200 MB, whatever it expands into (issue 20.1).

Each hostile file is read the way the app reads an upload (``parse_workbook``: a child process
under a memory limit) inside a measuring process, which reports the wall time, the CPU time
and the peak resident memory of the whole reading (the process and its child). The bounds
asserted are generous, for a loaded test machine; the figures measured are printed (-s).
"""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter

from dashboard.services.excel_format import MAX_ROWS, MAX_TEXT, PROGRESS_COLUMNS
from dashboard.services.excel_reader import ImportRefused, read_workbook
from tests.db import excel_bombs as bombs

ROOT = Path(__file__).resolve().parents[2]
# Starts the reading in a process of its own, so that its peak memory is its own (a process
# forked from pytest would inherit pytest's).
MEASURE = """
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen([sys.executable, "-c", sys.argv[2], sys.argv[1]], stdout=subprocess.PIPE)
out = child.stdout.read().decode()
_pid, status, usage = os.wait4(child.pid, 0)
print(json.dumps({"wall": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mb": usage.ru_maxrss / 1024, "status": status, "out": out}))
"""
READ = """
import json, sys
from dashboard.services.excel_reader import ImportRefused
from dashboard.services.safe_parse import parse_workbook
try:
    parsed = parse_workbook(open(sys.argv[1], "rb").read())
    print(json.dumps({"rows": sum(len(s.rows) for s in parsed.sheets.values())}))
except ImportRefused as exc:
    print(json.dumps({"refused": str(exc)}))
"""
WALL_BOUND = 30.0  # seconds, for a machine shared by several test runs (5 s when idle)
CPU_BOUND = 10.0
PEAK_BOUND_MB = 200.0


def measure(content: bytes, tmp_path: Path) -> dict[str, object]:
    """Read a workbook as an upload in a fresh process; return time, memory and outcome."""
    path = tmp_path / "file.xlsx"
    path.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), READ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    figures: dict[str, object] = json.loads(done.stdout)
    figures.update(json.loads(str(figures.pop("out"))))
    print(f"\n{figures}")
    return figures


def at_the_limits() -> bytes:
    """A real workbook at the product's limits: MAX_ROWS full rows of the template's columns."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    ws = book.add_worksheet("Saisie")
    ws.write_row(0, 0, [c.header for c in PROGRESS_COLUMNS])
    for r in range(1, MAX_ROWS + 1):
        code = f"CETIA-A{1 + r % 5}-{r % 40:02d}"
        period = f"{2022 + r % 4}-T{1 + r % 4}"
        ws.write_row(r, 0, ["CETIA", code, f"Indicateur {r % 40}", "nombre", period])
        ws.write_row(r, 5, [r * 1.5, "Validée", r * 2.0, f"commentaire n° {r}", ""])
    book.close()
    return out.getvalue()


HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    ("millions-of-empty-cells", bombs.empty_cells, "bombe de décompression"),
    ("one-row-of-millions", bombs.wide_row, "bombe de décompression"),
    ("cells-that-do-not-compress", bombs.noisy_cells, "Trop de cellules"),
    ("nested-millions-deep", bombs.deep_xml, "bombe de décompression"),
    ("nested-not-compressing", bombs.noisy_deep, "imbriqué sur plus de 40 niveaux"),
    ("thousands-of-sheets", bombs.many_sheets, "plus de 20 feuilles"),
    ("styles-by-the-hundred-thousand", bombs.noisy_styles, "plus de 100 000 éléments XML"),
    ("millions-of-strings", bombs.shared_strings, "une fois décompressé"),
    ("zip-bomb", bombs.zip_bomb, "190,0 Mo une fois décompressé"),
    ("tens-of-thousands-of-entries", bombs.many_entries, "60005 fichiers"),
]


@pytest.mark.parametrize(
    ("build", "words"), [(b, w) for _i, b, w in HOSTILE], ids=[i for i, *_ in HOSTILE]
)
def test_a_hostile_workbook_is_refused_within_bounds(
    build: Callable[[], bytes], words: str, tmp_path: Path
) -> None:
    figures = measure(build(), tmp_path)
    assert words in str(figures.get("refused")), figures
    assert float(figures["peak_mb"]) < PEAK_BOUND_MB  # type: ignore[arg-type]
    assert float(figures["cpu"]) < CPU_BOUND  # type: ignore[arg-type]
    assert float(figures["wall"]) < WALL_BOUND  # type: ignore[arg-type]


def test_a_file_at_the_limits_is_read_within_bounds(tmp_path: Path) -> None:
    figures = measure(at_the_limits(), tmp_path)
    assert figures.get("rows") == MAX_ROWS, figures
    assert float(figures["peak_mb"]) < PEAK_BOUND_MB  # type: ignore[arg-type]
    assert float(figures["cpu"]) < CPU_BOUND  # type: ignore[arg-type]


def test_the_declared_dimension_neither_inflates_nor_truncates_the_reading() -> None:
    huge = read_workbook(bombs.huge_dimension())
    assert [n for n, _row in huge.rows("Saisie")] == [2, 3]
    rows = [
        '<row r="2"><c t="inlineStr"><is><t>CETIA</t></is></c></row>',
        '<row r="40"><c t="inlineStr"><is><t>CERIC</t></is></c></row>',
    ]
    small = bombs.build({"xl/worksheets/sheet1.xml": bombs._sheet(rows, dimension="A1:A1")})
    assert [r["cti"] for _n, r in read_workbook(small).rows("Saisie")] == ["CETIA", "CERIC"]


def test_a_text_longer_than_excel_allows_is_refused() -> None:
    row = f'<row><c t="inlineStr"><is><t>{"x" * (MAX_TEXT + 1)}</t></is></c></row>'
    content = bombs.build({"xl/worksheets/sheet1.xml": bombs._sheet([row])})
    with pytest.raises(ImportRefused, match="32 767 caractères"):
        read_workbook(content)


def test_columns_far_beyond_the_template_are_refused_with_the_sheet_named() -> None:
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>CETIA</t></is></c><c r="AZ2"/></row>'
    content = bombs.build({"xl/worksheets/sheet1.xml": bombs._sheet([row])})
    with pytest.raises(ImportRefused, match=r"Feuille « Saisie ».*colonne AZ.*colonne Z"):
        read_workbook(content)


def test_a_doctype_is_refused() -> None:
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet []><worksheet xmlns="{bombs.MAIN}">'
        f"<sheetData>{bombs.header_row()}</sheetData></worksheet>"
    )
    content = bombs.build({"xl/worksheets/sheet1.xml": sheet})
    with pytest.raises(ImportRefused, match="DOCTYPE"):
        read_workbook(content)


def test_a_sheet_padded_with_spaces_is_still_scanned() -> None:
    """Whether a part is XML is judged on its content, past any leading whitespace."""
    sheet = (
        " " * 100
        + f'<worksheet xmlns="{bombs.MAIN}">'
        + "<x>" * 50
        + "</x>" * 50
        + f"<sheetData>{bombs.header_row()}</sheetData></worksheet>"
    )
    with pytest.raises(ImportRefused, match="imbriqué"):
        read_workbook(bombs.build({"xl/worksheets/sheet1.xml": sheet}))


@pytest.mark.parametrize(
    ("returncode", "stdout", "words"),
    [
        (-signal.SIGXCPU, b"", "secondes de calcul"),
        (-signal.SIGKILL, b"", "trop de mémoire"),
        (1, b"Traceback (most recent call last):", "trop de mémoire"),
    ],
    ids=["cpu-limit", "killed", "crashed"],
)
def test_a_child_that_dies_is_a_clear_refusal(
    monkeypatch: pytest.MonkeyPatch, returncode: int, stdout: bytes, words: str
) -> None:
    """Whatever happens to the child, the person gets a message, never a traceback."""
    from dashboard.services import safe_parse

    def died(*_args: object, **_kwargs: object) -> subprocess.CompletedProcess[bytes]:
        return subprocess.CompletedProcess([], returncode, stdout, b"")

    monkeypatch.setattr(safe_parse.subprocess, "run", died)
    with pytest.raises(ImportRefused, match=words):
        safe_parse.parse_workbook(b"PK")


def test_the_child_reads_under_a_memory_limit() -> None:
    """The child limits its own memory before reading: a reader that runs away fails there."""
    code = (
        "from dashboard.services import safe_parse as s; "
        "s.read_workbook = lambda content: bytearray(2 * s.MEMORY_BYTES); "
        "print(s._child('fr'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], input=b"", capture_output=True, cwd=ROOT, check=True
    )
    assert "trop de mémoire" in done.stdout.decode()
