"""Migration 0004 (reporting rule, notifications, outbox) goes down and up on both backends."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from dashboard.db.engine import session_scope
from dashboard.db.migrate import downgrade, upgrade
from dashboard.db.models import EmailOutbox, ReportingRule
from dashboard.services import calendar
from tests.db.calendar_support import seed_calendar

TABLES = {"reportingrule", "notification", "emailoutbox"}


def test_migration_0004_down_and_up(any_engine: Engine) -> None:
    assert set(inspect(any_engine).get_table_names()) >= TABLES
    downgrade(any_engine, "0003")
    assert not TABLES & set(inspect(any_engine).get_table_names())
    assert "progressupdate" in inspect(any_engine).get_table_names()
    upgrade(any_engine)
    names = set(inspect(any_engine).get_table_names())
    assert names >= TABLES
    indexes = {i["name"] for i in inspect(any_engine).get_indexes("notification")}
    assert "notification_user_read" in indexes


def test_the_outbox_and_the_rule_are_checked_by_the_database(any_engine: Engine) -> None:
    seed_calendar(any_engine)
    mail: dict[str, Any] = {"kind": "report", "to_address": "a@b.ma", "subject": "s", "body": "b"}
    with session_scope(any_engine) as session:
        session.add(EmailOutbox(**mail, dedupe_key="k"))
    with pytest.raises(IntegrityError), session_scope(any_engine) as session:
        session.add(EmailOutbox(**mail, dedupe_key="k"))  # the same e-mail twice
    with pytest.raises(IntegrityError), session_scope(any_engine) as session:
        session.add(EmailOutbox(**mail, dedupe_key="k2", status="lost"))
    with session_scope(any_engine) as session:
        plan = calendar.current_plan(session)
        assert plan.id is not None
        session.add(ReportingRule(plan_id=plan.id, due_days=20))
    with pytest.raises(IntegrityError), session_scope(any_engine) as session:
        session.add(ReportingRule(plan_id=plan.id, due_days=20))  # one rule per plan
    with pytest.raises(IntegrityError), session_scope(any_engine) as session:
        rule = session.exec(select(ReportingRule)).one()
        rule.due_days = 400
        session.add(rule)
