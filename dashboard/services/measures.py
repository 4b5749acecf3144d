"""The progress measures the product shows: one name and one definition each, in one place.

Two measures look alike and are not the same: how far an indicator has come toward its
target (« Réalisation de l'objectif… ») and how far it has come against where its trajectory
expected it to be when it was measured (« Respect de la trajectoire », the basis of the
status). Pages, reports and the help page take their names and definitions from here, so a
reader never sees one measure under the other's name. The numbers themselves are computed in
``domain/indicators.py`` (and its array twin), once, by ``services/monitoring.py``.

Which surface shows which measure:
- indicator tables (axis and contract pages, reports' indicator lists): the achievement of
  the year's target, and the trajectory measure beside the status it explains;
- lists of the indicators most behind (overview, reports): both, the trajectory measure
  ranking them;
- averages (axis and contract cards, matrices): the mean achievement of the year's targets;
- spending against results: the achievement of the end-of-plan targets.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.domain.indicators import DEFAULT_THRESHOLDS, StatusThresholds
from dashboard.i18n import N_, translate
from dashboard.services.formatting import fmt_pct


@dataclass(frozen=True)
class Measure:
    """A measure: the column of the indicator frame it reads, its name and its definition."""

    key: str
    name_id: str
    definition_id: str

    def name(self, lang: str | None = None) -> str:
        """Return the measure's name in the language (the one in force by default)."""
        return translate(self.name_id, lang)

    def definition(
        self, lang: str | None = None, thresholds: StatusThresholds = DEFAULT_THRESHOLDS
    ) -> str:
        """Return the measure's definition in the language, with the status thresholds."""
        return translate(
            self.definition_id,
            lang,
            on_track=fmt_pct(thresholds.on_track, lang=lang),
            watch=fmt_pct(thresholds.watch, lang=lang),
        )


ACHIEVEMENT = Measure(
    "achievement",
    N_("Réalisation de l'objectif de l'année"),
    N_(
        "Part du chemin parcouru de la valeur de référence (fin du plan 2014-2020) à l'objectif "
        "de l'année affichée, d'après la dernière valeur validée : 0 % à la référence, 100 % à "
        "l'objectif (au-delà : objectif dépassé). Ne dit pas si l'indicateur est en retard : "
        "une valeur du milieu d'année n'a pas encore à atteindre l'objectif de fin d'année."
    ),
)
ACHIEVEMENT_FINAL = Measure(
    "achievement_final",
    N_("Réalisation de l'objectif de fin de plan"),
    N_(
        "Part du chemin parcouru de la valeur de référence à l'objectif de la dernière année du "
        "plan, d'après la dernière valeur validée : 0 % à la référence, 100 % à l'objectif."
    ),
)
MEAN_ACHIEVEMENT = Measure(
    "mean_achievement",
    N_("Réalisation moyenne des objectifs"),
    N_(
        "Moyenne, sur les indicateurs qui ont une valeur validée, de la réalisation de "
        "l'objectif de l'année, chacune comptée entre 0 % et 100 % : un indicateur très en "
        "avance ne masque pas un indicateur en retard."
    ),
)
TRAJECTORY = Measure(
    "pace_ratio",
    N_("Respect de la trajectoire"),
    N_(
        "Progrès mesuré depuis la valeur de référence, rapporté au progrès que la trajectoire "
        "prévoyait à la date de la mesure (100 % : exactement sur la trajectoire). C'est la "
        "base du statut : « Conforme » à partir de {on_track}, « À surveiller » à partir de "
        "{watch}, « En retard » en dessous."
    ),
)

MEASURES: tuple[Measure, ...] = (ACHIEVEMENT, TRAJECTORY, MEAN_ACHIEVEMENT, ACHIEVEMENT_FINAL)
BY_KEY = {measure.key: measure for measure in MEASURES}
