"""Read models of the reference entities: plans and CTIs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.models import Cti, Plan


@dataclass(frozen=True)
class PlanRow:
    """A plan as the pages show it."""

    code: str
    title: str
    first_year: int
    last_year: int
    envelope_mdh: float
    signed_on: date | None
    is_baseline: bool
    source: str


@dataclass(frozen=True)
class CtiRow:
    """A CTI as the pages show it."""

    acronym: str
    name: str
    sector: str
    federation: str
    city: str


def list_plans(engine: Engine) -> list[PlanRow]:
    """Return the plans, most recent first."""
    with Session(engine) as session:
        plans = session.exec(select(Plan).order_by(Plan.first_year.desc())).all()  # type: ignore[attr-defined]
        return [
            PlanRow(
                p.code,
                p.title,
                p.first_year,
                p.last_year,
                p.envelope_mdh,
                p.signed_on,
                p.is_baseline,
                p.source,
            )
            for p in plans
        ]


def list_ctis(engine: Engine) -> list[CtiRow]:
    """Return the CTIs in alphabetical order of acronym."""
    with Session(engine) as session:
        ctis = session.exec(select(Cti).order_by(Cti.acronym)).all()
        return [CtiRow(c.acronym, c.name, c.sector, c.federation, c.city) for c in ctis]
