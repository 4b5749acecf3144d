"""The name shown for the signed-in account follows the page's language for the demo accounts."""

from __future__ import annotations

from dashboard.auth.account import Account
from dashboard.i18n import use_lang
from dashboard.services.demo_accounts import DEMO_ACCOUNTS


def test_demo_account_names_are_shown_in_the_readers_language() -> None:
    for username, role, _cti, full_name in DEMO_ACCOUNTS:
        account = Account(id=1, username=username, full_name=full_name, role=role)
        with use_lang("fr"):
            assert account.display_name == full_name
        with use_lang("en"):
            assert account.display_name != full_name and "démo" not in account.display_name
        with use_lang("ar"):
            assert "démo" not in account.display_name


def test_a_persons_name_is_shown_as_entered() -> None:
    account = Account(id=1, username="f.alaoui", full_name="Fatima Alaoui", role="analyst")
    with use_lang("ar"):
        assert account.display_name == "Fatima Alaoui"
    assert Account(id=2, username="k.b", full_name="", role="viewer").display_name == "k.b"
