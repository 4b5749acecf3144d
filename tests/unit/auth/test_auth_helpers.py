"""Pure helpers of sign-in: safe redirects, the CSP, spreadsheet-safe CSV cells."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.auth.headers import build_policy
from dashboard.auth.views import safe_next
from dashboard.services.audit import events_csv


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil",
        "/login",
        "/logout?x=1",
        "/ok\r\nSet-Cookie: x=1",
        "",
        None,
        "audit",
    ],
)
def test_unsafe_next_goes_home(target: str | None) -> None:
    assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/audit", "/ctis/CETIA?year=2024", "/axes/2#top", "/"])
def test_same_site_paths_are_kept(target: str) -> None:
    assert safe_next(target) == target


@given(st.text(max_size=60))
def test_safe_next_never_leaves_the_site(target: str) -> None:
    result = safe_next(target)
    parts = urlsplit(result)
    assert result.startswith("/") and not result.startswith("//")
    assert not parts.scheme and not parts.netloc and "\\" not in result


def test_policy_has_no_unsafe_script_sources_and_forbids_framing() -> None:
    policy = build_policy(["'sha256-abc='"])
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["script-src"] == "'self' 'sha256-abc='"
    assert "unsafe" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_csv_neutralises_formulas_and_keeps_text() -> None:
    rows = [
        {"username": '=HYPERLINK("http://x")', "detail": "+1", "action": "a;b", "at": "2026"},
        {"username": "<script>alert(1)</script>", "detail": "ok", "action": "-2", "at": "2026"},
        {"username": "@SUM(1)", "detail": "-2+3+cmd|' /C calc'!A0", "action": "\tx", "at": "1"},
    ]
    text = events_csv(rows)
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text and "'-2+3+cmd" in text
    assert "'\tx" in text
    # A plain number cannot run anything: it stays a number for the spreadsheet.
    cells = {cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row}
    assert "+1" in cells and "-2" in cells and "'-2" not in cells
    assert "<script>alert(1)</script>" in text
    assert '"a;b"' in text  # the separator inside a value is quoted
