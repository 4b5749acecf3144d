"""The indicator tables of a report: where each indicator stands, and the values entered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from dashboard.services.measures import ACHIEVEMENT, TRAJECTORY
from dashboard.services.reports.data import ReportData
from dashboard.services.reports.language import Formats
from dashboard.services.reports.tables import ENTRY_STATES, Column, Table, records


def indicators_table(
    frame: pd.DataFrame, f: Formats, *, national: bool, years: Sequence[int], title: str
) -> Table:
    """Return the indicators with targets, latest validated value, achievement and status."""
    rows = records(frame)
    for row in rows:
        row["period"] = f.period(row.get("latest_year"), row.get("latest_quarter"))
        row["direction_label"] = (
            f._("à la hausse") if row.get("direction") == "higher" else f._("à la baisse")
        )
        row["label_unit"] = f"{row['label']} · {row['unit']}"  # both already translated
    columns = (
        # The PDF groups a national table by CTI under a heading: no CTI column there.
        Column("acronym", f._("CTI"), "text", 10, pdf=False),
        Column("axis", f._("Axe"), "int", 6, pdf=national),
        Column("code", f._("Code"), "text", 17),
        # The PDF gives the unit once, beside the label, and bare numbers (as the pages do).
        Column("label_unit", f._("Indicateur · unité"), "text", 30, xlsx=False),
        Column("label", f._("Indicateur"), "text", 48, pdf=False),
        Column("unit", f._("Unité"), "text", 14, pdf=False),
        Column("direction_label", f._("Sens"), "text", 9, pdf=False),
        Column("baseline", f._("Référence"), "bare", 11),
        *(Column(f"target_{y}", str(y), "bare", 9, pdf=not national) for y in years),
        Column("target_year", f._("Objectif de l'année"), "bare", 11, pdf=national),
        Column("latest_value", f._("Dernière valeur validée"), "bare", 11),
        Column("period", f._("Période"), "text", 13),
        Column("expected", f._("Attendu à cette date"), "value", 14, pdf=False),
        Column("achievement", ACHIEVEMENT.name(f.lang), "pct", 12),
        # Beside the status it explains, as on the pages.
        Column("pace_ratio", TRAJECTORY.name(f.lang), "pct", 12),
        Column("status", f._("Statut"), "status", 15),
        Column("projected_end", f._("Projection fin de plan"), "bare", 12, pdf=not national),
        Column("pace_current", f._("Rythme actuel (par an)"), "value", 14, pdf=False),
        Column("pace_needed", f._("Rythme nécessaire (par an)"), "value", 14, pdf=False),
        Column("pending_count", f._("Valeurs en attente"), "int", 12, pdf=False),
        Column("illustrative", f._("Donnée illustrative"), "flag", 12, pdf=False),
    )
    return Table("indicators", title, columns, rows)


def late_table(frame: pd.DataFrame, f: Formats, *, national: bool) -> Table:
    """Return the indicators furthest behind their trajectory."""
    rows = records(frame)
    for row in rows:
        row["period"] = f.period(row.get("latest_year"), row.get("latest_quarter"))
    columns = (
        Column("acronym", f._("CTI"), "text", 10, pdf=national),
        Column("code", f._("Code"), "text", 17),
        # Narrower label, wider values and status: both measures sit beside the status.
        Column("label", f._("Indicateur"), "text", 34),
        Column("latest_value", f._("Dernière valeur validée"), "value", 16),
        Column("period", f._("Période"), "text", 13),
        Column("expected", f._("Attendu à cette date"), "value", 16),
        Column("achievement", ACHIEVEMENT.name(f.lang), "pct", 12),
        Column("pace_ratio", TRAJECTORY.name(f.lang), "pct", 12),
        Column("status", f._("Statut"), "status", 17),
    )
    return Table("late", f._("Indicateurs les plus en retard"), columns, rows)


def _once(values: Sequence[Any], write: Callable[[Any], str]) -> list[str]:
    """Write each distinct value once (a national history repeats a few hundred labels)."""
    written = {v: write(v) for v in set(values)}
    return [written[v] for v in values]


def _history_columns(frame: pd.DataFrame, f: Formats) -> pd.DataFrame:
    """Return the history with its shown columns: period, translated label and unit, state."""
    labels = _once(frame["label"].tolist(), lambda v: f.term(str(v)))  # stored in French
    units = _once(frame["unit"].tolist(), lambda v: str(v) if v == "%" else f.term(str(v)))
    illustrative = f._("données illustratives")
    return frame.assign(
        period=_once(
            list(zip(frame["year"], frame["quarter"], strict=True)), lambda p: f.period(*p)
        ),
        label=labels,
        unit=units,
        label_unit=[f"{label} · {unit}" for label, unit in zip(labels, units, strict=True)],
        state=_once(frame["status"].tolist(), lambda s: f._(ENTRY_STATES.get(str(s), str(s)))),
        entered_by=[
            by if isinstance(by, str) and by else illustrative if origin == "illustrative" else ""
            for by, origin in zip(frame["entered_by"], frame["origin"], strict=True)
        ],
        # Shown in UTC, the time they are stored in, without a zone Excel cannot hold.
        entered_at=pd.to_datetime(frame["entered_at"], utc=True).dt.tz_localize(None),
        reviewed_at=pd.to_datetime(frame["reviewed_at"], utc=True).dt.tz_localize(None),
    )


def history_table(frame: pd.DataFrame, f: Formats, *, national: bool, title: str) -> Table:
    """Return the values entered, each with its period, state, author and reviewer."""
    rows = records(_history_columns(frame, f))
    columns = (
        Column("acronym", f._("CTI"), "text", 10, pdf=national),
        Column("code", f._("Code"), "text", 17),
        Column("label_unit", f._("Indicateur · unité"), "text", 34, xlsx=False),
        Column("label", f._("Indicateur"), "text", 44, pdf=False),
        Column("period", f._("Période"), "text", 13),
        Column("value", f._("Valeur"), "bare", 10),
        Column("unit", f._("Unité"), "text", 14, pdf=False),
        Column("state", f._("État"), "text", 10),
        Column("entered_by", f._("Saisie par"), "text", 15),
        Column("entered_at", f._("Saisie le"), "datetime", 17, pdf=False),
        Column("reviewed_by", f._("Validée par"), "text", 16, pdf=False),
        Column("reviewed_at", f._("Examinée le"), "datetime", 17, pdf=False),
        Column("comment", f._("Commentaire"), "text", 32),
    )
    return Table("history", title, columns, rows)


def period_rows(data: ReportData) -> pd.DataFrame:
    """Return the history rows of the year viewed (up to the quarter asked for)."""
    history, year = data.history, data.scope.year
    return history[history["year"] == year]


def period_history_table(data: ReportData, f: Formats) -> Table:
    """Return the values declared for the period: each value for a CTI, counts nationally."""
    rows = period_rows(data)
    title = f._("Valeurs déclarées")
    if data.national is None:
        return history_table(rows, f, national=False, title=title)
    counts: list[dict[str, Any]] = []
    for acronym, group in rows.groupby("acronym", sort=True):
        states = group["status"].value_counts()
        counts.append(
            {
                "acronym": acronym,
                "validated": int(states.get("validated", 0)),
                "submitted": int(states.get("submitted", 0)),
                "draft": int(states.get("draft", 0)),
                "rejected": int(states.get("rejected", 0)),
                "total": len(group),
            }
        )
    order = ("validated", "submitted", "draft", "rejected")
    columns = (
        Column("acronym", f._("CTI"), "text", 12),
        *(Column(key, f._(ENTRY_STATES[key]), "int", 12) for key in order),
        Column("total", f._("Total"), "int", 10),
    )
    total = {
        "label": f._("Total"),
        **{key: sum(int(r[key]) for r in counts) for key in (*ENTRY_STATES, "total")},
    }
    return Table("history_pdf", title, columns, counts, total=total)


def _period_name(data: ReportData, f: Formats) -> str:
    quarter = data.request.quarter
    if quarter:
        return f._("{year}, jusqu'au T{quarter}", year=data.scope.year, quarter=quarter)
    return str(data.scope.year)


def history_lead(data: ReportData, f: Formats, *, counted: bool = False) -> str:
    """Say what the values table lists (``counted``: a CTI's values counted per axis)."""
    period = _period_name(data, f)
    if counted:
        return f._(
            "Nombre de valeurs déclarées pour {period}, par axe et par état. Seules les valeurs "
            "validées comptent.",
            period=period,
        )
    if data.national is not None:
        return f._(
            "Nombre de valeurs déclarées pour {period}, par CTI et par état. Seules les valeurs "
            "validées comptent ; le détail de chaque valeur figure dans le classeur Excel.",
            period=period,
        )
    return f._(
        "Valeurs déclarées pour {period}, avec leur état. Seules les valeurs validées comptent.",
        period=period,
    )


def indicators_lead(data: ReportData, f: Formats) -> str:
    """Say what the indicator table shows."""
    if data.national is not None:
        return f._(
            "{n} indicateurs, par CTI : dernière valeur validée, objectif de l'année {year}, "
            "réalisation de cet objectif, respect de la trajectoire et statut.",
            n=len(data.indicators),
            year=data.scope.year,
        )
    return f._(
        "Objectifs annuels, dernière valeur validée, réalisation de l'objectif de l'année, "
        "respect de la trajectoire, statut et projection au rythme actuel."
    )
