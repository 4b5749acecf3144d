"""Generate the illustrative demo data of the 2022-2025 plan, reproducibly from a seed.

Per-CTI envelopes, indicators, targets and progress are not public (DESIGN.md): the demo fills
them in from data/demo/recipe.yaml so that the dashboard can be shown, and every row it writes
has origin "illustrative", so that it is labelled as such and can be replaced by real figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from dashboard.db.models import BudgetMovement, EnvelopeLine, PlanSpending, ProgressUpdate
from dashboard.i18n import _
from dashboard.services.demo.common import rng_for
from dashboard.services.demo.indicators import IndicatorSpec, plan_indicators, scaled_copies
from dashboard.services.demo.money import (
    CENTS,
    LineKey,
    baseline_spending,
    envelope_lines,
    movement_rows,
    plan_movements,
)
from dashboard.services.demo.progress import progress_rows
from dashboard.services.demo.recipe import RECIPE_PATH, DemoDataError, Recipe, load_recipe
from dashboard.services.demo.scale import (
    insert_chains,
    movement_chains,
    progress_chains,
    split_movements,
)
from dashboard.services.demo.store import (
    ILLUSTRATIVE,
    Setting,
    clear_demo,
    has_demo_data,
    insert_rows,
    load_setting,
    set_contract_envelopes,
    write_indicators,
)
from dashboard.services.demo.trail import write_trail

__all__ = [
    "COUNT_KEYS",
    "RECIPE_PATH",
    "DemoDataError",
    "clear_demo",
    "has_demo_data",
    "load_recipe",
    "seed_demo",
]

COUNT_KEYS = (
    "envelope_lines",
    "contract_envelopes",
    "indicators",
    "indicator_targets",
    "progress_updates",
    "budget_movements",
    "plan_spending",
    "audit_events",
)


def seed_demo(
    session: Session,
    *,
    today: date,
    seed: int = 2022,
    scale: int = 1,
    replace: bool = False,
    recipe: Recipe | None = None,
) -> dict[str, int]:
    """Generate illustrative envelopes, indicators, progress and budget; return rows by table.

    Runs after ``seed_reference``. If demo data is already there nothing changes and every
    count is 0, unless ``replace`` is true: then the illustrative rows are deleted and generated
    again. The values depend only on ``seed``, ``scale`` and the recipe; ``today`` only decides
    which quarters and movements have happened yet. ``scale`` N > 1 multiplies the volume for
    speed and load tests: N series of indicators (codes ending -S2, -S3...) whose synthetic
    copies have a revision history, each budget movement split into N movements that add up to
    it, and an audit trail describing every entry (``scale`` section of the recipe). At scale 1
    nothing of that runs: the demo is exactly what the rest of the recipe makes.
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise DemoDataError(
            _("Échelle invalide « {scale} » : indiquez un entier au moins égal à 1.", scale=scale)
        )
    if has_demo_data(session):
        if not replace:
            return dict.fromkeys(COUNT_KEYS, 0)
        clear_demo(session)
    recipe = recipe or load_recipe(RECIPE_PATH)
    setting = load_setting(session, recipe)
    count = int(recipe.params.section("budget").section("lagging").number("count"))
    # The same CTIs lag in money and in results.
    lagging = set(rng_for(seed, "lagging").sample([c.acronym for c in setting.contracts], count))
    counts = dict.fromkeys(COUNT_KEYS, 0)
    lines = _seed_envelopes(session, recipe, seed, setting, counts)
    counts.update(
        _seed_indicators(
            session, recipe, setting, seed=seed, lagging=lagging, scale=scale, today=today
        )
    )
    movements = plan_movements(recipe, seed, lines, setting.signed_on, lagging)
    budget = recipe.params.section("budget")
    movements = split_movements(movements, seed=seed, scale=scale, params=budget)
    contract_ids = {c.acronym: c.contract_id for c in setting.contracts}
    rows = movement_rows(movements, contract_ids, setting.axis_ids, today)
    if scale == 1:
        counts["budget_movements"] = insert_rows(session, BudgetMovement, rows)
    else:
        history = movement_chains(
            rows, seed=seed, params=recipe.params.section("scale"), today=today
        )
        counts["budget_movements"] = insert_chains(session, BudgetMovement, history)
    baseline = setting.baseline_plan
    years = list(range(baseline.first_year, baseline.last_year + 1))
    spending = [
        {"plan_id": baseline.id, "year": year, "amount_mdh": amount, "origin": ILLUSTRATIVE}
        for year, amount in baseline_spending(recipe, seed, baseline.envelope_mdh, years).items()
    ]
    counts["plan_spending"] = insert_rows(session, PlanSpending, spending)
    session.flush()
    if scale > 1:
        counts["audit_events"] = write_trail(
            session,
            params=recipe.params.section("scale").section("audit"),
            seed=seed,
            scale=scale,
            acronyms=[c.acronym for c in setting.contracts],
        )
    if session.get_bind().dialect.name == "postgresql":
        # Fresh statistics for the planner: before autovacuum gets to hundreds of thousands
        # of new rows, PostgreSQL plans as if the tables were empty (an axis page took 4 s
        # instead of 0.2 s at --scale 100).
        session.execute(text("ANALYZE"))
    return counts


