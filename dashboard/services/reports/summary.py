"""The headline figures and key messages of a report: the key figures of the pages, in words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.domain.indicators import Status
from dashboard.services.measures import MEAN_ACHIEVEMENT
from dashboard.services.palette import STATUS_ORDER, status_label
from dashboard.services.reports.data import ReportData
from dashboard.services.reports.language import Formats


@dataclass(frozen=True)
class Kpi:
    """A key figure: raw value and kind (for Excel), the text shown (for the PDF), a detail."""

    key: str
    label: str
    value: float | None
    kind: str
    text: str
    detail: str = ""
    progress: float | None = None


def period_label(data: ReportData, f: Formats) -> str:
    """Say which moment the figures describe: "Situation à date, au 29 novembre 2026"."""
    scope = data.scope
    if scope.to_date:
        return f._("Situation à date, au {day}", day=f.date(scope.cutoff))
    return f._("Situation à fin {year}", year=scope.year)


def _status_detail(counts: dict[Status, int], f: Formats) -> str:
    return " · ".join(f.pair(status_label(s), counts.get(s, 0)) for s in STATUS_ORDER)


def national_kpis(data: ReportData, f: Formats) -> list[Kpi]:
    """Return the overview page's eight key figures."""
    assert data.national is not None
    view, scope, money = data.national.overview, data.scope, data.budget
    rates = money.execution
    allocated_share = money.envelope / scope.envelope if scope.envelope else None
    total = sum(data.status.values())
    time_left = (
        f._("Plan clos")
        if scope.ended
        else f.ngettext(
            "{months} mois", "{months} mois", scope.months_left, months=scope.months_left
        )
    )
    signed = f._("Signés le {day}", day=f.date(view.last_signed_on)) if view.last_signed_on else ""
    return [
        Kpi(
            "plan_envelope",
            f._("Enveloppe du plan"),
            scope.envelope,
            "mdh",
            f.mdh(scope.envelope),
            f._("Convention-cadre du {day}", day=f.date(scope.signed_on)),
        ),
        Kpi(
            "allocated",
            f._("Allouée aux contrats"),
            money.envelope,
            "mdh",
            f.mdh(money.envelope),
            f._("{share} de l'enveloppe du plan", share=f.pct(allocated_share)),
            allocated_share,
        ),
        Kpi(
            "committed",
            f._("Engagé"),
            money.committed,
            "mdh",
            f.mdh(money.committed),
            f._("{share} de l'enveloppe allouée", share=f.pct(rates.commitment_rate)),
            rates.commitment_rate,
        ),
        Kpi(
            "disbursed",
            f._("Décaissé"),
            money.disbursed,
            "mdh",
            f.mdh(money.disbursed),
            f._("{pending} en attente de validation", pending=f.mdh(money.pending_disbursed)),
            rates.disbursement_rate,
        ),
        Kpi(
            "execution",
            f._("Taux d'exécution"),
            rates.disbursement_rate,
            "pct1",
            f.pct(rates.disbursement_rate, 1),
            f._("Décaissé rapporté à l'enveloppe allouée"),
        ),
        Kpi(
            "contracts",
            f._("Contrats-objectifs signés"),
            float(view.contracts_signed),
            "int",
            f"{view.contracts_signed} / {view.contracts_total}",
            signed,
        ),
        Kpi(
            "indicators",
            f._("Indicateurs suivis"),
            float(total),
            "int",
            f.number(total),
            _status_detail(data.status, f),
        ),
        Kpi(
            "time_left",
            f._("Temps restant"),
            float(scope.months_left),
            "int",
            time_left,
            f._(
                "Fin du plan le 31 décembre {year} · {elapsed} du temps écoulé",
                year=scope.last_year,
                elapsed=f.pct(scope.elapsed),
            ),
            scope.elapsed,
        ),
    ]


