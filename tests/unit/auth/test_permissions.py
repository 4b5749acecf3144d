"""The permission table: every role x action x (own CTI, other CTI, no CTI), written out."""

from __future__ import annotations

import itertools

import pytest

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, can, refusal_message

OWN, OTHER = 3, 7
TARGETS = {"own": OWN, "other": OTHER, "none": None}

# Written out by hand from DESIGN.md (not computed from the code under test).
# Y = allowed whatever the target; O = allowed only on the account's own CTI; . = refused.
# fmt: off
TABLE = {
    #                       viewer analyst cti_editor admin
    Action.VIEW:              "Y Y Y Y",
    Action.EXPORT:            "Y Y Y Y",
    Action.ENTER_PROGRESS:    ". Y O Y",
    Action.SUBMIT_PROGRESS:   ". Y O Y",
    Action.VALIDATE_PROGRESS: ". Y . Y",
    Action.ENTER_BUDGET:      ". Y . Y",
    Action.VALIDATE_BUDGET:   ". Y . Y",
    Action.IMPORT_FILE:       ". Y O Y",
    Action.AMEND_CONTRACT:    ". Y . Y",
    Action.MANAGE_USERS:      ". . . Y",
    Action.MANAGE_REFERENCE:  ". . . Y",
    Action.VIEW_AUDIT:        ". Y . Y",
}
# fmt: on
ROLES = ("viewer", "analyst", "cti_editor", "admin")


def _account(role: str) -> Account:
    cti = OWN if role == "cti_editor" else None
    return Account(id=1, username=role, full_name="", role=role, cti_id=cti, cti_acronym="CETIA")


def _expected(action: Action, role: str, target: str) -> bool:
    mark = TABLE[action].split()[ROLES.index(role)]
    return mark == "Y" or (mark == "O" and target == "own")


def test_the_table_covers_every_action() -> None:
    assert set(TABLE) == set(Action)


@pytest.mark.parametrize(
    ("role", "action", "target"), list(itertools.product(ROLES, list(Action), TARGETS))
)
def test_permission_table(role: str, action: Action, target: str) -> None:
    assert can(_account(role), action, TARGETS[target]) is _expected(action, role, target)


@pytest.mark.parametrize("action", list(Action))
def test_anonymous_may_do_nothing(action: Action) -> None:
    assert can(None, action, OWN) is False
    assert can(None, action) is False


@pytest.mark.parametrize("action", [Action.ENTER_PROGRESS, Action.SUBMIT_PROGRESS])
def test_cti_editor_without_a_cti_writes_nothing(action: Action) -> None:
    orphan = Account(id=2, username="x", full_name="", role="cti_editor", cti_id=None)
    assert can(orphan, action, None) is False
    assert can(orphan, action, OWN) is False
    assert can(orphan, Action.VIEW) is True


def test_unknown_role_and_unknown_action_are_refused() -> None:
    assert can(_account("admin"), "drop_database") is False
    stranger = Account(id=3, username="x", full_name="", role="superuser")
    assert can(stranger, Action.VIEW) is False


def test_actions_accept_plain_strings() -> None:
    assert can(_account("analyst"), "validate_budget") is True
    assert can(_account("viewer"), "validate_budget") is False


def test_refusal_messages_are_french_and_say_why() -> None:
    assert "Connexion requise" in refusal_message(None, Action.VIEW)
    # The role by its translated name (« Lecteur »), never the code stored in the database.
    assert "votre rôle (Lecteur)" in refusal_message(_account("viewer"), Action.MANAGE_USERS)
    assert "CETIA" in refusal_message(_account("cti_editor"), Action.ENTER_PROGRESS)


def test_refusal_names_the_role_in_the_reader_language() -> None:
    from dashboard.i18n import use_lang

    with use_lang("en"):
        message = refusal_message(_account("analyst"), Action.MANAGE_USERS)
    assert "(Analyst)" in message and "analyst)" not in message
    with use_lang("ar"):
        message = refusal_message(_account("viewer"), Action.MANAGE_USERS)
    assert "viewer" not in message
