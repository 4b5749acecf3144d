"""Choose each CTI's indicators from the catalogue and give them a baseline and yearly targets."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from dashboard.services.demo.common import (
    ContractRef,
    draw,
    jitter,
    rng_for,
    round_to,
    split_units,
)
from dashboard.services.demo.recipe import CatalogueEntry, Params, Recipe


@dataclass(frozen=True)
class IndicatorSpec:
    """Everything generated for one indicator before it is written."""

    acronym: str
    contract_id: int
    entry: CatalogueEntry
    code: str
    label: str
    network_metric: str
    baseline: float
    targets: dict[int, float]
    performance: float
    performance_class: int  # index in the recipe's performance classes: 0 is "on track"


def choose_entries(recipe: Recipe, seed: int, acronym: str) -> list[CatalogueEntry]:
    """Return the catalogue entries given to one CTI, in axis then catalogue order."""
    rng = rng_for(seed, "indicators", acronym)
    always = [entry for entry in recipe.catalogue if entry.always]
    optional = [entry for entry in recipe.catalogue if not entry.always]
    low, high = recipe.params.pair("indicators_per_cti")
    wanted = rng.randint(int(low), int(high))
    extra = rng.sample(optional, max(0, min(wanted - len(always), len(optional))))
    chosen = set(always) | set(extra)
    return sorted(chosen, key=lambda e: (e.axis, recipe.catalogue.index(e)))


def network_values(
    params: Params,
    seed: int,
    *,
    metric: str,
    decimals: int,
    members: Sequence[ContractRef],
    total_and_growth: tuple[float, float],
) -> dict[str, tuple[float, float]]:
    """Split a network baseline between CTIs and set 2025 targets that add up to its growth."""
    rng = rng_for(seed, "network", metric)
    total, growth = total_and_growth
    factor = 10**decimals
    shares = [m.size * jitter(rng, params.number("share_jitter")) for m in members]
    baselines = split_units(round(total * factor), shares)
    # Each CTI grows at its own pace; the targets are then rescaled to the announced network
    # growth, so the sums match the public figures while the CTIs differ.
    paces = [b * growth * jitter(rng, params.number("growth_jitter")) for b in baselines]
    finals = split_units(round(sum(baselines) * growth), paces)
    return {
        m.acronym: (b / factor, f / factor)
        for m, b, f in zip(members, baselines, finals, strict=True)
    }


def own_values(entry: CatalogueEntry, rng: random.Random, size: float) -> tuple[float, float]:
    """Draw the baseline and the 2025 target of a non-network indicator."""
    scale = size if entry.scaled else 1.0
    baseline = round_to(draw(rng, entry.baseline) * scale, entry.decimals)
    if entry.target is not None:
        final = draw(rng, entry.target) * scale
    else:
        final = baseline * draw(rng, entry.growth or (1.5, 2.0))
    if entry.unit == "%":
        final = min(final, 98.0)
    final = round_to(final, entry.decimals)
    if final == baseline:  # a target equal to the baseline would plan no change at all
        step = 10**-entry.decimals
        final = baseline + step if entry.direction == "higher" else baseline - step
    return baseline, final


def yearly_targets(
    params: Params, rng: random.Random, values: tuple[float, float], decimals: int
) -> dict[int, float]:
    """Return a target per plan year, from the baseline to the 2025 target along the profile."""
    baseline, final = values
    profile = params.weights("target_profile")
    years = sorted(profile)
    reached = 0.0
    targets: dict[int, float] = {}
    for year in years:
        share = profile[year] * jitter(rng, params.number("target_profile_jitter"))
        reached = 1.0 if year == years[-1] else min(max(reached, share), 1.0)
        targets[year] = round_to(baseline + (final - baseline) * reached, decimals)
    targets[years[-1]] = final
    return targets


def draw_performance(
    rng: random.Random, classes: Sequence[tuple[float, tuple[float, float]]]
) -> tuple[int, float]:
    """Pick a performance class by its share, then a performance factor inside its range."""
    pick = rng.random() * sum(share for share, _ in classes)
    for index, (share, bounds) in enumerate(classes):
        if pick < share or index == len(classes) - 1:
            return index, draw(rng, bounds)
        pick -= share
    raise AssertionError("unreachable: the loop returns on its last class")


def plan_indicators(
    recipe: Recipe,
    seed: int,
    contracts: Sequence[ContractRef],
    network: Mapping[str, tuple[float, float]],
    lagging: set[str],
) -> list[IndicatorSpec]:
    """Return every indicator of every contract, with baseline, targets and performance."""
    params = recipe.params
    chosen = {c.acronym: choose_entries(recipe, seed, c.acronym) for c in contracts}
    shared: dict[str, dict[str, tuple[float, float]]] = {}
    for entry in recipe.catalogue:
        if entry.network_metric:
            members = [c for c in contracts if entry in chosen[c.acronym]]
            shared[entry.key] = network_values(
                params.section("network"),
                seed,
                metric=entry.network_metric,
                decimals=entry.decimals,
                members=members,
                total_and_growth=network[entry.network_metric],
            )
    performance = params.section("performance")
    specs = []
    for contract in contracts:
        per_axis: dict[int, int] = {}
        for entry in chosen[contract.acronym]:
            per_axis[entry.axis] = per_axis.get(entry.axis, 0) + 1
            code = f"{contract.acronym}-A{entry.axis}-{per_axis[entry.axis]:02d}"
            rng = rng_for(seed, "indicator", code)
            values = shared.get(entry.key, {}).get(contract.acronym) or own_values(
                entry, rng, contract.size
            )
            mix = "lagging" if contract.acronym in lagging else "default"
            klass, factor = draw_performance(rng, performance.classes(mix))
            specs.append(
                IndicatorSpec(
                    acronym=contract.acronym,
                    contract_id=contract.contract_id,
                    entry=entry,
                    code=code,
                    label=entry.label,
                    network_metric=entry.network_metric,
                    baseline=values[0],
                    targets=yearly_targets(params, rng, values, entry.decimals),
                    performance=factor,
                    performance_class=klass,
                )
            )
    return specs


def scaled_copies(
    recipe: Recipe, seed: int, specs: Sequence[IndicatorSpec], scale: int
) -> list[IndicatorSpec]:
    """Return synthetic copies of the indicators (codes ending -S2, -S3...) for volume tests.

    They stay out of the network metrics, so the network sums keep matching the public figures.
    A copy keeps its indicator's label (its code tells it apart): the label is a name the
    catalogs translate, which "... (série 2)" was not.
    """
    classes = recipe.params.section("performance").classes("default")
    copies = []
    for copy in range(2, scale + 1):
        for spec in specs:
            code = f"{spec.code}-S{copy}"
            klass, factor = draw_performance(rng_for(seed, "scale", code), classes)
            copies.append(
                replace(
                    spec,
                    code=code,
                    network_metric="",
                    performance=factor,
                    performance_class=klass,
                )
            )
    return copies
