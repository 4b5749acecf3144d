"""What screens offer each role comes from the permission table (issue 19.8)."""

from __future__ import annotations

import pytest

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action
from dashboard.auth.visibility import can_somewhere, lists_own_cti_only
from dashboard.components.navigation import (
    NAV_ITEMS,
    NavItem,
    register_nav_item,
    visible_items,
)


def _account(role: str, cti_id: int | None = None) -> Account:
    return Account(id=1, username=role, full_name="", role=role, cti_id=cti_id)


@pytest.mark.parametrize(
    ("role", "cti_id", "enter", "validate", "budget"),
    [
        ("viewer", None, False, False, False),
        ("cti_editor", 3, True, False, False),
        ("cti_editor", None, False, False, False),  # an editor without a CTI may enter nothing
        ("analyst", None, True, True, True),
        ("admin", None, True, True, True),
    ],
)
def test_what_each_role_is_offered(
    role: str, cti_id: int | None, enter: bool, validate: bool, budget: bool
) -> None:
    account = _account(role, cti_id)
    assert can_somewhere(account, Action.ENTER_PROGRESS) is enter
    assert can_somewhere(account, Action.VALIDATE_PROGRESS) is validate
    assert can_somewhere(account, Action.ENTER_BUDGET) is budget
    assert lists_own_cti_only(account) is (role == "cti_editor")
    assert not can_somewhere(None, Action.VIEW)


def test_navigation_lists_an_entry_only_for_those_who_may_do_its_action() -> None:
    item = NavItem("/essai-saisie", "Essai", "updates", action=Action.ENTER_PROGRESS)
    register_nav_item(item)
    try:
        paths = {
            role: {entry.path for entry in visible_items(_account(role, 3))}
            for role in ("viewer", "cti_editor", "analyst")
        }
    finally:
        NAV_ITEMS.remove(item)  # the list is the app's: leave it as found
    assert "/essai-saisie" not in paths["viewer"]
    assert "/essai-saisie" in paths["cti_editor"] and "/essai-saisie" in paths["analyst"]
