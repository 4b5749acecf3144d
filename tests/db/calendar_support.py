"""Helpers for the calendar and reminder tests: a small plan, its values, people, notifications."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.auth.account import Account
from dashboard.auth.tokens import to_account
from dashboard.db.engine import session_scope
from dashboard.db.models import (
    Axis,
    Contract,
    Cti,
    EmailOutbox,
    Indicator,
    Notification,
    Plan,
    ProgressUpdate,
)
from dashboard.domain.periods import Period, quarters_between
from dashboard.services.users import create_user, find_user

PASSWORD = "motdepasse-de-test-1"
Q4 = Period(2025, 4)  # ends 31 December 2025; due 15 January 2026 under the default rule


def seed_calendar(engine: Engine) -> dict[str, int]:
    """Load the reference facts; give CETIA two indicators and CTTH one (other CTIs none)."""
    from dashboard.services.reference import seed_reference

    with session_scope(engine) as session:
        seed_reference(session)
    ids: dict[str, int] = {}
    with session_scope(engine) as session:
        plan = session.exec(select(Plan).where(Plan.code == "2022-2025")).one()
        axis = session.exec(select(Axis).where(Axis.plan_id == plan.id, Axis.number == 1)).one()
        for code, acronym in (("CETIA-01", "CETIA"), ("CETIA-02", "CETIA"), ("CTTH-01", "CTTH")):
            cti = session.exec(select(Cti).where(Cti.acronym == acronym)).one()
            contract = session.exec(
                select(Contract).where(Contract.cti_id == cti.id, Contract.plan_id == plan.id)
            ).one()
            assert contract.id is not None and axis.id is not None
            indicator = Indicator(
                contract_id=contract.id,
                axis_id=axis.id,
                code=code,
                label=f"Indicateur {code}",
                unit="entreprises",
                baseline_value=10,
            )
            session.add(indicator)
            session.flush()
            assert indicator.id is not None and cti.id is not None
            ids[code] = indicator.id
            ids[acronym] = cti.id
    return ids


def add_value(
    engine: Engine,
    indicator_id: int,
    period: Period,
    status: str,
    *,
    by: int | None = None,
    reason: str = "",
    value: float = 12.0,
) -> int:
    """Store one progress value as the entry workflow would have left it."""
    with session_scope(engine) as session:
        row = ProgressUpdate(
            indicator_id=indicator_id,
            year=period.year,
            quarter=period.quarter or 0,
            value=value,
            status=status,
            created_by_id=by,
            rejection_reason=reason,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def validate_history(engine: Engine, ids: dict[str, int], *, upto: Period) -> None:
    """Give every indicator a validated value for each quarter of the plan up to ``upto``."""
    with session_scope(engine) as session:
        session.add_all(
            ProgressUpdate(
                indicator_id=ids[code],
                year=period.year,
                quarter=period.quarter or 0,
                value=12.0,
                status="validated",
            )
            for code in ("CETIA-01", "CETIA-02", "CTTH-01")
            for period in quarters_between(2022, 2025)
            if period <= upto
        )


def make_person(
    engine: Engine,
    username: str,
    role: str,
    cti: str | None = None,
    *,
    email: str = "",
    active: bool = True,
) -> Account:
    """Create an account with an e-mail address; return the Account services receive."""
    with session_scope(engine) as session:
        user = find_user(session, username) or create_user(
            session, username=username, role=role, password=PASSWORD, cti=cti
        )
        user.email, user.is_active, user.full_name = email, active, username.title()
        session.add(user)
        session.flush()
        return to_account(session, user)


def notifications(engine: Engine, user_id: int | None = None) -> list[Notification]:
    """Return the notifications stored (for one person), oldest first."""
    with Session(engine) as session:
        query = select(Notification).order_by(col(Notification.id))
        if user_id is not None:
            query = query.where(Notification.user_id == user_id)
        return list(session.exec(query).all())


def outbox(engine: Engine) -> list[EmailOutbox]:
    """Return the e-mails of the outbox, oldest first."""
    with Session(engine) as session:
        return list(session.exec(select(EmailOutbox).order_by(col(EmailOutbox.id))).all())


def day(text: str) -> date:
    """Read an ISO date (keeps the tests' tables short)."""
    return date.fromisoformat(text)
