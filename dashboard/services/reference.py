"""Load the public reference facts from data/reference into the database, idempotently.

Every number and date of the files passes the bounds the forms apply (``domain.bounds``): a
plan's years and envelope, the signing and publication dates, the network figures by unit. A
file that breaks one is refused with its name, the entry and what is wrong; nothing is loaded.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import yaml
from sqlmodel import Session, SQLModel, select

from dashboard.config import DATA_DIR
from dashboard.db.models import (
    Axis,
    Contract,
    Cti,
    NetworkFigure,
    Origin,
    Plan,
    Source,
    SourceNote,
)
from dashboard.domain.bounds import check_amount, check_value
from dashboard.domain.dates import check_date, check_year, parse_date
from dashboard.domain.results import ValidationResult
from dashboard.i18n import N_, _
from dashboard.services.errors import UserError

REFERENCE_DIR = DATA_DIR / "reference"
CURRENT_PLAN = "2022-2025"
BASELINE_PLAN = "2014-2020"

M = TypeVar("M", bound=SQLModel)


class ReferenceDataError(UserError):
    """A reference file is missing or malformed (the command line prints it on one line)."""


def read_yaml(path: Path) -> Any:
    """Read one reference file, saying which file is wrong when it cannot be read."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(
            _("Fichier de référence illisible : {path} ({error})", path=path, error=exc)
        ) from exc
    except ValueError:  # YAML reads 2025-02-30 as a date, and the calendar refuses it
        raise ReferenceDataError(
            _(
                "Fichier de référence {path} : une date n'existe pas dans le calendrier (un 30 "
                "février, un mois 13). Corrigez-la, au format AAAA-MM-JJ.",
                path=path.name,
            )
        ) from None


def _upsert(session: Session, model: type[M], key: dict[str, Any], values: dict[str, Any]) -> M:
    """Update the row matching key with values, or insert it; return the row."""
    query = select(model)
    for column, value in key.items():
        query = query.where(getattr(model, column) == value)
    row = session.exec(query).first()
    if row is None:
        row = model(**key, **values)
    else:
        for column, value in values.items():
            setattr(row, column, value)
    session.add(row)
    session.flush()
    return row


def _refuse(where: str, result: ValidationResult) -> None:
    """Raise the first problem of an entry of a reference file, naming the file and entry."""
    if not result.ok:
        raise ReferenceDataError(
            _("Fichier de référence {where} : {problem}", where=where, problem=result.summary())
        )


def _date(value: Any, where: str = "") -> date | None:
    """Read a date of a reference file: a real calendar day in the sane range, or None."""
    if value is None:
        return None
    try:
        day = parse_date(value)
    except ValueError as exc:
        raise ReferenceDataError(
            _("Fichier de référence {where} : {problem}", where=where, problem=exc)
        ) from None
    _refuse(where, check_date(day))
    return day


def _number(value: Any, where: str) -> float:
    """Read a number of a reference file: finite, not a text or a boolean."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ReferenceDataError(
            _(
                "Fichier de référence {where} : « {value} » n'est pas un nombre.",
                where=where,
                value=str(value)[:40],
            )
        )
    return float(value)


def check_plan(item: dict[str, Any], where: str) -> None:
    """Refuse a plan whose years or envelope are outside the bounds of the forms."""
    first, last = item.get("first_year"), item.get("last_year")
    if not isinstance(first, int) or not isinstance(last, int) or first > last:
        raise ReferenceDataError(
            _(
                "Fichier de référence {where} : première et dernière années attendues, la "
                "première au plus égale à la dernière.",
                where=where,
            )
        )
    _refuse(where, check_year(first) + check_year(last))
    envelope = _number(item.get("envelope_mdh"), where)
    _refuse(where, check_amount(envelope, allow_zero=True))


def check_figure(item: dict[str, Any], where: str) -> None:
    """Refuse a network figure outside its unit's bounds (a growth in % may pass 100)."""
    value = _number(item.get("value"), where)
    _refuse(where, check_year(int(_number(item.get("year"), where))))
    # A growth target is a % change (+165 %): the bounds of a growth, -100 to 1000 %.
    growth = item.get("kind") == "growth_target"
    unit = N_("% de croissance") if growth else str(item.get("unit") or "")
    _refuse(where, check_value(value, unit))


def seed_reference(session: Session, directory: Path = REFERENCE_DIR) -> dict[str, int]:
    """Load sources, plans, axes, CTIs, contracts, network figures and notes; return counts."""
    counts: dict[str, int] = {}
    sources = read_yaml(directory / "sources.yaml")
    for item in sources:
        _upsert(
            session,
            Source,
            {"key": item["key"]},
            {
                "title": item["title"],
                "publisher": item["publisher"],
                "published_on": _date(item.get("published_on"), f"sources.yaml {item['key']}"),
                "url": item.get("url", ""),
            },
        )
    counts["sources"] = len(sources)
    plans = {}
    for item in read_yaml(directory / "plans.yaml"):
        where = f"plans.yaml {item.get('code')}"
        check_plan(item, where)
        values = {k: v for k, v in item.items() if k != "code"}
        values["signed_on"] = _date(values.get("signed_on"), where)
        plans[item["code"]] = _upsert(session, Plan, {"code": item["code"]}, values)
    counts["plans"] = len(plans)
    axes = read_yaml(directory / "axes.yaml")
    for item in axes:
        plan = plans[item["plan"]]
        values = {k: v for k, v in item.items() if k not in ("plan", "number")}
        _upsert(session, Axis, {"plan_id": plan.id, "number": item["number"]}, values)
    counts["axes"] = len(axes)
    ctis = {}
    for item in read_yaml(directory / "ctis.yaml"):
        values = {k: v for k, v in item.items() if k != "acronym"}
        ctis[item["acronym"]] = _upsert(session, Cti, {"acronym": item["acronym"]}, values)
    counts["ctis"] = len(ctis)
    counts["contracts"] = _seed_contracts(session, directory, plans, ctis)
    figures = read_yaml(directory / "network_figures.yaml")
    for item in figures:
        check_figure(item, f"network_figures.yaml {item.get('metric')} {item.get('year')}")
        key = {k: item[k] for k in ("metric", "year", "kind")}
        values = {k: v for k, v in item.items() if k not in key}
        _upsert(session, NetworkFigure, key, values)
    counts["network_figures"] = len(figures)
    notes = read_yaml(directory / "source_notes.yaml")
    for item in notes:
        values = {k: v for k, v in item.items() if k != "topic"}
        _upsert(session, SourceNote, {"topic": item["topic"]}, values)
    counts["source_notes"] = len(notes)
    return counts


def _seed_contracts(
    session: Session, directory: Path, plans: dict[str, Plan], ctis: dict[str, Cti]
) -> int:
    """Create the public part of each contract (date, signatories), keeping any envelope."""
    spec = read_yaml(directory / "contracts.yaml")
    plan = plans[spec["plan"]]
    for acronym in spec["ctis"]:
        cti = ctis[acronym]
        signatories = spec["signatories"].format(cti=cti.acronym, federation=cti.federation)
        _upsert(
            session,
            Contract,
            {"plan_id": plan.id, "cti_id": cti.id},
            {
                "signed_on": _date(spec["signed_on"], "contracts.yaml"),
                "signatories": signatories,
                "origin": Origin.PUBLIC,
                "source": spec["source"],
            },
        )
    return len(spec["ctis"])
