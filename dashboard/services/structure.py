"""Read models of the plan's structure: axes, contracts, and the public sources behind them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import col

from dashboard.db.models import Axis, Contract, Cti, Origin, Source, SourceNote
from dashboard.i18n import _, current_lang, pick, term
from dashboard.services.formatting import fmt_date


def axis_name(number: object) -> str:
    """Return the short name of an axis: "Axe 2"."""
    return _("Axe {n}", n=number)


@dataclass(frozen=True)
class AxisInfo:
    """A strategic axis as the pages show it (public: title and source)."""

    number: int
    short: str
    title: str
    source: str

    @property
    def label(self) -> str:
        """Return "Axe 2 · Certification et normalisation"."""
        if not self.short:
            return axis_name(self.number)
        return _("Axe {n} · {short}", n=self.number, short=self.short)


@dataclass(frozen=True)
class ContractInfo:
    """A contrat-objectifs with its CTI: public facts, and its (illustrative) envelope."""

    acronym: str
    name: str
    sector: str
    federation: str
    federation_name: str
    city: str
    signed_on: date | None
    signatories: str
    envelope: float
    source: str
    cti_source: str


@dataclass(frozen=True)
class NoteInfo:
    """A place where public sources disagree, and what the product follows."""

    topic: str
    text: str
    followed: str
    sources: list[str]


def list_axes(*, engine: Engine, plan_id: int) -> list[AxisInfo]:
    """Return the axes of a plan by number, titled in the reader's language.

    The French titles are the official ones; the English and Arabic titles stored beside them
    are the project's working translations (data/reference/axes.yaml).
    """
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                col(Axis.number),
                col(Axis.short_fr),
                col(Axis.title_fr),
                col(Axis.title_en),
                col(Axis.title_ar),
                col(Axis.source),
            )
            .where(col(Axis.plan_id) == plan_id)
            .order_by(col(Axis.number))
        ).all()
    lang = current_lang()
    return [
        AxisInfo(
            int(number),
            term(short, lang),
            pick(lang, fr=title_fr, en=title_en or "", ar=title_ar or ""),
            source or "",
        )
        for number, short, title_fr, title_en, title_ar, source in rows
    ]


def _contracts_query(plan_id: int):  # type: ignore[no-untyped-def]
    return (
        select(
            col(Cti.acronym),
            col(Cti.name),
            col(Cti.sector),
            col(Cti.federation),
            col(Cti.federation_name),
            col(Cti.city),
            col(Contract.signed_on),
            col(Contract.signatories),
            col(Contract.envelope_mdh),
            col(Contract.source),
            col(Cti.source).label("cti_source"),
        )
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .where(col(Contract.plan_id) == plan_id)
    )


def _contract(row: Any) -> ContractInfo:
    """Build a contract's facts with its names in the reader's language, where known."""
    info = ContractInfo(*row)
    return replace(
        info,
        name=term(info.name),
        sector=term(info.sector),
        federation_name=term(info.federation_name),
        city=term(info.city),
        signatories=", ".join(term(part.strip()) for part in info.signatories.split(",")),
    )


def list_contracts(*, engine: Engine, plan_id: int) -> list[ContractInfo]:
    """Return the contracts of a plan in alphabetical order of CTI acronym."""
    with engine.connect() as conn:
        rows = conn.execute(_contracts_query(plan_id).order_by(col(Cti.acronym))).all()
    return [_contract(row) for row in rows]


def get_contract(*, engine: Engine, plan_id: int, acronym: str) -> ContractInfo | None:
    """Return one CTI's contract, or None when the acronym is unknown (case-insensitive)."""
    with engine.connect() as conn:
        row = conn.execute(
            _contracts_query(plan_id).where(col(Cti.acronym) == acronym.strip().upper())
        ).first()
    return None if row is None else _contract(row)


def source_citations(*, engine: Engine) -> dict[str, str]:
    """Return each public source's citation: 'EcoActu, « title », 7 juin 2022'."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                col(Source.key), col(Source.publisher), col(Source.title), col(Source.published_on)
            )
        ).all()
    return {
        key: ", ".join(
            part for part in (publisher, f"« {title} »", fmt_date(day) if day else "") if part
        )
        for key, publisher, title, day in rows
    }


def source_notes(*, engine: Engine) -> list[NoteInfo]:
    """Return the notes on disagreeing sources, with the citations they refer to."""
    citations = source_citations(engine=engine)
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                col(SourceNote.topic),
                col(SourceNote.text_fr),
                col(SourceNote.followed),
                col(SourceNote.sources),
            ).order_by(col(SourceNote.id))
        ).all()
    return [
        NoteInfo(
            topic,
            term(text),
            term(followed),
            [citations.get(key.strip(), key.strip()) for key in sources.split(",") if key.strip()],
        )
        for topic, text, followed, sources in rows
    ]


def is_public(origin: str) -> bool:
    """Tell whether a record's origin is a public, sourced fact."""
    return origin == Origin.PUBLIC.value