def _seed_envelopes(
    session: Session, recipe: Recipe, seed: int, setting: Setting, counts: dict[str, int]
) -> dict[LineKey, int]:
    """Write the envelope lines and set each contract's envelope to their sum."""
    lines = envelope_lines(
        recipe,
        seed,
        contracts=setting.contracts,
        plan_envelope=setting.plan.envelope_mdh,
        axes=sorted(setting.axis_ids),
        years=setting.years,
    )
    contract_ids = {c.acronym: c.contract_id for c in setting.contracts}
    rows = [
        {
            "contract_id": contract_ids[acronym],
            "axis_id": setting.axis_ids[axis],
            "year": year,
            "amount_mdh": cents / CENTS,
            "origin": ILLUSTRATIVE,
        }
        for (acronym, axis, year), cents in sorted(lines.items())
    ]
    counts["envelope_lines"] = insert_rows(session, EnvelopeLine, rows)
    totals: dict[int, int] = defaultdict(int)
    for (acronym, _axis, _year), cents in lines.items():
        totals[contract_ids[acronym]] += cents
    envelopes = {contract_id: cents / CENTS for contract_id, cents in totals.items()}
    counts["contract_envelopes"] = set_contract_envelopes(session, envelopes)
    return lines


def _seed_indicators(
    session: Session,
    recipe: Recipe,
    setting: Setting,
    *,
    seed: int,
    lagging: set[str],
    scale: int,
    today: date,
) -> dict[str, int]:
    """Write the indicators, their yearly targets and their quarterly progress.

    One series at a time (the demo's indicators, then each synthetic copy), so that memory
    stays flat whatever the scale; at scale 1 the rows and their order are those of the demo.
    """
    specs = plan_indicators(recipe, seed, setting.contracts, setting.network, lagging)
    copies = scaled_copies(recipe, seed, specs, scale)
    years = (setting.plan.first_year, setting.plan.last_year)
    counts = {"indicators": 0, "indicator_targets": 0, "progress_updates": 0}
    for number, series in enumerate([specs, *_series(copies, len(specs))], start=1):
        ids, targets = write_indicators(session, series, setting.axis_ids)
        counts["indicators"] += len(ids)
        counts["indicator_targets"] += targets
        chains = []
        for spec, indicator_id in zip(series, ids, strict=True):
            rng = rng_for(seed, "progress", spec.code)
            rows = progress_rows(
                spec, indicator_id, recipe=recipe, rng=rng, years=years, today=today
            )
            if number == 1:
                chains += [[row] for row in rows]
                continue
            chains += progress_chains(
                rows,
                params=recipe.params.section("scale"),
                rng=rng_for(seed, "revisions", spec.code),
                decimals=spec.entry.decimals,
                ceiling=100.0 if spec.entry.unit == "%" else None,
                today=today,
            )
        if number == 1:
            rows = [chain[0] for chain in chains]
            counts["progress_updates"] += insert_rows(session, ProgressUpdate, rows)
        else:
            counts["progress_updates"] += insert_chains(session, ProgressUpdate, chains)
    return counts


def _series(copies: list[IndicatorSpec], size: int) -> list[list[IndicatorSpec]]:
    """Cut the synthetic copies into their series (-S2, -S3...) of ``size`` indicators."""
    return [copies[start : start + size] for start in range(0, len(copies), size)]
