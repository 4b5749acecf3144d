"""The read models behind each page, on the demo database (DEMO_TODAY = 2026-11-29)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from dashboard.domain.budget import money_vs_results
from dashboard.domain.indicators import Status
from dashboard.services.axes import axes_view, axis_view
from dashboard.services.baseline import baseline_view
from dashboard.services.contracts import contracts_view, cti_view, indicator_trajectory
from dashboard.services.overview import overview_view
from tests.conftest import DEMO_TODAY


def test_overview_headline_figures(engine: Engine) -> None:
    view = overview_view(engine=engine, today=DEMO_TODAY)
    assert view.scope.code == "2022-2025" and view.scope.envelope == 250.0
    assert view.scope.to_date and view.scope.ended
    assert view.contracts_signed == view.contracts_total == 9
    assert str(view.last_signed_on) == "2023-04-11"
    assert "EcoActu" in view.plan_citation
    assert view.budget.illustrative
    with engine.connect() as conn:
        indicators = conn.exec_driver_sql("SELECT COUNT(*) FROM indicator").scalar()
    assert sum(view.status.values()) == indicators
    assert view.by_axis["envelope"].sum() == pytest.approx(view.budget.envelope)
    assert view.by_cti["disbursed"].sum() == pytest.approx(view.budget.disbursed)
    assert list(view.by_cti["envelope"]) == sorted(view.by_cti["envelope"], reverse=True)
    assert len(view.late) <= 8 and set(view.late["status"]) <= {"late", "watch"}


def test_overview_money_against_results_uses_the_domain_rule(engine: Engine) -> None:
    view = overview_view(engine=engine, today=DEMO_TODAY, tolerance=0.15)
    assert len(view.money_results) == 9
    for row in view.money_results.to_dict("records"):
        expected = money_vs_results(row["spent_share"], row["results_share"], 0.15)
        assert bool(row["ahead"]) == bool(expected)
    by_cti = view.by_cti.set_index("acronym")
    cetia = view.money_results.set_index("acronym").loc["CETIA"]
    spent = by_cti.loc["CETIA", "disbursed"] / by_cti.loc["CETIA", "envelope"]
    assert cetia["spent_share"] == pytest.approx(spent)


def test_overview_of_a_past_year_is_smaller_and_not_to_date(engine: Engine) -> None:
    now = overview_view(engine=engine, today=DEMO_TODAY)
    then = overview_view(engine=engine, today=DEMO_TODAY, year="2023")
    assert then.scope.year == 2023 and not then.scope.to_date
    assert then.budget.disbursed < now.budget.disbursed
    assert then.series["date"].max() <= then.scope.cutoff
    # An unusable year in a URL falls back to the view to date instead of failing.
    assert overview_view(engine=engine, today=DEMO_TODAY, year="2031").scope.year == 2025
    assert overview_view(engine=engine, today=DEMO_TODAY, year="abc").scope.to_date


def test_axes_view_splits_the_plan_into_five_axes(engine: Engine) -> None:
    view = axes_view(engine=engine, today=DEMO_TODAY)
    assert [a.info.number for a in view.axes] == [1, 2, 3, 4, 5]
    assert view.axes[0].info.title.startswith("Développement de prestations d'assistance")
    assert sum(a.budget.envelope for a in view.axes) == pytest.approx(
        view.by_axis["envelope"].sum()
    )
    assert sum(sum(a.status.values()) for a in view.axes) == len(view.spread)
    assert set(view.spread["group"]) == {f"Axe {n}" for n in range(1, 6)}
    assert "EcoActu" in view.citation


def test_axis_view_filters_the_table_not_the_charts(engine: Engine) -> None:
    full = axis_view(engine=engine, today=DEMO_TODAY, number="2")
    assert full is not None and full.summary.info.number == 2
    assert set(full.indicators["axis"]) == {2}
    late = axis_view(engine=engine, today=DEMO_TODAY, number=2, cti="CTTH", status="late")
    assert late is not None
    assert set(late.indicators["acronym"]) <= {"CTTH"}
    assert set(late.indicators["status"]) <= {"late"}
    assert len(late.spread) == len(full.spread)  # the chart keeps every CTI
    assert late.status_by_cti[["late"]].to_numpy().sum() == full.summary.status[Status.LATE]


@pytest.mark.parametrize("number", ["9", "0", "x", ""])
def test_unknown_axis_is_none(engine: Engine, number: str) -> None:
    assert axis_view(engine=engine, today=DEMO_TODAY, number=number) is None


def test_contracts_view_lists_the_nine_contracts(engine: Engine) -> None:
    view = contracts_view(engine=engine, today=DEMO_TODAY)
    acronyms = [c.info.acronym for c in view.contracts]
    assert acronyms == sorted(acronyms) and len(acronyms) == 9
    assert {
        "CETIEV",
        "CETIA",
        "CTTH",
        "CTPC",
        "CMTC",
        "CTIBA",
        "CERIC",
        "CETEMCO",
        "CERIMME",
    } == set(acronyms)
    assert "Challenge" in view.citation
    with engine.connect() as conn:
        envelopes = dict(
            conn.exec_driver_sql(
                "SELECT cti.acronym, c.envelope_mdh FROM contract c JOIN cti ON cti.id = c.cti_id"
            ).all()
        )
    for summary in view.contracts:
        assert summary.budget.envelope == pytest.approx(envelopes[summary.info.acronym])
    late = contracts_view(engine=engine, today=DEMO_TODAY, status="late")
    assert all(c.status[Status.LATE] > 0 for c in late.shown)
    assert len(late.shown) < len(late.contracts)


def test_cti_view_of_one_contract(engine: Engine) -> None:
    view = cti_view(engine=engine, today=DEMO_TODAY, acronym="cetia")
    assert view is not None and view.info.acronym == "CETIA"
    assert view.info.federation == "FENAGRI" and str(view.info.signed_on) == "2023-04-11"
    assert view.grid[[2022, 2023, 2024, 2025]].to_numpy().sum() == pytest.approx(
        view.budget.envelope
    )
    assert view.paths["linear"].iloc[-1] == pytest.approx(view.budget.envelope)
    assert set(view.indicators["acronym"]) == {"CETIA"}
    # Without a choice, the trajectory shown is that of the indicator furthest behind.
    assert view.trajectory is not None
    worst = min(
        view.rows, key=lambda r: ({"late": 0, "watch": 1}.get(r.status, 2), r.pace_ratio or 9)
    )
    assert view.trajectory.row.code == worst.code
    chosen = cti_view(engine=engine, today=DEMO_TODAY, acronym="CETIA", indicator="CETIA-A3-01")
    assert chosen is not None and chosen.trajectory is not None
    assert chosen.trajectory.row.code == "CETIA-A3-01"


def test_unknown_contract_is_none(engine: Engine) -> None:
    assert cti_view(engine=engine, today=DEMO_TODAY, acronym="XYZ") is None


def test_trajectory_points_are_validated_and_pending_values_up_to_the_year(engine: Engine) -> None:
    trajectory = indicator_trajectory(
        engine=engine, today=DEMO_TODAY, acronym="CETIA", code="CETIA-A2-01", year=2025
    )
    assert trajectory is not None
    with engine.connect() as conn:
        counts = dict(
            conn.exec_driver_sql(
                "SELECT p.status, COUNT(*) FROM progressupdate p JOIN indicator i "
                "ON i.id = p.indicator_id WHERE i.code = 'CETIA-A2-01' AND NOT p.is_superseded "
                "GROUP BY p.status"
            ).all()
        )
    states = trajectory.points["state"].value_counts().to_dict()
    assert states.get("validated", 0) == counts.get("validated", 0)
    assert states.get("pending", 0) == counts.get("draft", 0) + counts.get("submitted", 0)
    assert list(trajectory.plan["kind"]) == ["baseline", "target", "target", "target", "target"]


def test_baseline_view_compares_intensities_41_4_and_62_5(engine: Engine) -> None:
    view = baseline_view(engine=engine, today=DEMO_TODAY)
    assert view is not None
    assert view.baseline.intensity == pytest.approx(41.43, abs=0.01)
    assert view.current.intensity == pytest.approx(62.5)
    assert list(view.intensity["plan"]) == ["2014-2020", "2022-2025"]
    with engine.connect() as conn:
        spent = conn.exec_driver_sql(
            "SELECT year, amount_mdh FROM planspending ORDER BY year"
        ).all()
        disbursed_2024 = conn.exec_driver_sql(
            "SELECT SUM(amount_mdh) FROM budgetmovement WHERE kind = 'disbursement' "
            "AND status = 'validated' AND NOT is_superseded "
            "AND on_date >= '2024-01-01' AND on_date < '2025-01-01'"
        ).scalar()
    yearly = view.yearly.set_index("plan_year")
    assert [yearly.loc[i + 1, "baseline"] for i in range(7)] == pytest.approx(
        [a for _y, a in spent]
    )
    assert yearly.loc[3, "current_year"] == 2024
    assert yearly.loc[3, "current"] == pytest.approx(disbursed_2024)
    assert bool(yearly.loc[5, "after_end"])  # 2026: payments after the plan's end
    assert view.spending_illustrative


def test_baseline_view_sets_actual_intensity_beside_the_planned_one(engine: Engine) -> None:
    """« 41,4 → 62,5 MDH/an, +51 % » compared envelopes only; spending told another story."""
    view = baseline_view(engine=engine, today=DEMO_TODAY)
    assert view is not None
    yearly = view.yearly
    old, new = view.baseline, view.current
    assert old.actual_intensity == pytest.approx(yearly["baseline"].sum() / 7)
    # Every disbursement of the plan, payments after its end included, over its four years.
    assert new.actual_intensity == pytest.approx(yearly["current"].sum() / 4)
    assert old.actual_intensity == pytest.approx(37.2, abs=0.1)
    assert new.actual_intensity == pytest.approx(34.1, abs=0.1)
    assert old.actual_illustrative and new.actual_illustrative
    assert list(view.intensity["actual_intensity"]) == [old.actual_intensity, new.actual_intensity]
    running = baseline_view(engine=engine, today=date(2024, 6, 30))
    assert running is not None
    assert running.current.actual_years == pytest.approx(2.5, abs=0.01)  # years elapsed


def test_baseline_network_figures_use_public_references(engine: Engine) -> None:
    view = baseline_view(engine=engine, today=DEMO_TODAY)
    assert view is not None
    network = view.network.set_index("metric")
    staff = network.loc["staff"]
    assert staff["reference"] == 270 and staff["reference_year"] == 2021
    assert bool(staff["reference_public"])
    assert staff["announced_target"] == pytest.approx(540)  # +100 % announced
    # The nine contracts' staff targets add up to the announced network growth.
    assert staff["ctis_target"] == pytest.approx(540)
    assert network.loc["turnover", "reference"] == 70
    firms = network.loc["beneficiary_firms"]
    assert not bool(firms["reference_public"])  # no public baseline: the contracts' sum


def test_baseline_mapping_marks_comparisons_that_are_not_like_for_like(engine: Engine) -> None:
    view = baseline_view(engine=engine, today=DEMO_TODAY)
    assert view is not None
    mapping = view.mapping
    assert mapping["baseline_measure"].str.len().gt(0).all()
    assert (~mapping["like_for_like"]).any() and mapping["like_for_like"].any()
    satisfaction = mapping[mapping["label"] == "Taux de satisfaction des clients"]
    # A different questionnaire in 2019: flagged as not like-for-like.
    assert not bool(satisfaction["like_for_like"].item())
    assert {n.topic for n in view.notes} >= {"first_plan_amount", "illustrative_data"}
