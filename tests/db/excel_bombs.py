"""Hostile workbooks and archives: small files that expand into huge work when read.

Each builder streams its parts into the zip, so building even the largest bomb costs a few
megabytes. The headers of the "Saisie" sheet are the template's, so that a reader which only
checks headers and rows accepts the file and goes on to build every cell.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from dashboard.services.excel_format import PROGRESS_COLUMNS

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = REL + "/worksheet"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def header_row() -> str:
    """Return the template's header row as inline strings."""
    cells = "".join(
        f'<c t="inlineStr"><is><t>{escape(c.header)}</t></is></c>' for c in PROGRESS_COLUMNS
    )
    return f'<row r="1">{cells}</row>'


def _workbook(names: list[str], target: str | None = None) -> dict[str, str]:
    sheets = "".join(
        f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, n in enumerate(names, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{SHEET_TYPE}" '
        f'Target="{target or f"worksheets/sheet{i}.xml"}"/>'
        for i in range(1, len(names) + 1)
    )
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            f"<sheets>{sheets}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">{rels}'
            "</Relationships>"
        ),
    }


def _sheet(body: Iterable[str], *, dimension: str = "", before: str = "") -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield before
    yield "<sheetData>"
    yield header_row()
    yield from body
    yield "</sheetData></worksheet>"


def build(parts: dict[str, Iterable[str] | str], names: list[str] | None = None) -> bytes:
    """Zip the workbook parts (each a string or an iterator of strings), streamed."""
    out = io.BytesIO()
    files: dict[str, Iterable[str] | str] = {**_workbook(names or ["Saisie"]), **parts}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in files.items():
            with archive.open(name, "w", force_zip64=True) as entry:
                chunks = [content] if isinstance(content, str) else content
                buffer: list[str] = []
                size = 0
                for chunk in chunks:
                    buffer.append(chunk)
                    size += len(chunk)
                    if size > 1 << 20:
                        entry.write("".join(buffer).encode())
                        buffer, size = [], 0
                entry.write("".join(buffer).encode())
    return out.getvalue()


