"""The reporting calendar read from the database: states per CTI and period, freshness, the rule."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.auth.account import COMMAND_LINE
from dashboard.db.engine import session_scope
from dashboard.db.models import AuditEvent, ReportingRule
from dashboard.domain.calendar import ReportState, Rule, period_last_day
from dashboard.domain.periods import Period
from dashboard.services import calendar, calendar_views
from dashboard.services.errors import PermissionDenied, UserError
from tests.conftest import DEMO_TODAY
from tests.db.calendar_support import (
    Q4,
    add_value,
    day,
    make_person,
    seed_calendar,
    validate_history,
)


def test_demo_database_calendar(engine: Engine) -> None:
    view = calendar.freshness(engine=engine, today=DEMO_TODAY)
    assert view.plan_code == "2022-2025" and view.rule == Rule()
    assert view.expected == Q4  # the plan is over: its last quarter was due on 15 January 2026
    assert len(view.ctis) == 9 and len(view.indicators) == 84
    for cti in view.ctis:
        assert [s.period for s in cti.periods] == view.periods  # every quarter has opened
        assert cti.current is not None and cti.current.period == Q4
        for status in cti.periods:
            assert sum(status.counts.values()) == cti.indicators
            if status.state == ReportState.OVERDUE:
                assert status.to_submit > 0
                assert status.days_late == (DEMO_TODAY - status.due).days
    ctpc = next(c for c in view.ctis if c.acronym == "CTPC")
    assert ctpc.current is not None and ctpc.current.state == ReportState.SUBMITTED
    for f in view.indicators:
        behind = f.latest is None or period_last_day(f.latest) < period_last_day(Q4)
        assert f.stale == behind == view.is_stale(f.indicator_id)
        if f.latest is not None:
            assert f.age_days == (DEMO_TODAY - period_last_day(f.latest)).days
    summary = calendar_views.freshness_summary(view)
    assert summary.stale == len(view.stale_ids) > 0
    assert summary.overdue_ctis == len([c for c in view.ctis if c.overdue])


def test_one_cti_only(engine: Engine) -> None:
    whole = calendar.freshness(engine=engine, today=DEMO_TODAY)
    cetia = next(c for c in whole.ctis if c.acronym == "CETIA")
    view = calendar.freshness(engine=engine, today=DEMO_TODAY, cti_id=cetia.cti_id)
    assert [c.acronym for c in view.ctis] == ["CETIA"]
    assert {f.acronym for f in view.indicators} == {"CETIA"}


def _cetia(engine: Engine, today: str) -> calendar.CtiCalendar:
    view = calendar.freshness(engine=engine, today=day(today))
    return next(c for c in view.ctis if c.acronym == "CETIA")


def test_a_period_through_its_life(any_engine: Engine) -> None:
    ids = seed_calendar(any_engine)
    validate_history(any_engine, ids, upto=Period(2025, 3))
    assert _cetia(any_engine, "2025-12-20").current.period == Period(2025, 3)  # type: ignore[union-attr]
    opened = _cetia(any_engine, "2026-01-08").current  # seven days before its due date
    assert opened is not None and opened.period == Q4 and opened.state == ReportState.NOT_STARTED
    assert opened.days_left == 7

    add_value(any_engine, ids["CETIA-01"], Q4, "draft")
    late = _cetia(any_engine, "2026-01-16").current
    assert late is not None and (late.state, late.progress) == (
        ReportState.OVERDUE,
        ReportState.DRAFT,
    )
    assert late.days_late == 1
    view = calendar.freshness(engine=any_engine, today=day("2026-01-16"))
    assert view.is_stale(ids["CETIA-01"]) and view.expected == Q4

    add_value(any_engine, ids["CETIA-02"], Q4, "submitted")
    add_value(any_engine, ids["CETIA-01"], Q4, "validated")
    assert _cetia(any_engine, "2026-01-16").current.state == ReportState.SUBMITTED  # type: ignore[union-attr]
    add_value(any_engine, ids["CETIA-02"], Q4, "validated")
    done = calendar.freshness(engine=any_engine, today=day("2026-02-01"))
    cetia = next(c for c in done.ctis if c.acronym == "CETIA")
    assert cetia.current is not None and cetia.current.state == ReportState.VALIDATED
    assert not done.is_stale(ids["CETIA-01"]) and done.is_stale(ids["CTTH-01"])
    fresh = next(f for f in done.indicators if f.indicator_id == ids["CETIA-01"])
    assert (fresh.latest_label, fresh.age_days) == ("2025-T4", 32)


def test_only_an_admin_changes_the_rule_and_it_moves_the_due_dates(any_engine: Engine) -> None:
    ids = seed_calendar(any_engine)
    validate_history(any_engine, ids, upto=Period(2025, 3))
    admin = make_person(any_engine, "admin", "admin")
    analyst = make_person(any_engine, "analyste", "analyst")
    with pytest.raises(PermissionDenied), session_scope(any_engine) as session:
        calendar.set_rule(session, actor=analyst, due_days=30)
    with pytest.raises(UserError, match="Délai de saisie invalide"), session_scope(any_engine) as s:
        calendar.set_rule(s, actor=admin, due_days=365)
    with pytest.raises(UserError, match="nombre entier"), session_scope(any_engine) as session:
        calendar.set_rule(session, actor=admin, due_days="quinze")
    with session_scope(any_engine) as session:
        rule = calendar.set_rule(session, actor=admin, due_days="30", lead_days=10)
    assert rule == Rule(due_days=30, lead_days=10)

    view = calendar.freshness(engine=any_engine, today=day("2026-01-20"))
    assert view.rule == rule and view.expected == Period(2025, 3)
    cetia = next(c for c in view.ctis if c.acronym == "CETIA")
    assert cetia.current is not None and cetia.current.due == day("2026-01-30")
    assert cetia.current.state == ReportState.NOT_STARTED
    with session_scope(any_engine) as session:
        calendar.set_rule(session, actor=COMMAND_LINE, due_days=15)
    with Session(any_engine) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "calendar.rule")).all()
        refused = session.exec(
            select(AuditEvent).where(
                AuditEvent.outcome == "refused", AuditEvent.username == "analyste"
            )
        ).all()
        stored = session.exec(select(ReportingRule)).one()
    assert [e.username for e in events] == ["admin", "cli"]
    assert '"due_days": 30' in events[0].after and '"due_days": 15' in events[0].before
    assert len(refused) == 1
    assert (stored.due_days, stored.lead_days, stored.version) == (15, 10, 2)


def test_a_database_without_a_plan_says_what_to_do(any_engine: Engine) -> None:
    from dashboard.services.scope import NoPlanError

    with pytest.raises(NoPlanError, match="python -m dashboard seed"):
        calendar.freshness(engine=any_engine, today=DEMO_TODAY)
