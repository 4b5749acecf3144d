"""`seed --demo --scale N`: N times the demo, with revision histories and an audit trail."""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.engine import session_scope
from dashboard.db.models import (
    AuditEvent,
    BudgetMovement,
    Contract,
    Cti,
    EnvelopeLine,
    Indicator,
    ProgressUpdate,
)
from dashboard.i18n import term
from dashboard.services.demo import load_recipe, seed_demo
from dashboard.services.demo.recipe import Params
from dashboard.services.reference import seed_reference
from tests.db.test_demo import LATE_DATE, new_engine, seed

SCALES = (1, 2, 3)
WRITES = ("progress.", "budget.")


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, Engine]]:
    """One database per scale, seeded as seen after the plan (read-only tests share them)."""
    engines = {}
    for scale in SCALES:
        engines[scale] = new_engine(tmp_path_factory.mktemp("scale") / f"s{scale}.db")
        seed(engines[scale], today=LATE_DATE, scale=scale)
    yield engines
    for engine in engines.values():
        engine.dispose()


def count(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def test_volumes_grow_linearly_with_the_scale(scaled: dict[int, Engine]) -> None:
    indicators = {n: count(e, Indicator) for n, e in scaled.items()}
    progress = {n: count(e, ProgressUpdate) for n, e in scaled.items()}
    movements = {n: count(e, BudgetMovement) for n, e in scaled.items()}
    audit = {n: count(e, AuditEvent) for n, e in scaled.items()}
    assert indicators[2] == 2 * indicators[1] and indicators[3] == 3 * indicators[1]
    for n in (2, 3):
        # Each synthetic series adds the demo's values and their history: most validated values
        # were corrected once to three times (recipe: scale.revisions), so 2 to 2.6 times more.
        assert 1 + (n - 1) * 2.0 <= progress[n] / progress[1] <= 1 + (n - 1) * 2.6
        # Each movement is split in n; a quarter of the parts were corrected once.
        assert 1.1 * n <= movements[n] / movements[1] <= 1.4 * n
    # Every step of scale adds about the same volume.
    assert progress[3] - progress[2] == pytest.approx(progress[2] - progress[1], rel=0.1)
    assert movements[3] / movements[2] == pytest.approx(1.5, rel=0.05)
    # The demo itself has no audit trail; a scaled one describes every entry.
    assert audit[1] == 0
    assert audit[3] > audit[2] > 3 * (progress[2] + movements[2])


def test_the_audit_trail_grows_linearly_by_blocks_of_series(tmp_path: Path) -> None:
    """Sign-ins are shared within a block of series: one series per block makes it exact."""
    recipe = load_recipe()
    data = copy.deepcopy(dict(recipe.params.data))
    data["scale"]["audit"]["series_per_block"] = 1
    small = replace(recipe, params=Params(data, "recipe"))
    audit = {}
    for scale in (2, 3):
        engine = new_engine(tmp_path / f"blocks{scale}.db")
        with session_scope(engine) as session:
            audit[scale] = seed_demo(session, today=LATE_DATE, scale=scale, recipe=small)[
                "audit_events"
            ]
        users = {
            name for (name,) in engine.connect().execute(text("SELECT username FROM auditevent"))
        }
        # One team of 2 editors per CTI and 4 analysts per block of series. Blocks are cut by
        # row counts and histories differ in length, so a block may hold no row of a small CTI.
        analysts = {name for name in users if name.startswith("ministere.")}
        assert len(analysts) == scale * 4
        assert 9 * 2 * (scale - 1) < len(users - analysts) <= 9 * 2 * scale
        engine.dispose()
    # Each series' correction history is drawn on its own, so series differ a little.
    assert audit[3] / audit[2] == pytest.approx(1.5, rel=0.15)


def test_history_keeps_one_value_in_force_per_period(scaled: dict[int, Engine]) -> None:
    with Session(scaled[3]) as session:
        rows = session.exec(select(ProgressUpdate)).all()
    by_id = {row.id: row for row in rows}
    pending = Counter(
        (r.indicator_id, r.year, r.quarter) for r in rows if r.status in ("draft", "submitted")
    )
    assert max(pending.values()) == 1
    official = Counter(
        (r.indicator_id, r.year, r.quarter)
        for r in rows
        if r.status == "validated" and not r.is_superseded
    )
    assert max(official.values()) == 1
    superseded = [r for r in rows if r.is_superseded]
    replacing = {r.supersedes_id: r for r in rows if r.supersedes_id is not None}
    assert len(superseded) > 0.04 * len(rows)
    assert {r.id for r in superseded} == set(replacing)
    for old in superseded:
        new = replacing[old.id]
        assert old.status == new.status == "validated"
        assert (old.indicator_id, old.year, old.quarter) == (
            new.indicator_id,
            new.year,
            new.quarter,
        )
        assert old.reviewed_at is not None and old.reviewed_at < new.created_at
        assert new.correction_reason
        assert by_id[new.supersedes_id or 0] is old
    assert any(r.status == "rejected" for r in rows)


def values_by_code(engine: Engine) -> set[tuple[object, ...]]:
    with Session(engine) as session:
        codes = {i.id: i.code for i in session.exec(select(Indicator))}
        return {
            (codes[u.indicator_id], u.year, u.quarter, u.status, u.is_superseded, u.value)
            for u in session.exec(select(ProgressUpdate))
        }


def test_a_series_does_not_depend_on_the_scale(scaled: dict[int, Engine]) -> None:
    """The demo and each synthetic series are the same whatever N: N only adds series."""
    one, two, three = (values_by_code(scaled[n]) for n in SCALES)
    assert one < two < three
    assert not any(code.endswith("-S3") for code, *_ in two)


def money(engine: Engine) -> tuple[dict[tuple[int, int, str], float], list[BudgetMovement]]:
    with Session(engine) as session:
        movements = list(
            session.exec(select(BudgetMovement).where(col(BudgetMovement.is_superseded).is_(False)))
        )
    totals: dict[tuple[int, int, str], float] = defaultdict(float)
    for m in movements:
        totals[(m.contract_id, m.axis_id, m.kind)] += m.amount_mdh
    return totals, movements


def test_split_movements_keep_the_demo_budget(scaled: dict[int, Engine]) -> None:
    base, _ = money(scaled[1])
    totals, movements = money(scaled[3])
    assert totals.keys() == base.keys()
    for key, amount in base.items():
        assert totals[key] == pytest.approx(amount, abs=1e-6)
    with Session(scaled[3]) as session:
        lines = session.exec(select(EnvelopeLine)).all()
        history = session.exec(
            select(BudgetMovement).where(col(BudgetMovement.is_superseded).is_(True))
        ).all()
    envelope: dict[tuple[int, int], float] = defaultdict(float)
    for line in lines:
        envelope[(line.contract_id, line.axis_id)] += line.amount_mdh
    for only_validated in (False, True):
        committed: dict[tuple[int, int], float] = defaultdict(float)
        disbursed: dict[tuple[int, int], float] = defaultdict(float)
        for m in sorted(movements, key=lambda m: (m.on_date, m.kind != "commitment")):
            if only_validated and m.status != "validated":
                continue
            key = (m.contract_id, m.axis_id)
            if m.kind == "commitment":
                committed[key] += m.amount_mdh
                assert committed[key] <= envelope[key] + 1e-6
            else:
                disbursed[key] += m.amount_mdh
                assert disbursed[key] <= committed[key] + 1e-6, (key, m.on_date)
    references = [m.reference for m in movements]
    assert len(references) == len(set(references))
    assert history and all(h.status == "validated" for h in history)


def test_audit_trail_describes_the_entries(scaled: dict[int, Engine]) -> None:
    engine = scaled[2]
    with Session(engine) as session:
        events = session.exec(select(AuditEvent)).all()
        progress = session.exec(
            select(
                ProgressUpdate.id, Cti.acronym, ProgressUpdate.status, ProgressUpdate.reviewed_at
            )
            .join(Indicator, col(Indicator.id) == col(ProgressUpdate.indicator_id))
            .join(Contract, col(Contract.id) == col(Indicator.contract_id))
            .join(Cti, col(Cti.id) == col(Contract.cti_id))
        ).all()
        movement_ids = set(session.exec(select(BudgetMovement.id)).all())
    assert all(e.user_id is None and e.detail.startswith("illustratif") for e in events)
    assert all(e.at.date() <= LATE_DATE for e in events)
    actions = Counter((e.action, e.outcome) for e in events)
    for action in ("auth.login", "auth.logout", "auth.session_end", "progress.create",
                   "progress.submit", "progress.validate", "progress.reject", "progress.correct",
                   "progress.supersede", "budget.create", "budget.validate", "budget.correct",
                   "budget.supersede"):  # fmt: skip
        assert actions[(action, "ok")] > 0, action
    assert actions[("auth.login", "failed")] > 0 and actions[("validate_progress", "refused")] > 0
    # Every value was saved by an editor of its own CTI, and every validation is recorded.
    by_entity: dict[tuple[str, str], list[AuditEvent]] = defaultdict(list)
    for e in events:
        by_entity[(e.entity, e.entity_id)].append(e)
    for update_id, acronym, status, reviewed_at in progress:
        saved = [
            e
            for e in by_entity[("progress", str(update_id))]
            if e.action in ("progress.create", "progress.correct")
        ]
        assert len(saved) == 1 and saved[0].username.startswith(f"{acronym.lower()}.saisie")
        if status == "validated":
            validations = [
                e
                for e in by_entity[("progress", str(update_id))]
                if e.action == "progress.validate"
            ]
            assert [e.at for e in validations] == [reviewed_at]
    assert {int(e.entity_id) for e in events if e.action == "budget.create"} <= movement_ids
    # Whoever wrote something was signed in: after a sign-in, before the sign-out.
    signed_in: set[str] = set()
    order = {"auth.login": 0, "auth.logout": 2, "auth.session_end": 2}
    for e in sorted(events, key=lambda e: (e.at, order.get(e.action, 1))):
        if e.action == "auth.login" and e.outcome == "ok":
            assert e.username not in signed_in  # one session at a time
            signed_in.add(e.username)
        elif e.action in ("auth.logout", "auth.session_end"):
            signed_in.remove(e.username)
        elif e.action.startswith(WRITES) or e.outcome == "refused":
            assert e.username in signed_in, (e.username, e.action, e.at)
    assert not signed_in


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the volume tables, in id order, for comparison."""
    with engine.connect() as conn:
        return {
            name: [tuple(row) for row in conn.execute(text(f"SELECT * FROM {name} ORDER BY id"))]
            for name in ("indicator", "progressupdate", "budgetmovement", "auditevent")
        }


def test_same_seed_and_scale_give_the_same_rows(scaled: dict[int, Engine], tmp_path: Path) -> None:
    again = new_engine(tmp_path / "again.db")
    seed(again, today=LATE_DATE, scale=2)
    assert snapshot(again) == snapshot(scaled[2])
    other = new_engine(tmp_path / "other.db")
    seed(other, today=LATE_DATE, scale=2, seed=7)
    assert snapshot(other)["auditevent"] != snapshot(scaled[2])["auditevent"]


def test_replace_removes_the_scaled_data_and_its_trail(tmp_path: Path) -> None:
    engine = new_engine(tmp_path / "replace.db")
    seed(engine, today=LATE_DATE, scale=2)
    with session_scope(engine) as session:
        session.add(AuditEvent(action="auth.login", username="admin"))  # a real event stays
    counts = seed(engine, today=LATE_DATE, scale=1, replace=True)
    assert counts["audit_events"] == 0
    with Session(engine) as session:
        left = session.exec(select(AuditEvent)).all()
        superseded = session.exec(
            select(ProgressUpdate).where(col(ProgressUpdate.is_superseded).is_(True))
        ).all()
    assert [e.username for e in left] == ["admin"]
    assert superseded == []
    assert count(engine, ProgressUpdate) == counts["progress_updates"]


def test_scaled_demo_is_identical_on_both_backends(
    any_engine: Engine, scaled: dict[int, Engine]
) -> None:
    with session_scope(any_engine) as session:
        seed_reference(session)
    with session_scope(any_engine) as session:
        counts = seed_demo(session, today=LATE_DATE, scale=2)
    assert counts["audit_events"] == count(scaled[2], AuditEvent)
    queries = {
        "progress": "SELECT status, is_superseded, COUNT(*), ROUND(CAST(SUM(value) AS NUMERIC), 4)"
        " FROM progressupdate GROUP BY status, is_superseded ORDER BY status, is_superseded",
        "money": "SELECT kind, is_superseded, COUNT(*), ROUND(CAST(SUM(amount_mdh) AS NUMERIC), 6)"
        " FROM budgetmovement GROUP BY kind, is_superseded ORDER BY kind, is_superseded",
        "audit": "SELECT action, outcome, COUNT(*), MIN(at), MAX(at) FROM auditevent"
        " GROUP BY action, outcome ORDER BY action, outcome",
        "chains": "SELECT COUNT(*) FROM progressupdate p JOIN progressupdate o"
        " ON o.id = p.supersedes_id WHERE o.is_superseded",
    }

    def figures(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
        with Session(engine) as session:
            return {
                name: [
                    tuple(plain(v) for v in row) for row in session.connection().execute(text(sql))
                ]
                for name, sql in queries.items()
            }

    assert figures(any_engine) == figures(scaled[2])


def plain(value: object) -> object:
    """Compare values across backends: numbers as floats, times as "YYYY-MM-DD HH:MM:SS"."""
    if isinstance(value, bool | int):
        return int(value)
    if isinstance(value, float | Decimal):
        return round(float(value), 4)
    if isinstance(value, datetime):
        return value.isoformat(" ")[:19]
    return str(value)[:19] if isinstance(value, str) and value[:2] == "20" else value


def test_copies_keep_a_label_the_catalogs_translate(scaled: dict[int, Engine]) -> None:
    """At scale the English and Arabic pages showed "... (série 2)" in French."""
    with Session(scaled[max(SCALES)]) as session:
        labels = {i.code: i.label for i in session.exec(select(Indicator)).all()}
    copies = {code: label for code, label in labels.items() if "-S" in code}
    assert copies
    for code, label in copies.items():
        assert label == labels[code.rsplit("-S", 1)[0]]
        assert term(label, "en") != label, label
