"""The audit trail in words (issue 19.11): every action the code writes has a name, changes read.

The action codes are found by reading the code itself (``action=...`` arguments, the workflow's
``f"{prefix}.{step}"`` codes, the demo trail's events), so a new action written without a
readable name fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dashboard.auth.permissions import Action
from dashboard.domain.workflow import Step
from dashboard.i18n import use_lang
from dashboard.services.audit_words import ACTION_LABELS, action_label, changes

ROOT = Path(__file__).resolve().parents[3] / "dashboard"
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
# Functions whose string arguments are action codes (positional in the demo's trail).
WRITERS = {"record", "record_ok", "guarded", "refuse", "add", "_event"}


def _prefixes(tree: ast.AST) -> set[str]:
    """Return the values given to ``prefix=`` keywords (the workflow's action prefixes)."""
    return {
        kw.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg == "prefix" and isinstance(kw.value, ast.Constant)
    }


def _expand(value: ast.JoinedStr, prefixes: set[str]) -> set[str]:
    """Expand f"progress.{step}" or f"{prefix}.supersede" to every code it can make."""
    options: list[set[str]] = []
    for part in value.values:
        if isinstance(part, ast.Constant):
            options.append({str(part.value)})
        else:
            name = ast.unparse(part.value)  # type: ignore[attr-defined]
            options.append({s.value for s in Step} if "step" in name else prefixes)
    codes = {""}
    for choice in options:
        codes = {c + o for c in codes for o in choice}
    return codes


def _codes_in(tree: ast.AST, prefixes: set[str]) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        values = [kw.value for kw in node.keywords if kw.arg == "action"]
        func = node.func.attr if isinstance(node.func, ast.Attribute) else ast.unparse(node.func)
        if func in WRITERS:
            values += list(node.args)
        for value in values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(value.value)
            elif isinstance(value, ast.JoinedStr):
                found |= _expand(value, prefixes)
            elif isinstance(value, ast.IfExp):
                found |= {
                    v.value for v in (value.body, value.orelse) if isinstance(v, ast.Constant)
                }
    return {c for c in found if CODE.match(c)}


def written_codes() -> set[str]:
    """Return every audit action code the application's code can write."""
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in ROOT.rglob("*.py")]
    prefixes = set().union(*(_prefixes(t) for t in trees))
    return set().union(*(_codes_in(t, prefixes) for t in trees))


def test_the_scan_finds_the_actions_written_in_every_way() -> None:
    codes = written_codes()
    # keyword literal, conditional, workflow f-strings with a step or a prefix, demo trail
    for code in ("auth.login", "user.disable", "progress.validate", "budget.reject"):
        assert code in codes
    assert {"progress.supersede", "budget.supersede", "auth.session_end"} <= codes


def test_every_action_the_code_writes_has_a_readable_name() -> None:
    # Steps that no service takes through apply_step are allowed to lack a name.
    possible = {f"{p}.{s}" for p in ("progress", "budget") for s in ("edit", "revise", "correct")}
    missing = sorted(c for c in written_codes() if c not in ACTION_LABELS and c not in possible)
    assert missing == [], f"actions sans libellé lisible dans audit_words.ACTION_LABELS : {missing}"
    for code in ACTION_LABELS:
        assert action_label(code) != code
    # Refusals are written under the permission's code: each has its wording too.
    for action in Action:
        assert action_label(action.value) != action.value


@pytest.mark.parametrize(
    ("lang", "code", "label"),
    [
        ("fr", "progress.validate", "Validation d'une valeur"),
        ("fr", "auth.login", "Connexion"),
        ("fr", "amend.target", "Modification d'un objectif"),
        ("en", "progress.validate", "Validation of a value"),
        ("ar", "auth.login", "تسجيل الدخول"),
    ],
)
def test_actions_are_named_in_the_readers_language(lang: str, code: str, label: str) -> None:
    with use_lang(lang):
        assert action_label(code) == label


def test_changes_read_field_by_field_before_and_after() -> None:
    before = {"value": 12, "status": "submitted", "version": 2, "indicator": "CETIA-A1-01"}
    after = {**before, "value": 14.5, "status": "validated", "version": 3, "reason": "Erreur"}
    with use_lang("fr"):
        text = changes(before, after)
    assert text == "Valeur : 12 → 14,5 ; Statut : soumise → validée ; Motif : Erreur"
    with use_lang("fr"):
        created = changes(None, {"role": "analyst", "cti": None, "is_active": True, "value": 0})
        assert created == "Valeur : 0 ; Rôle : Analyste ; Compte actif : oui"
        assert changes({"period": "2024-T2"}, {"period": "2024-T3"}) == (
            "Période : 2024-T2 → 2024-T3"
        )
    with use_lang("en"):
        assert changes({"value": 1234.5}, {"value": 2000}) == "Value: 1,234.5 → 2,000"
    with use_lang("ar"):  # the arrow points the way Arabic reads
        assert changes({"value": 1}, {"value": 2}) == "القيمة: 1 ← 2"


def test_a_budget_movement_reads_amount_first_and_dates_in_words() -> None:
    before = {"amount_mdh": 0.136, "status": "validated", "on_date": "2026-03-23", "version": 3}
    after = {**before, "amount_mdh": 0.143, "status": "submitted", "on_date": "2026-03-29"}
    with use_lang("fr"):
        assert changes(before, after) == (
            "Date : 23 mars 2026 → 29 mars 2026 ; Montant (MDH) : 0,136 → 0,143 ;"
            " Statut : validée → soumise"
        )
