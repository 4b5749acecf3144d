"""`python -m dashboard template` and `import`: the round trip from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from dashboard.__main__ import main
from tests.db.entry_support import make_account, snapshot
from tests.db.excel_support import column, edit, find_row


@pytest.fixture
def cli_env(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """Point the command line at the demo database, on the demo date."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-29")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    make_account(engine, "karim", "analyst")
    return engine


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    return err


def test_template_then_dry_run_then_import(
    cli_env: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "modele.xlsx"
    assert main(["template", "--out", str(out), "--cti", "cetia"]) == 0
    assert "Modèle écrit" in capsys.readouterr().out

    def change(book: Any) -> None:
        ws = book["Saisie"]
        row = find_row(ws, Statut="Brouillon")
        ws.cell(row, column(ws, "Valeur"), ws.cell(row, column(ws, "Valeur")).value + 1)

    edited = tmp_path / "rempli.xlsx"
    edited.write_bytes(edit(out.read_bytes(), change))
    before = snapshot(cli_env, exclude=())
    assert main(["import", str(edited), "--dry-run", "--user", "karim"]) == 0
    printed = capsys.readouterr().out
    assert "modification" in printed and "rien n'est modifié" in printed
    assert snapshot(cli_env, exclude=()) == before
    assert main(["import", str(edited), "--user", "karim"]) == 0
    assert "Import appliqué : 1 modification" in capsys.readouterr().out
    assert snapshot(cli_env) != before
    assert main(["import", str(edited), "--user", "karim"]) == 0
    assert "aucun changement" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["import", "{bad}", "--user", "karim"], "n'est pas un classeur"),
        (["import", "{missing}", "--user", "karim"], "introuvable"),
        (["import", "{bad}", "--user", "personne"], "Aucun compte"),
        (["template", "--out", "{dir}/m.xlsx", "--cti", "XYZ"], "CTI inconnu"),
        (["template", "--out", "{dir}/m.csv"], ".xlsx"),
    ],
)
def test_refusals_exit_non_zero_with_one_line(
    cli_env: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    words: str,
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"pas un classeur")
    values = {"bad": str(bad), "missing": str(tmp_path / "absent.xlsx"), "dir": str(tmp_path)}
    before = snapshot(cli_env)
    assert main([a.format(**values) for a in args]) == 2
    assert words in _one_line_error(capsys)
    assert snapshot(cli_env) == before


def test_import_needs_a_user(cli_env: Engine, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["import", str(tmp_path / "x.xlsx")])
    assert info.value.code == 2


def test_file_with_errors_exits_non_zero_after_listing_them(
    cli_env: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "modele.xlsx"
    assert main(["template", "--out", str(out), "--cti", "CETIA"]) == 0
    capsys.readouterr()
    edited = tmp_path / "faux.xlsx"
    edited.write_bytes(edit(out.read_bytes(), lambda b: b["Saisie"].cell(2, 8, "douze")))
    assert main(["import", str(edited), "--user", "karim"]) == 2
    captured = capsys.readouterr()
    assert "Saisie, ligne 2, colonne H (Valeur)" in captured.out
    assert captured.err.count("\n") == 1 and "rien n'a été modifié" in captured.err
