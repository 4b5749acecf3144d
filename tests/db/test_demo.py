"""Illustrative demo data: plausible, consistent with the public figures, and reproducible."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from dashboard.db.engine import make_engine, session_scope
from dashboard.db.migrate import upgrade
from dashboard.db.models import (
    Axis,
    BudgetMovement,
    Contract,
    Cti,
    EnvelopeLine,
    Indicator,
    IndicatorTarget,
    Plan,
    PlanSpending,
    ProgressUpdate,
)
from dashboard.domain.indicators import Direction, Status, Trajectory, status
from dashboard.domain.periods import Period, date_to_decimal
from dashboard.services.demo import COUNT_KEYS, DemoDataError, seed_demo
from dashboard.services.reference import seed_reference

LATE_DATE = date(2026, 11, 29)  # after the plan and its late disbursements
MID_DATE = date(2024, 5, 10)
DATES = [LATE_DATE, MID_DATE]
DEMO_TABLES: list[type[SQLModel]] = [
    Contract,
    EnvelopeLine,
    Indicator,
    IndicatorTarget,
    ProgressUpdate,
    BudgetMovement,
    PlanSpending,
]


def new_engine(path: Path) -> Engine:
    """Create a migrated SQLite database holding the reference facts."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with session_scope(engine) as session:
        seed_reference(session)
    return engine


def seed(
    engine: Engine, *, today: date, seed: int = 2022, scale: int = 1, replace: bool = False
) -> dict[str, int]:
    """Run seed_demo in its own committed transaction."""
    with session_scope(engine) as session:
        return seed_demo(session, today=today, seed=seed, scale=scale, replace=replace)


