"""No test imports a page module by its package name (Dash loads pages as ``pages.<name>``)."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
PAGE_IMPORT = re.compile(r"^\s*(from dashboard\.pages\b|import dashboard\.pages\b)", re.MULTILINE)


def test_no_test_imports_a_page_module_by_its_package_name() -> None:
    """Such an import registers the page twice: every app built after it refuses requests."""
    offenders = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if PAGE_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"use tests.db.surfaces_support.page_module instead: {offenders}"
