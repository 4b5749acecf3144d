"""Plans, axes, CTIs, contracts, indicators and the public reference facts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from dashboard.db.models.common import Origin, in_list

ORIGIN_CHECK = in_list("origin", Origin)


class Source(SQLModel, table=True):
    """A public source cited beside reference facts."""

    key: str = Field(primary_key=True, max_length=40)
    title: str
    publisher: str
    published_on: date | None = None
    url: str = ""


class Plan(SQLModel, table=True):
    """A multi-year development plan of the CTI network."""

    __table_args__ = (
        CheckConstraint("envelope_mdh >= 0", name="plan_envelope_nonneg"),
        CheckConstraint("last_year >= first_year", name="plan_years_order"),
        CheckConstraint(ORIGIN_CHECK, name="plan_origin"),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    title: str
    first_year: int
    last_year: int
    envelope_mdh: float
    signed_on: date | None = None
    signed_at_place: str = ""
    is_baseline: bool = False
    origin: str = Origin.PUBLIC
    source: str = ""
    note: str = ""


class Axis(SQLModel, table=True):
    """One of the strategic axes of a plan."""

    __table_args__ = (
        UniqueConstraint("plan_id", "number", name="axis_plan_number"),
        CheckConstraint("number BETWEEN 1 AND 9", name="axis_number_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    number: int
    title_fr: str
    title_en: str = ""
    title_ar: str = ""
    short_fr: str = ""
    origin: str = Origin.PUBLIC
    source: str = ""


class Cti(SQLModel, table=True):
    """A Centre Technique Industriel."""

    id: int | None = Field(default=None, primary_key=True)
    acronym: str = Field(unique=True, max_length=20)
    name: str
    sector: str
    federation: str
    federation_name: str = ""
    city: str = ""
    origin: str = Origin.PUBLIC
    source: str = ""


class Contract(SQLModel, table=True):
    """The contrat-objectifs of one CTI under one plan."""

    __table_args__ = (
        UniqueConstraint("plan_id", "cti_id", name="contract_plan_cti"),
        CheckConstraint("envelope_mdh >= 0", name="contract_envelope_nonneg"),
    )
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    cti_id: int = Field(foreign_key="cti.id", index=True)
    signed_on: date | None = None
    signatories: str = ""
    envelope_mdh: float = 0.0
    origin: str = Origin.PUBLIC
    source: str = ""
    version: int = 1


class EnvelopeLine(SQLModel, table=True):
    """Part of a contract's envelope for one axis and one year."""

    __table_args__ = (
        UniqueConstraint("contract_id", "axis_id", "year", name="envelope_line_key"),
        CheckConstraint("amount_mdh >= 0", name="envelope_line_nonneg"),
    )
    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    axis_id: int = Field(foreign_key="axis.id", index=True)
    year: int
    amount_mdh: float
    origin: str = Origin.ILLUSTRATIVE
    version: int = 1


class Indicator(SQLModel, table=True):
    """A measured objective of a contract, under one axis."""

    __table_args__ = (
        UniqueConstraint("contract_id", "code", name="indicator_contract_code"),
        CheckConstraint("direction IN ('higher', 'lower')", name="indicator_direction"),
    )
    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    axis_id: int = Field(foreign_key="axis.id", index=True)
    code: str = Field(max_length=40)
    label: str
    unit: str
    direction: str = "higher"
    baseline_value: float
    network_metric: str = ""
    baseline_measure: str = ""
    like_for_like: bool = True
    origin: str = Origin.ILLUSTRATIVE
    version: int = 1


class IndicatorTarget(SQLModel, table=True):
    """The target of an indicator for one year."""

    __table_args__ = (UniqueConstraint("indicator_id", "year", name="target_indicator_year"),)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    year: int
    value: float
    origin: str = Origin.ILLUSTRATIVE
    version: int = 1


class NetworkFigure(SQLModel, table=True):
    """A network-wide figure reported by RECTIM or announced as a target."""

    __table_args__ = (UniqueConstraint("metric", "year", "kind", name="network_figure_key"),)
    id: int | None = Field(default=None, primary_key=True)
    metric: str = Field(max_length=40)
    year: int
    kind: str = "actual"
    value: float
    unit: str
    approximate: bool = True
    origin: str = Origin.PUBLIC
    source: str = ""
    note: str = ""


class PlanSpending(SQLModel, table=True):
    """Yearly spending of a plan as a whole (used for the 2014-2020 baseline pace)."""

    __table_args__ = (
        UniqueConstraint("plan_id", "year", name="plan_spending_year"),
        CheckConstraint("amount_mdh >= 0", name="plan_spending_nonneg"),
    )
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    year: int
    amount_mdh: float
    origin: str = Origin.ILLUSTRATIVE
    source: str = ""


class SourceNote(SQLModel, table=True):
    """A place where public sources disagree, and what the product follows."""

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(unique=True, max_length=60)
    text_fr: str
    followed: str
    sources: str = ""
    origin: str = Origin.PUBLIC
