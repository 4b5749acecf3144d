"""The freshness read model of the overview panel and the stale marks, against plain SQL."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import text
from sqlalchemy.engine import Engine

from dashboard.domain.calendar import ReportState
from dashboard.domain.periods import Period
from dashboard.services import calendar, freshness_views
from tests.conftest import DEMO_TODAY
from tests.db.calendar_support import Q4, add_value, day, seed_calendar, validate_history

LATEST_VALIDATED = text(
    """
    SELECT c.acronym, i.id, MAX(p.year * 10 + CASE WHEN p.quarter = 0 THEN 4 ELSE p.quarter END)
    FROM indicator i
    JOIN contract k ON k.id = i.contract_id
    JOIN plan pl ON pl.id = k.plan_id AND pl.code = '2022-2025'
    JOIN cti c ON c.id = k.cti_id
    LEFT JOIN progressupdate p ON p.indicator_id = i.id AND p.status = 'validated'
        AND p.is_superseded = :no AND p.year BETWEEN 2022 AND 2025
    GROUP BY c.acronym, i.id
    """
)


def _quarter_end(key: int) -> date:
    """Return the last day of the quarter encoded as year * 10 + quarter."""
    year, quarter = divmod(key, 10)
    return date(year + quarter // 4, quarter % 4 * 3 + 1, 1) - timedelta(days=1)


def test_panel_rows_match_the_database(engine: Engine) -> None:
    view = calendar.freshness(engine=engine, today=DEMO_TODAY)
    rows = {r.acronym: r for r in freshness_views.panel_rows(view)}
    with engine.connect() as conn:
        found = conn.execute(LATEST_VALIDATED, {"no": False}).all()
    ages: dict[str, list[int]] = defaultdict(list)
    missing: dict[str, int] = defaultdict(int)
    stale: dict[str, int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for acronym, _id, key in found:
        totals[acronym] += 1
        if key is None:
            missing[acronym] += 1
            stale[acronym] += 1
            continue
        last_day = _quarter_end(int(key))
        ages[acronym].append((DEMO_TODAY - last_day).days)
        stale[acronym] += last_day < date(2025, 12, 31)  # Q4 2025 was due on 15 January 2026
    assert set(rows) == set(totals) and len(rows) == 9
    for acronym, row in rows.items():
        assert row.indicators == totals[acronym]
        assert row.oldest_age == max(ages[acronym])
        assert row.without_value == missing[acronym]
        assert row.stale == stale[acronym]
        assert row.period == "2025-T4" and row.due == "15 janvier 2026"
    cti = next(c for c in view.ctis if c.acronym == "CERIC")
    assert [(p.period, p.days_late) for p in rows["CERIC"].overdue] == [
        (s.period.label(), s.days_late) for s in reversed(cti.overdue)
    ]
    assert rows["CERIC"].state == ReportState.OVERDUE and "318 j" in rows["CERIC"].state_label
    assert rows["CTPC"].state == ReportState.SUBMITTED and rows["CTPC"].stale > 0


def test_stale_marks_follow_the_calendar(any_engine: Engine) -> None:
    ids = seed_calendar(any_engine)
    validate_history(any_engine, ids, upto=Period(2025, 2))
    add_value(any_engine, ids["CTTH-01"], Period(2025, 3), "validated")
    view = calendar.freshness(engine=any_engine, today=day("2026-01-20"))
    assert view.expected == Q4
    marks = freshness_views.stale_marks(view)
    assert set(marks) == {ids["CETIA-01"], ids["CETIA-02"], ids["CTTH-01"]}
    cetia = marks[ids["CETIA-01"]]
    assert (cetia.period, cetia.day, cetia.age_days) == (Period(2025, 2), day("2025-06-30"), 204)
    assert marks[ids["CTTH-01"]].day == day("2025-09-30")
    assert "30 juin 2025" in cetia.text() and "204 jours" in cetia.text()

    # The value shown is marked only when it is the latest one: not an older one of a past view.
    assert freshness_views.mark_for(marks, ids["CETIA-01"], 2025, 2) == cetia
    assert freshness_views.mark_for(marks, ids["CETIA-01"], 2024.0, 4.0) is None
    assert freshness_views.mark_for(marks, ids["CETIA-01"], math.nan, math.nan) is None
    assert freshness_views.mark_for(marks, ids["CETIA-01"], None, None) is None

    # Once the last quarter is validated, nothing is stale any more.
    for code in ("CETIA-01", "CETIA-02", "CTTH-01"):
        add_value(any_engine, ids[code], Q4, "validated")
    fresh = calendar.freshness(engine=any_engine, today=day("2026-01-20"))
    assert freshness_views.stale_marks(fresh) == {}


def test_stale_marks_of_the_rows_shown_are_those_of_the_whole_plan(engine: Engine) -> None:
    # Pages look up the marks of the rows they show only: the same marks, fewer rows read.
    everything = freshness_views.stale_marks_for(engine=engine, today=DEMO_TODAY)
    assert len(everything) > 20
    some = [*sorted(everything)[::3], -5]  # and an id that is no indicator
    lookup = freshness_views.stale_lookup(engine=engine, today=DEMO_TODAY)
    assert lookup(some) == {i: everything[i] for i in some if i in everything}
    assert lookup([]) == {}
    cti = freshness_views.stale_lookup(engine=engine, today=DEMO_TODAY, acronym="CERIC")
    ceric = freshness_views.stale_marks_for(engine=engine, today=DEMO_TODAY, acronym="CERIC")
    assert ceric and cti(sorted(everything)) == ceric


def test_freshness_of_one_cti_by_acronym(any_engine: Engine) -> None:
    seed_calendar(any_engine)
    today = day("2026-01-20")
    view = freshness_views.cti_freshness(engine=any_engine, today=today, acronym="CTTH")
    assert [c.acronym for c in view.ctis] == ["CTTH"]
    assert [f.code for f in view.indicators] == ["CTTH-01"]
    unknown = freshness_views.cti_freshness(engine=any_engine, today=today, acronym="NOPE")
    assert unknown.ctis == [] and unknown.indicators == []
    whole = freshness_views.cti_freshness(engine=any_engine, today=today)
    assert {c.acronym for c in whole.ctis} == {"CETIA", "CTTH"}
