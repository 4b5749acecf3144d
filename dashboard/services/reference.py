"""Load the public reference facts from data/reference into the database, idempotently."""

from __future__ import annotations

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
from dashboard.i18n import _

REFERENCE_DIR = DATA_DIR / "reference"
CURRENT_PLAN = "2022-2025"
BASELINE_PLAN = "2014-2020"

M = TypeVar("M", bound=SQLModel)


class ReferenceDataError(ValueError):
    """A reference file is missing or malformed."""


def read_yaml(path: Path) -> Any:
    """Read one reference file, saying which file is wrong when it cannot be read."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(
            _("Fichier de référence illisible : {path} ({error})", path=path, error=exc)
        ) from exc


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


def _date(value: Any) -> date | None:
    return value if isinstance(value, date) or value is None else date.fromisoformat(str(value))


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
                "published_on": _date(item.get("published_on")),
                "url": item.get("url", ""),
            },
        )
    counts["sources"] = len(sources)
    plans = {}
    for item in read_yaml(directory / "plans.yaml"):
        values = {k: v for k, v in item.items() if k != "code"}
        values["signed_on"] = _date(values.get("signed_on"))
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
                "signed_on": _date(spec["signed_on"]),
                "signatories": signatories,
                "origin": Origin.PUBLIC,
                "source": spec["source"],
            },
        )
    return len(spec["ctis"])