def _repeat(text: str, times: int) -> Iterator[str]:
    block = text * 1000
    for _ in range(times // 1000):
        yield block
    yield text * (times % 1000)


def empty_cells(rows: int = 19_000, columns: int = 250) -> bytes:
    """Rows under the row limit, each holding hundreds of empty cells (millions in all)."""
    row = "<row>" + "<c/>" * columns + "</row>"
    return build({"xl/worksheets/sheet1.xml": _sheet(_repeat(row, rows))})


def wide_row(cells: int = 5_000_000) -> bytes:
    """One row of millions of cells (a reader that builds a row before checking it suffers)."""
    body = ["<row>", *_repeat("<c/>", cells), "</row>"]
    return build({"xl/worksheets/sheet1.xml": _sheet(body)})


def huge_dimension() -> bytes:
    """A few real rows in a sheet that declares the whole grid as its used range."""
    rows = (
        '<row><c t="inlineStr"><is><t>CETIA</t></is></c></row>',
        '<row><c r="A3" t="inlineStr"><is><t>CETIA</t></is></c></row>',
    )
    return build({"xl/worksheets/sheet1.xml": _sheet(rows, dimension="A1:XFD1048576")})


def many_sheets(count: int = 2_000, rows: int = 5_000) -> bytes:
    """Thousands of sheets that all point to one sheet of thousands of rows."""
    row = '<row><c t="inlineStr"><is><t>CETIA</t></is></c><c><v>1</v></c></row>'
    parts: dict[str, Iterable[str] | str] = {
        "xl/worksheets/sheet1.xml": _sheet(_repeat(row, rows)),
        **_workbook(["Saisie", *(f"S{i}" for i in range(count))], "worksheets/sheet1.xml"),
    }
    return build(parts)


def shared_strings(count: int = 3_000_000, big: int = 0) -> bytes:
    """A shared strings table of millions of strings (or, with ``big``, one huge string)."""
    if big:
        items: Iterable[str] = ["<si><t>", *_repeat("a", big), "</t></si>"]
        count = 1
    else:
        items = (f"<si><t>{i}</t></si>" for i in range(count))
    table = [f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">', *items, "</sst>"]
    rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Type="{SHEET_TYPE}" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )
    row = '<row><c t="s"><v>0</v></c></row>'
    types = CONTENT_TYPES.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return build(
        {
            "[Content_Types].xml": types,
            "xl/_rels/workbook.xml.rels": rels,
            "xl/sharedStrings.xml": table,
            "xl/worksheets/sheet1.xml": _sheet([row]),
        }
    )


def deep_xml(depth: int = 2_000_000) -> bytes:
    """A sheet whose cell holds millions of nested elements."""
    body = ["<row><c>", *_repeat("<x>", depth), *_repeat("</x>", depth), "</c></row>"]
    return build({"xl/worksheets/sheet1.xml": _sheet(body)})


def zip_bomb(size: int = 190 * 1024 * 1024) -> bytes:
    """A document property part that inflates ~1000 times (under the old 200 MB bound)."""
    core = [
        '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
        'openxmlformats.org/package/2006/metadata/core-properties">',
        *_repeat(" ", size),
        "</cp:coreProperties>",
    ]
    row = '<row><c t="inlineStr"><is><t>CETIA</t></is></c></row>'
    return build({"docProps/core.xml": core, "xl/worksheets/sheet1.xml": _sheet([row])})


def many_entries(count: int = 60_000) -> bytes:
    """An archive of tens of thousands of tiny entries."""
    row = '<row><c t="inlineStr"><is><t>CETIA</t></is></c></row>'
    extra = {f"xl/media/e{i}.bin": "" for i in range(count)}
    return build({"xl/worksheets/sheet1.xml": _sheet([row]), **extra})


def _noise(i: int) -> int:
    """A cheap pseudo-random number, so that the parts do not compress (ratio checks pass)."""
    return (i * 2_654_435_761) % 4_294_967_291


def noisy_cells(rows: int = 19_000, columns: int = 26) -> bytes:
    """Empty cells with references and styles that defeat compression (inside the zip limits)."""

    def body() -> Iterator[str]:
        for r in range(2, rows + 2):
            yield (
                f'<row r="{r}">'
                + "".join(
                    f'<c r="{chr(65 + c)}{r}" s="{_noise(r * 31 + c) % 997}"/>'
                    for c in range(columns)
                )
                + "</row>"
            )

    return build({"xl/worksheets/sheet1.xml": _sheet(body())})


def noisy_deep(depth: int = 600_000) -> bytes:
    """Nested elements with varied names (they compress little)."""
    names = [f"x{_noise(i) % 100_000}" for i in range(depth)]
    body = ["<row><c>", *(f"<{n}>" for n in names), *(f"</{n}>" for n in reversed(names))]
    return build({"xl/worksheets/sheet1.xml": _sheet([*body, "</c></row>"])})


def noisy_styles(count: int = 300_000) -> bytes:
    """A style sheet of hundreds of thousands of formats (openpyxl builds it whole)."""
    xfs = "".join(f'<xf numFmtId="{_noise(i) % 200}" fontId="0"/>' for i in range(count))
    styles = f'<styleSheet xmlns="{MAIN}"><cellXfs count="{count}">{xfs}</cellXfs></styleSheet>'
    row = '<row><c t="inlineStr"><is><t>CETIA</t></is></c></row>'
    return build({"xl/styles.xml": styles, "xl/worksheets/sheet1.xml": _sheet([row])})


BOMBS = {
    "noisy-styles": noisy_styles,
    "noisy-cells": noisy_cells,
    "noisy-deep": noisy_deep,
    "empty-cells": empty_cells,
    "wide-row": wide_row,
    "huge-dimension": huge_dimension,
    "many-sheets": many_sheets,
    "shared-strings": shared_strings,
    "giant-string": lambda: shared_strings(big=60_000_000),
    "deep-xml": deep_xml,
    "zip-bomb": zip_bomb,
    "many-entries": many_entries,
}