def snapshot(engine: Engine) -> dict[str, list[str]]:
    """Return every row of the tables the demo writes, sorted, for comparison."""
    with Session(engine) as session:
        return {
            table.__name__: sorted(
                repr(sorted(row.model_dump().items())) for row in session.exec(select(table))
            )
            for table in DEMO_TABLES
        }


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A fresh database with the reference facts and no demo data."""
    engine = new_engine(tmp_path / "demo.db")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module", params=DATES, ids=str)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, date]]:
    """A database seeded with the demo as seen on one date (shared by read-only tests)."""
    today: date = request.param
    engine = new_engine(tmp_path_factory.mktemp("seeded") / "demo.db")
    seed(engine, today=today)
    yield engine, today
    engine.dispose()


def current_contracts(session: Session) -> list[tuple[Contract, Cti]]:
    plan = session.exec(select(Plan).where(Plan.code == "2022-2025")).one()
    return list(session.exec(select(Contract, Cti).join(Cti).where(Contract.plan_id == plan.id)))


def targets_by_indicator(session: Session) -> dict[int, dict[int, float]]:
    targets: dict[int, dict[int, float]] = defaultdict(dict)
    for target in session.exec(select(IndicatorTarget)):
        targets[target.indicator_id][target.year] = target.value
    return targets


def test_envelopes_fit_the_plan_and_equal_their_lines(seeded: tuple[Engine, date]) -> None:
    engine, _ = seeded
    with Session(engine) as session:
        contracts = current_contracts(session)
        lines = session.exec(select(EnvelopeLine)).all()
        total = math.fsum(contract.envelope_mdh for contract, _ in contracts)
        assert 0.90 * 250 <= total <= 250
        by_contract: dict[int, float] = defaultdict(float)
        for line in lines:
            by_contract[line.contract_id] += line.amount_mdh
        sizes = {}
        for contract, cti in contracts:
            assert contract.envelope_mdh == pytest.approx(by_contract[contract.id or 0], abs=1e-6)
            assert contract.origin == "public"  # date and signatories stay public facts
            sizes[cti.acronym] = contract.envelope_mdh
        assert {line.year for line in lines} == {2022, 2023, 2024, 2025}
        assert len({line.axis_id for line in lines}) == 5
        assert min(sizes["CETIEV"], sizes["CERIMME"], sizes["CETIA"]) > max(
            sizes["CTIBA"], sizes["CMTC"], sizes["CERIC"]
        )


def test_each_cti_has_6_to_12_indicators_over_the_five_axes(seeded: tuple[Engine, date]) -> None:
    engine, _ = seeded
    with Session(engine) as session:
        axis_numbers = {a.id: a.number for a in session.exec(select(Axis))}
        indicators = session.exec(select(Indicator)).all()
        for contract, cti in current_contracts(session):
            own = [i for i in indicators if i.contract_id == contract.id]
            assert 6 <= len(own) <= 12, cti.acronym
            assert all(i.code.startswith(f"{cti.acronym}-A") for i in own)
            assert {axis_numbers[i.axis_id] for i in own} == {1, 2, 3, 4, 5}
        codes = [i.code for i in indicators]
        assert len(codes) == len(set(codes))
        assert any(i.direction == "lower" and i.unit == "jours" for i in indicators)
        assert any(not i.like_for_like for i in indicators)
        assert all(i.baseline_measure and i.label for i in indicators)


def test_every_indicator_has_a_target_per_plan_year(seeded: tuple[Engine, date]) -> None:
    engine, _ = seeded
    with Session(engine) as session:
        targets = targets_by_indicator(session)
        for indicator in session.exec(select(Indicator)):
            yearly = targets[indicator.id or 0]
            assert sorted(yearly) == [2022, 2023, 2024, 2025], indicator.code
            values = [yearly[y] for y in sorted(yearly)]
            ordered = sorted(values, reverse=indicator.direction == "lower")
            assert values == ordered, indicator.code  # steadily toward the 2025 target
            assert values[-1] != indicator.baseline_value


@pytest.mark.parametrize(
    ("metric", "baseline_total", "growth"),
    [
        ("beneficiary_firms", None, 2.65),  # +165 % announced
        ("staff", 270, 2.00),  # RECTIM 2021; about +100 %
        ("turnover", 70, 2.56),  # RECTIM 2021; +156 %
        ("tests", 14_500, None),
    ],
)
def test_network_targets_follow_the_announced_growth(
    seeded: tuple[Engine, date], metric: str, baseline_total: float | None, growth: float | None
) -> None:
    engine, _ = seeded
    with Session(engine) as session:
        targets = targets_by_indicator(session)
        members = session.exec(select(Indicator).where(Indicator.network_metric == metric)).all()
        assert len(members) == 9
        baseline = math.fsum(i.baseline_value for i in members)
        final = math.fsum(targets[i.id or 0][2025] for i in members)
    if baseline_total is not None:
        assert baseline == pytest.approx(baseline_total, rel=0.05)
    if growth is not None:
        assert final / baseline == pytest.approx(growth, rel=0.10)


def test_progress_mixes_every_workflow_status(seeded: tuple[Engine, date]) -> None:
    engine, _ = seeded
    with Session(engine) as session:
        updates = session.exec(select(ProgressUpdate)).all()
    statuses = Counter(u.status for u in updates)
    assert statuses["validated"] > 0.8 * len(updates)
    assert statuses["submitted"] + statuses["draft"] > 0
    assert statuses["rejected"] > 0
    assert all(u.rejection_reason for u in updates if u.status == "rejected")
    assert all(u.reviewed_at is not None for u in updates if u.status == "validated")
    assert all(1 <= u.quarter <= 4 and 2022 <= u.year <= 2025 for u in updates)
    pending = Counter(
        (u.indicator_id, u.year, u.quarter) for u in updates if u.status in ("draft", "submitted")
    )
    assert max(pending.values()) == 1
    assert any(u.comment for u in updates)


def test_indicators_are_on_track_and_late(seeded: tuple[Engine, date]) -> None:
    engine, _ = seeded
    with Session(engine) as session:
        targets = targets_by_indicator(session)
        latest: dict[int, ProgressUpdate] = {}
        validated = select(ProgressUpdate).where(ProgressUpdate.status == "validated")
        for update in session.exec(validated):
            known = latest.get(update.indicator_id)
            if known is None or (known.year, known.quarter) < (update.year, update.quarter):
                latest[update.indicator_id] = update
        lights: Counter[Status] = Counter()
        for indicator in session.exec(select(Indicator)):
            last = latest.get(indicator.id or 0)
            if last is None:
                continue
            trajectory = Trajectory(indicator.baseline_value, 2022.0, targets[indicator.id or 0])
            at = Period(last.year, last.quarter).end()
            lights[status(trajectory, last.value, at, Direction(indicator.direction))] += 1
    assert lights[Status.ON_TRACK] > max(lights[Status.WATCH], lights[Status.LATE])
    assert lights[Status.LATE] > 0


def test_nothing_happens_after_today(seeded: tuple[Engine, date]) -> None:
    engine, today = seeded
    with Session(engine) as session:
        updates = session.exec(select(ProgressUpdate)).all()
        movements = session.exec(select(BudgetMovement)).all()
    for update in updates:
        assert Period(update.year, update.quarter).end() <= date_to_decimal(today)
        stamps = [update.created_at, update.submitted_at, update.reviewed_at, update.updated_at]
        assert all(stamp.date() <= today for stamp in stamps if stamp is not None)
    assert all(m.on_date <= today and m.created_at.date() <= today for m in movements)
    last_quarter = max((u.year, u.quarter) for u in updates)
    assert last_quarter == ((2025, 4) if today == LATE_DATE else (2024, 1))


def test_disbursed_never_exceeds_committed_or_the_envelope(seeded: tuple[Engine, date]) -> None:
    engine, _ = seeded
    with Session(engine) as session:
        movements = session.exec(select(BudgetMovement)).all()
        lines = session.exec(select(EnvelopeLine)).all()
    envelope: dict[tuple[int, int], float] = defaultdict(float)
    for line in lines:
        envelope[(line.contract_id, line.axis_id)] += line.amount_mdh
    for only_validated in (False, True):
        committed: dict[tuple[int, int], float] = defaultdict(float)
        disbursed: dict[tuple[int, int], float] = defaultdict(float)
        ordered = sorted(movements, key=lambda m: (m.on_date, m.kind != "commitment"))
        for m in ordered:
            if only_validated and m.status != "validated":
                continue
            key = (m.contract_id, m.axis_id)
            if m.kind == "commitment":
                committed[key] += m.amount_mdh
                assert committed[key] <= envelope[key] + 1e-6
            else:
                disbursed[key] += m.amount_mdh
                assert disbursed[key] <= committed[key] + 1e-6, (key, m.on_date)
    assert {m.status for m in movements} == {"validated", "submitted"}


def test_budget_execution_is_plausible_after_the_plan(tmp_path: Path) -> None:
    engine = new_engine(tmp_path / "late.db")
    seed(engine, today=LATE_DATE)
    with Session(engine) as session:
        movements = session.exec(select(BudgetMovement)).all()
        envelopes = {c.id or 0: c.envelope_mdh for c, _ in current_contracts(session)}
    allocated = math.fsum(envelopes.values())
    spent: dict[tuple[int, str], float] = defaultdict(float)
    for m in movements:
        spent[(m.contract_id, m.kind)] += m.amount_mdh
    committed = math.fsum(v for (_, kind), v in spent.items() if kind == "commitment")
    disbursed = math.fsum(v for (_, kind), v in spent.items() if kind == "disbursement")
    assert 0.80 <= committed / allocated <= 0.95
    assert 0.55 <= disbursed / allocated <= 0.80
    rates = [spent[(cid, "disbursement")] / env for cid, env in envelopes.items()]
    assert max(rates) - min(rates) > 0.2  # some CTIs lag behind the others
    dates = sorted(m.on_date for m in movements)
    assert date(2022, 6, 7) < dates[0] and dates[-1] <= date(2026, 3, 31)


def test_baseline_plan_spending_stays_within_290_mdh(seeded: tuple[Engine, date]) -> None:
    engine, _ = seeded
    with Session(engine) as session:
        plan = session.exec(select(Plan).where(Plan.code == "2014-2020")).one()
        rows = session.exec(select(PlanSpending)).all()
    assert sorted(r.year for r in rows) == list(range(2014, 2021))
    assert all(r.plan_id == plan.id for r in rows)
    assert 0.85 * 290 <= math.fsum(r.amount_mdh for r in rows) <= 290


def test_everything_generated_is_illustrative(seeded: tuple[Engine, date]) -> None:
    engine, _ = seeded
    with Session(engine) as session:
        for table in DEMO_TABLES[1:]:
            origins = {row.model_dump()["origin"] for row in session.exec(select(table))}
            assert origins == {"illustrative"}, table.__name__


def test_running_twice_changes_nothing(engine: Engine) -> None:
    first = seed(engine, today=MID_DATE)
    before = snapshot(engine)
    second = seed(engine, today=MID_DATE)
    assert first["progress_updates"] > 0
    assert second == dict.fromkeys(COUNT_KEYS, 0)
    assert snapshot(engine) == before


def test_replace_regenerates_the_same_data(engine: Engine) -> None:
    seed(engine, today=MID_DATE)
    before = snapshot(engine)
    again = seed(engine, today=MID_DATE, replace=True)
    assert again["indicators"] > 0
    assert snapshot(engine) == before


def test_same_seed_gives_the_same_data_in_two_databases(tmp_path: Path) -> None:
    engines = [new_engine(tmp_path / f"{name}.db") for name in ("a", "b", "c")]
    for engine, value in zip(engines, (7, 7, 8), strict=True):
        seed(engine, today=LATE_DATE, seed=value)
    a, b, c = (snapshot(engine) for engine in engines)
    assert a == b
    assert a["ProgressUpdate"] != c["ProgressUpdate"]


def test_the_past_does_not_depend_on_today(tmp_path: Path) -> None:
    values = []
    for today in DATES:
        engine = new_engine(tmp_path / f"{today}.db")
        seed(engine, today=today)
        with Session(engine) as session:
            codes = {i.id: i.code for i in session.exec(select(Indicator))}
            values.append(
                {
                    (codes[u.indicator_id], u.year, u.quarter): u.value
                    for u in session.exec(select(ProgressUpdate))
                    if u.status != "rejected" and (u.year, u.quarter) <= (2023, 4)
                }
            )
    assert values[0] == values[1]


def test_scale_multiplies_the_volume(tmp_path: Path) -> None:
    counts = {}
    for scale in (1, 3):
        engine = new_engine(tmp_path / f"scale{scale}.db")
        counts[scale] = seed(engine, today=LATE_DATE, scale=scale)
    assert counts[3]["indicators"] == 3 * counts[1]["indicators"]
    ratio = counts[3]["progress_updates"] / counts[1]["progress_updates"]
    # The demo's values, then two synthetic series with their correction histories (each two
    # to 2.6 times the demo's count: recipe scale.revisions).
    assert 1 + 2 * 2.0 <= ratio <= 1 + 2 * 2.6
    with Session(engine) as session:
        staff = session.exec(select(Indicator).where(Indicator.network_metric == "staff")).all()
    assert math.fsum(i.baseline_value for i in staff) == pytest.approx(270)


@pytest.mark.parametrize("scale", [0, -1])
def test_bad_scale_is_refused(engine: Engine, scale: int) -> None:
    with pytest.raises(DemoDataError, match="Échelle"):
        seed(engine, today=MID_DATE, scale=scale)


def test_refuses_without_reference_data(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    upgrade(engine)
    with pytest.raises(DemoDataError, match="référence"):
        seed(engine, today=MID_DATE)
