"""Read model of /baseline: the 2014-2020 plan against the 2022-2025 plan, side by side."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col
from sqlmodel import select as sqlmodel_select

from dashboard.db.models import (
    MovementKind,
    NetworkFigure,
    Origin,
    Plan,
    PlanSpending,
)
from dashboard.domain.budget import safe_rate, yearly_intensity
from dashboard.domain.indicators import DEFAULT_THRESHOLDS, StatusThresholds
from dashboard.i18n import N_, _
from dashboard.services.budget_views import (
    baseline_spending,
    has_illustrative_money,
    movement_days,
)
from dashboard.services.monitoring import indicator_table
from dashboard.services.scope import PlanScope, load_scope
from dashboard.services.structure import NoteInfo, source_citations, source_notes

# Network metrics compared across the plans, with their French labels and units.
NETWORK_METRICS = {
    "staff": (N_("Effectif du réseau"), N_("personnes")),
    "turnover": (N_("Chiffre d'affaires du réseau"), N_("MDH")),
    "beneficiary_firms": (N_("Entreprises bénéficiaires (par an)"), N_("entreprises")),
    "tests": (N_("Essais et analyses (par an)"), N_("essais")),
}


@dataclass(frozen=True)
class PlanFacts:
    """A plan's public facts and its yearly intensities (MDH a year).

    ``intensity`` is planned: the envelope (a public fact) over the plan's years.
    ``actual_intensity`` is what was spent (2014-2020: recorded spending; the running plan:
    validated disbursements, payments after its end included) over the years it covers (the
    plan's years, or those elapsed while it runs); None without any spending recorded.
    ``actual_illustrative`` tells whether that spending is illustrative demo data.
    """

    code: str
    first_year: int
    last_year: int
    envelope: float
    signed_on: date | None
    intensity: float
    citation: str
    note: str
    actual_spent: float | None = None
    actual_years: float | None = None
    actual_intensity: float | None = None
    actual_illustrative: bool = False


@dataclass(frozen=True)
class BaselineView:
    """The numbers behind /baseline."""

    scope: PlanScope
    baseline: PlanFacts
    current: PlanFacts
    intensity: pd.DataFrame
    yearly: pd.DataFrame
    network: pd.DataFrame
    mapping: pd.DataFrame
    notes: list[NoteInfo]
    spending_illustrative: bool


def _facts(engine: Engine, baseline: bool, citations: dict[str, str]) -> PlanFacts | None:
    with Session(engine) as session:
        plan = session.exec(
            sqlmodel_select(Plan)
            .where(col(Plan.is_baseline).is_(baseline))
            .order_by(col(Plan.first_year).desc())
        ).first()
    if plan is None:
        return None
    return PlanFacts(
        code=plan.code,
        first_year=plan.first_year,
        last_year=plan.last_year,
        envelope=plan.envelope_mdh,
        signed_on=plan.signed_on,
        intensity=yearly_intensity(plan.envelope_mdh, plan.first_year, plan.last_year),
        citation=citations.get(plan.source, plan.source),
        note=plan.note,
    )


def intensity_frame(*plans: PlanFacts) -> pd.DataFrame:
    """Return each plan's envelope, duration and yearly intensities, in the order given."""
    return pd.DataFrame(
        {
            "plan": [p.code for p in plans],
            "envelope": [p.envelope for p in plans],
            "years": [p.last_year - p.first_year + 1 for p in plans],
            "intensity": [p.intensity for p in plans],
            "spent": [p.actual_spent for p in plans],
            "actual_years": [p.actual_years for p in plans],
            "actual_intensity": [p.actual_intensity for p in plans],
            "actual_illustrative": [p.actual_illustrative for p in plans],
        }
    )


def intensity_change(old: PlanFacts, new: PlanFacts) -> tuple[float | None, float | None]:
    """Return the change of yearly intensity from ``old`` to ``new``: planned, then actual."""
    planned = new.intensity / old.intensity - 1 if old.intensity else None
    actual = (
        new.actual_intensity / old.actual_intensity - 1
        if new.actual_intensity is not None and old.actual_intensity
        else None
    )
    return planned, actual


def with_actual(
    facts: PlanFacts, spent: list[float | None], years: float, *, illustrative: bool
) -> PlanFacts:
    """Return the plan's facts with what it spent (``spent``: MDH per year) over ``years``."""
    amounts = [amount for amount in spent if amount is not None and not pd.isna(amount)]
    if not amounts or years <= 0:
        return facts
    total = float(sum(amounts))
    return replace(
        facts,
        actual_spent=total,
        actual_years=years,
        actual_intensity=total / years,
        actual_illustrative=illustrative,
    )


def yearly_frame(*, engine: Engine, scope: PlanScope) -> pd.DataFrame:
    """Return spending by plan year: 2014-2020 recorded spending against 2022-2025 disbursed.

    Disbursements made after the current plan's last year (payments of its commitments) form
    an extra plan year, so the comparison keeps every dirham.
    """
    baseline_years, spent = baseline_spending(engine=engine)
    disbursed: dict[int, float] = {}
    days = movement_days(engine=engine, scope=scope, kind=MovementKind.DISBURSEMENT.value)
    for day, amount in days.items():
        disbursed[day.year] = disbursed.get(day.year, 0.0) + amount
    last_current = max([scope.last_year, *disbursed])
    count = max(len(spent), last_current - scope.first_year + 1)
    first_baseline = baseline_years[0] if baseline_years else None
    records = []
    for index in range(count):
        current_year = scope.first_year + index
        records.append(
            {
                "plan_year": index + 1,
                "baseline_year": None
                if first_baseline is None or index >= len(spent)
                else first_baseline + index,
                "baseline": spent[index] if index < len(spent) else None,
                "current_year": current_year,
                "current": disbursed.get(current_year, 0.0)
                if current_year <= scope.cutoff.year
                else None,
                "after_end": current_year > scope.last_year,
            }
        )
    return pd.DataFrame.from_records(records)


def network_frame(*, engine: Engine, frame: pd.DataFrame) -> pd.DataFrame:
    """Return the network figures: reference, announced target, CTI targets, latest validated.

    ``frame`` is the indicator frame; the CTIs' indicators tied to a network metric are summed.
    """
    with Session(engine) as session:
        figures = session.exec(
            sqlmodel_select(NetworkFigure).where(
                col(NetworkFigure.metric).in_(list(NETWORK_METRICS))
            )
        ).all()
    actual: dict[str, tuple[int, float, str]] = {}
    growth: dict[str, float] = {}
    for figure in figures:
        if figure.kind == "actual" and figure.year >= actual.get(figure.metric, (0, 0.0, ""))[0]:
            actual[figure.metric] = (figure.year, figure.value, figure.source)
        elif figure.kind == "growth_target":
            growth[figure.metric] = figure.value
    citations = source_citations(engine=engine)
    records = []
    for metric, (label, unit) in NETWORK_METRICS.items():
        own = frame[frame["network_metric"] == metric]
        ctis_baseline = float(own["baseline"].sum()) if not own.empty else None
        public = actual.get(metric)
        reference = public[1] if public else ctis_baseline
        announced = (
            None
            if reference is None or metric not in growth
            else reference * (1 + growth[metric] / 100)
        )
        latest = own["latest_value"]
        records.append(
            {
                "metric": metric,
                "label": _(label),
                "unit": unit,  # French, translated where it is written (fmt_value)
                "reference_year": public[0] if public else None,
                "reference": reference,
                "reference_public": public is not None,
                "reference_source": citations.get(public[2], public[2]) if public else "",
                "announced_growth": growth.get(metric),
                "announced_target": announced,
                "ctis_target": float(own["final_target"].sum()) if not own.empty else None,
                "latest": float(latest.sum()) if not own.empty and latest.notna().all() else None,
                "ctis": len(own),
            }
        )
    result = pd.DataFrame.from_records(records)
    result["latest_index"] = [
        safe_rate(value, ref) if value is not None and ref else None
        for value, ref in zip(result["latest"], result["reference"], strict=True)
    ]
    result["target_index"] = [
        safe_rate(t, r) if t is not None and r else None
        for t, r in zip(result["ctis_target"], result["reference"], strict=True)
    ]
    return result


def mapping_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return each kind of 2022-2025 indicator with the 2014-2020 measure it compares to."""
    if frame.empty:
        return pd.DataFrame(
            columns=["axis", "label", "unit", "baseline_measure", "like_for_like", "ctis"]
        )
    grouped = (
        frame.groupby(
            ["axis", "label", "unit", "baseline_measure", "like_for_like"], as_index=False
        )
        .agg(ctis=("acronym", "nunique"))
        .sort_values(["axis", "label"])
    )
    return grouped.reset_index(drop=True)


def _illustrative_spending(engine: Engine) -> bool:
    with engine.connect() as conn:
        row = conn.execute(
            select(col(PlanSpending.id))
            .where(col(PlanSpending.origin) == Origin.ILLUSTRATIVE.value)
            .limit(1)
        ).first()
    return row is not None


def baseline_view(
    *,
    engine: Engine,
    today: date,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> BaselineView | None:
    """Return the comparison of the two plans (None when the baseline plan is missing)."""
    citations = source_citations(engine=engine)
    baseline = _facts(engine, True, citations)
    current = _facts(engine, False, citations)
    if baseline is None or current is None:
        return None
    scope = load_scope(engine=engine, today=today)
    frame = indicator_table(engine=engine, scope=scope, thresholds=thresholds)
    yearly = yearly_frame(engine=engine, scope=scope)
    illustrative = _illustrative_spending(engine)
    old_years = baseline.last_year - baseline.first_year + 1
    baseline = with_actual(
        baseline, yearly["baseline"].tolist()[:old_years], old_years, illustrative=illustrative
    )
    # The running plan's disbursements over its years elapsed (all of them once it ended).
    current = with_actual(
        current,
        yearly["current"].tolist(),
        scope.elapsed * len(scope.years),
        illustrative=has_illustrative_money(engine=engine, plan_id=scope.plan_id),
    )
    return BaselineView(
        scope=scope,
        baseline=baseline,
        current=current,
        intensity=intensity_frame(baseline, current),
        yearly=yearly,
        network=network_frame(engine=engine, frame=frame),
        mapping=mapping_frame(frame),
        notes=source_notes(engine=engine),
        spending_illustrative=illustrative,
    )
