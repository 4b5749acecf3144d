"""The public reference facts load with their sources, and loading twice changes nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.engine import session_scope
from dashboard.db.models import Axis, Contract, Cti, NetworkFigure, Plan, Source, SourceNote
from dashboard.services.reference import seed_reference

TABLES = ("source", "plan", "axis", "cti", "contract", "networkfigure", "sourcenote")


def _snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            t: sorted(tuple(r) for r in conn.execute(text(f"SELECT * FROM {t}"))) for t in TABLES
        }


def test_seed_loads_the_public_facts(any_engine: Engine) -> None:
    with session_scope(any_engine) as session:
        seed_reference(session)
    with Session(any_engine) as session:
        plans = {p.code: p for p in session.exec(select(Plan)).all()}
        assert plans["2022-2025"].envelope_mdh == 250
        assert plans["2022-2025"].signed_on == date(2022, 6, 7)
        assert plans["2014-2020"].envelope_mdh == 290 and plans["2014-2020"].is_baseline
        axes = session.exec(select(Axis).order_by(Axis.number)).all()  # type: ignore[arg-type]
        assert [a.number for a in axes] == [1, 2, 3, 4, 5]
        assert axes[0].title_fr.startswith("Développement de prestations d'assistance technique")
        ctis = {c.acronym for c in session.exec(select(Cti)).all()}
        assert ctis == {
            "CETIEV",
            "CETIA",
            "CTTH",
            "CTPC",
            "CMTC",
            "CTIBA",
            "CERIC",
            "CETEMCO",
            "CERIMME",
        }
        contracts = session.exec(select(Contract)).all()
        assert len(contracts) == 9
        assert {c.signed_on for c in contracts} == {date(2023, 4, 11)}
        staff = session.exec(select(NetworkFigure).where(NetworkFigure.metric == "staff")).all()
        assert {(f.year, f.value) for f in staff if f.kind == "actual"} == {
            (2014, 125),
            (2021, 270),
        }
        assert session.exec(select(SourceNote)).all()


def test_every_fact_cites_a_known_source(any_engine: Engine) -> None:
    with session_scope(any_engine) as session:
        seed_reference(session)
    with Session(any_engine) as session:
        keys = {s.key for s in session.exec(select(Source)).all()}
        cited = [p.source for p in session.exec(select(Plan)).all()]
        cited += [a.source for a in session.exec(select(Axis)).all()]
        cited += [c.source for c in session.exec(select(Cti)).all()]
        cited += [f.source for f in session.exec(select(NetworkFigure)).all()]
        assert cited and all(source in keys for source in cited)


def test_seed_twice_gives_the_same_database(any_engine: Engine) -> None:
    with session_scope(any_engine) as session:
        seed_reference(session)
    first = _snapshot(any_engine)
    with session_scope(any_engine) as session:
        seed_reference(session)
    assert _snapshot(any_engine) == first
