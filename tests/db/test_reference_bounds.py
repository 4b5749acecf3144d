"""Reference files pass the bounds of the forms: a bad number or date is refused, nothing loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from dashboard.db.engine import session_scope
from dashboard.services.reference import REFERENCE_DIR, ReferenceDataError, seed_reference


def _copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """Copy the reference files with one text replaced in one of them."""
    directory = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, directory)
    path = directory / name
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        ("plans.yaml", "envelope_mdh: 250", "envelope_mdh: 1.0e+308", "Montant trop grand"),
        ("plans.yaml", "envelope_mdh: 250", "envelope_mdh: 1e308", "n'est pas un nombre"),
        ("plans.yaml", "envelope_mdh: 250", "envelope_mdh: -5", "Montant invalide"),
        ("plans.yaml", "envelope_mdh: 250", 'envelope_mdh: "beaucoup"', "n'est pas un nombre"),
        ("plans.yaml", "signed_on: 2022-06-07", "signed_on: 2025-02-30", "n'existe pas"),
        ("plans.yaml", "last_year: 2025", "last_year: 20250", "Année hors des limites"),
        ("sources.yaml", "published_on: 2022-06-07", "published_on: 1022-06-07", "hors des"),
        ("network_figures.yaml", "value: 125,", "value: 1.0e+28,", "Valeur trop grande"),
        ("network_figures.yaml", "value: 125,", "value: 12.5,", "Valeur non entière"),
        ("network_figures.yaml", "value: 40,", "value: 140,", "entre 0 et 100"),
    ],
)
def test_a_reference_file_out_of_bounds_is_refused_and_nothing_is_loaded(
    empty_engine: Engine, tmp_path: Path, name: str, old: str, new: str, expected: str
) -> None:
    directory = _copy(tmp_path, name, old, new)
    with (
        pytest.raises(ReferenceDataError, match=expected) as refused,
        session_scope(empty_engine) as session,
    ):
        seed_reference(session, directory)
    assert name in str(refused.value)
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM plan")).scalar() == 0


def test_the_shipped_reference_files_pass(empty_engine: Engine) -> None:
    with session_scope(empty_engine) as session:
        assert seed_reference(session)["plans"] == 2
