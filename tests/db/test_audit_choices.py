"""The audit page's filter choices come from indexes, as fast for a million events as for ten."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dashboard.db.engine import session_scope
from dashboard.db.models import AuditEvent
from dashboard.services.audit import distinct_values


def test_choices_are_the_distinct_names_and_actions_in_order(any_engine: Engine) -> None:
    names = ["zineb", "", "amina", "Brahim", "amina", "karim", "zineb", "anonyme"]
    with session_scope(any_engine) as session:
        for number, name in enumerate(names):
            action = ("auth.login", "progress.validate", "user.create")[number % 3]
            session.add(AuditEvent(username=name, action=action))
    with Session(any_engine) as session:
        expected = {
            column: [
                value
                for (value,) in session.connection().execute(
                    text(f"SELECT DISTINCT {column} FROM auditevent ORDER BY {column}")
                )
                if value
            ]
            for column in ("username", "action")
        }
        assert distinct_values(session, "username") == expected["username"]
        assert distinct_values(session, "action") == expected["action"]
        assert len(expected["username"]) == 5
    indexes = {index["name"] for index in inspect(any_engine).get_indexes("auditevent")}
    assert {"audit_username", "audit_action"} <= indexes


def test_no_events_no_choices(any_engine: Engine) -> None:
    with Session(any_engine) as session:
        assert distinct_values(session, "username") == []
