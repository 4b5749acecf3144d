"""What a report is asked for (scope, period, format, language), checked before any work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine

from dashboard.domain.indicators import DEFAULT_THRESHOLDS, StatusThresholds
from dashboard.i18n import LANGUAGES, translate
from dashboard.services.errors import UserError
from dashboard.services.scope import default_year, load_scope
from dashboard.services.structure import list_contracts

FORMATS = ("pdf", "xlsx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ReportRequest:
    """A checked request: ``cti`` is None for the national report, ``quarter`` 0 for the year.

    ``year`` is always set: the plan year whose situation the report shows (the default year
    of the pages, "to date", when none was asked for). The quarter narrows the progress values
    listed; the headline figures stay those of the year, as on the screens.
    """

    fmt: str
    year: int
    cti: str | None = None
    quarter: int = 0
    lang: str = "fr"
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS

    @property
    def national(self) -> bool:
        """Tell whether this is the national report (every CTI)."""
        return self.cti is None

    @property
    def media_type(self) -> str:
        """Return the MIME type of the file."""
        return MEDIA_TYPES[self.fmt]

    def filename(self, today: date) -> str:
        """Return the file name: rapport-cti-national-2025-T3-20261129.pdf."""
        scope = (self.cti or "national").lower()
        period = f"{self.year}" + (f"-T{self.quarter}" if self.quarter else "")
        suffix = "" if self.lang == "fr" else f"-{self.lang}"
        return f"rapport-cti-{scope}-{period}-{today:%Y%m%d}{suffix}.{self.fmt}"


def _year(raw: object, first: int, last: int, today: date, lang: str) -> int:
    if raw is None or raw == "":
        return default_year(first, last, today)
    try:
        year = int(str(raw))
    except ValueError:
        raise UserError(
            translate("Année invalide « {year} » : indiquez une année comme 2025.", lang, year=raw)
        ) from None
    if not first <= year <= last:
        raise UserError(
            translate(
                "Année {year} hors du plan {first}-{last} : choisissez une année de {first} à "
                "{last}.",
                lang,
                year=year,
                first=first,
                last=last,
            )
        )
    if year > today.year:
        raise UserError(
            translate(
                "Année {year} pas encore commencée : choisissez une année jusqu'à {current}.",
                lang,
                year=year,
                current=default_year(first, last, today),
            )
        )
    return year


def _quarter(raw: object, year: int, today: date, lang: str) -> int:
    if raw is None or raw in ("", 0, "0"):
        return 0
    try:
        quarter = int(str(raw).upper().removeprefix("T").removeprefix("Q"))
    except ValueError:
        quarter = -1
    if not 1 <= quarter <= 4:
        raise UserError(
            translate(
                "Trimestre invalide « {quarter} » : choisissez 1, 2, 3 ou 4.", lang, quarter=raw
            )
        )
    if date(year, 3 * quarter - 2, 1) > today:
        raise UserError(
            translate(
                "Le trimestre T{quarter} {year} n'a pas encore commencé.",
                lang,
                quarter=quarter,
                year=year,
            )
        )
    return quarter


def check_request(
    *,
    engine: Engine,
    today: date,
    fmt: object,
    cti: object = None,
    year: object = None,
    quarter: object = None,
    lang: object = "fr",
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> ReportRequest:
    """Return the request checked against the plan, or raise UserError saying what is wrong.

    Refused: an unknown format or language, a CTI without a contract in the current plan, a
    year outside the plan or not begun yet, a quarter other than 1-4 or not begun yet.
    """
    lang_code = str(lang or "fr")
    if lang_code not in LANGUAGES:
        raise UserError(
            translate("Langue inconnue « {code} » : choisissez fr, en ou ar.", "fr", code=lang_code)
        )
    if fmt not in FORMATS:
        raise UserError(
            translate("Format inconnu « {fmt} » : choisissez pdf ou xlsx.", lang_code, fmt=fmt)
        )
    scope = load_scope(engine=engine, today=today)
    acronym = None
    if cti not in (None, ""):
        known = [c.acronym for c in list_contracts(engine=engine, plan_id=scope.plan_id)]
        acronym = str(cti).strip().upper()
        if acronym not in known:
            raise UserError(
                translate(
                    "CTI inconnu « {cti} » : choisissez parmi {known}.",
                    lang_code,
                    cti=cti,
                    known=", ".join(known),
                )
            )
    chosen = _year(year, scope.first_year, scope.last_year, today, lang_code)
    return ReportRequest(
        fmt=str(fmt),
        year=chosen,
        cti=acronym,
        quarter=_quarter(quarter, chosen, today, lang_code),
        lang=lang_code,
        thresholds=thresholds,
    )
