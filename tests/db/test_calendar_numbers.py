"""The reporting rule reads its numbers of days as the domain reads every number (issue 20.4)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from dashboard.auth.account import COMMAND_LINE
from dashboard.db.engine import session_scope
from dashboard.domain.calendar import Rule
from dashboard.i18n import use_lang
from dashboard.services import calendar
from dashboard.services.errors import UserError
from tests.db.calendar_support import seed_calendar


@pytest.mark.parametrize(
    "typed",
    ["7,000", "7.000", "2,5", "quinze", "1e400", 10**400, "", None, True],
)
def test_a_number_of_days_that_is_not_a_plain_whole_number_is_refused(
    empty_engine: Engine, typed: object
) -> None:
    # "7,000" used to become 7 days (the comma swapped for a point): 7 or 7000?
    seed_calendar(empty_engine)
    with pytest.raises(UserError) as info, session_scope(empty_engine) as session:
        calendar.set_rule(session, actor=COMMAND_LINE, due_days=typed)
    assert "Délai de saisie invalide" in str(info.value)
    assert "indiquez un nombre entier de jours" in str(info.value)


@pytest.mark.parametrize(("typed", "days"), [("30", 30), (" 45 ", 45), ("15,0", 15), (20.0, 20)])
def test_a_whole_number_of_days_is_read(empty_engine: Engine, typed: object, days: int) -> None:
    seed_calendar(empty_engine)
    with use_lang("fr"), session_scope(empty_engine) as session:
        rule = calendar.set_rule(session, actor=COMMAND_LINE, due_days=typed, lead_days="10")
    assert rule == Rule(due_days=days, lead_days=10)