def cti_kpis(data: ReportData, f: Formats) -> list[Kpi]:
    """Return the contract page's key figures, with the execution rate and mean achievement."""
    assert data.cti is not None
    view, money = data.cti, data.budget
    rates = money.execution
    share = money.envelope / data.scope.envelope if data.scope.envelope else None
    total = sum(data.status.values())
    return [
        Kpi(
            "envelope",
            f._("Enveloppe du contrat"),
            money.envelope,
            "mdh",
            f.mdh(money.envelope),
            f._("{share} de l'enveloppe du plan", share=f.pct(share, 1)),
        ),
        Kpi(
            "committed",
            f._("Engagé"),
            money.committed,
            "mdh",
            f.mdh(money.committed),
            f._("{share} de l'enveloppe", share=f.pct(rates.commitment_rate)),
            rates.commitment_rate,
        ),
        Kpi(
            "disbursed",
            f._("Décaissé"),
            money.disbursed,
            "mdh",
            f.mdh(money.disbursed),
            f._("{share} de l'enveloppe", share=f.pct(rates.disbursement_rate)),
            rates.disbursement_rate,
        ),
        Kpi(
            "execution",
            f._("Taux d'exécution"),
            rates.disbursement_rate,
            "pct1",
            f.pct(rates.disbursement_rate, 1),
            f._("{pending} en attente de validation", pending=f.mdh(money.pending_disbursed)),
        ),
        Kpi(
            "indicators",
            f._("Indicateurs"),
            float(total),
            "int",
            f.number(total),
            _status_detail(data.status, f),
        ),
        Kpi(
            "achievement",
            MEAN_ACHIEVEMENT.name(f.lang),
            view.mean_achievement,
            "pct",
            f.pct(view.mean_achievement),
            f._("Part de l'objectif de l'année atteinte (plafonnée à 100 %)"),
        ),
    ]


def kpis(data: ReportData, f: Formats) -> list[Kpi]:
    """Return the report's key figures."""
    return national_kpis(data, f) if data.national is not None else cti_kpis(data, f)


def _extremes(frame: pd.DataFrame) -> tuple[str, float, str, float] | None:
    """Return the rows with the highest and lowest disbursement rate: (label, rate) twice."""
    rated = frame.dropna(subset=["disbursement_rate"])
    if len(rated) < 2:
        return None
    rates = rated["disbursement_rate"].astype(float).to_numpy()
    best, worst = rated.iloc[int(rates.argmax())], rated.iloc[int(rates.argmin())]
    return (
        str(best["label"]),
        float(best["disbursement_rate"]),
        str(worst["label"]),
        float(worst["disbursement_rate"]),
    )


def _flagged(flag: object) -> bool:
    return flag is not None and not pd.isna(flag) and bool(flag)  # type: ignore[call-overload]


def _status_sentence(counts: dict[Status, int], total: int, f: Formats) -> str:
    """Say how many indicators are late, to watch and on track, each count with its plural."""
    late, watch, on_track = (counts.get(s, 0) for s in (Status.LATE, Status.WATCH, Status.ON_TRACK))
    return f._(
        "{late}, {watch} et {on_track}.",
        late=f.ngettext(
            "{n} indicateur sur {total} est en retard sur sa trajectoire",
            "{n} indicateurs sur {total} sont en retard sur leur trajectoire",
            late,
            n=f.number(late),
            total=f.number(total),
        ),
        watch=f.ngettext("{n} à surveiller", "{n} à surveiller", watch, n=f.number(watch)),
        on_track=f.ngettext("{n} conforme", "{n} conformes", on_track, n=f.number(on_track)),
    )


def messages(data: ReportData, f: Formats) -> list[str]:
    """Return the key messages of the summary page, computed from the same figures."""
    money, counts = data.budget, data.status
    rates = money.execution
    total = sum(counts.values())
    lines = [
        f._(
            "{disbursed} décaissés sur une enveloppe allouée de {envelope} ({rate}) ; "
            "{committed} engagés ({committed_rate}).",
            disbursed=f.mdh(money.disbursed),
            envelope=f.mdh(money.envelope),
            rate=f.pct(rates.disbursement_rate, 1),
            committed=f.mdh(money.committed),
            committed_rate=f.pct(rates.commitment_rate),
        ),
        _status_sentence(counts, total, f),
    ]
    if data.national is not None:
        by_axis = data.national.overview.by_axis
    else:
        assert data.cti is not None
        by_axis = data.cti.by_axis
    extremes = _extremes(by_axis)
    if extremes:
        best, best_rate, worst, worst_rate = extremes
        lines.append(
            f._(
                "Axe le plus avancé : {best} ({best_rate} décaissés) ; le moins avancé : "
                "{worst} ({worst_rate}).",
                best=best,
                best_rate=f.pct(best_rate),
                worst=worst,
                worst_rate=f.pct(worst_rate),
            )
        )
    if data.national is not None:
        results = data.national.overview.money_results
        ahead = [
            str(a)
            for a, flag in zip(results["acronym"], results["ahead"], strict=True)
            if _flagged(flag)
        ]
        if ahead:
            lines.append(
                f._(
                    "Dépense en avance sur les résultats (à examiner) : {ctis}.",
                    ctis=", ".join(ahead),
                )
            )
    if money.pending_disbursed:
        lines.append(
            f._(
                "{pending} de décaissements attendent une validation : ils ne sont pas comptés.",
                pending=f.mdh(money.pending_disbursed),
            )
        )
    return lines
