"""The help page's content as data: what each page is for, the measures, statuses and steps.

One source for the words: the measures' names and definitions come from
``services.measures`` (the same text as the tooltips beside the figures), the statuses'
thresholds from the settings in force, the workflow's states from ``domain.workflow``. The
page (``pages/help.py``) only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.domain.indicators import Status, StatusThresholds
from dashboard.i18n import N_, _
from dashboard.services.formatting import fmt_pct
from dashboard.services.measures import MEASURES
from dashboard.services.palette import status_label


@dataclass(frozen=True)
class Entry:
    """One term and its explanation (a page, a measure, a status, a step)."""

    term: str
    text: str
    href: str | None = None


@dataclass(frozen=True)
class Section:
    """A titled group of entries, with an anchor for links (``/aide#mesures``)."""

    anchor: str
    title: str
    intro: str
    entries: tuple[Entry, ...]


# (path, French name, what it is for): French message ids, translated when shown.
PAGES = (
    (
        "/",
        N_("Vue d'ensemble"),
        N_(
            "Où en est le plan à la date choisie : budget engagé et décaissé, statut des "
            "indicateurs, les CTI et les indicateurs les plus en retard, la fraîcheur des "
            "données."
        ),
    ),
    (
        "/axes",
        N_("Axes stratégiques"),
        N_(
            "Les cinq axes du plan : budget, réalisation des objectifs et statut des "
            "indicateurs de chaque axe ; une page par axe avec le détail par CTI."
        ),
    ),
    (
        "/ctis",
        N_("Contrats-objectifs"),
        N_(
            "Les contrats-objectifs des CTI côte à côte ; la page d'un CTI montre son "
            "contrat, ses indicateurs, leur trajectoire et son budget."
        ),
    ),
    (
        "/baseline",
        N_("Comparaison 2014-2020"),
        N_(
            "Le plan en cours face au plan 2014-2020 : intensité prévue et réelle (MDH par an) "
            "et chiffres du réseau."
        ),
    ),
    (
        "/calendar",
        N_("Calendrier de saisie"),
        N_("Ce que chaque CTI doit saisir et pour quand, vos rappels, et l'âge de chaque chiffre."),
    ),
    (
        "/updates",
        N_("Saisie de l'avancement"),
        N_(
            "Saisir la valeur d'un indicateur pour une période, avec un commentaire et une "
            "pièce justificative, puis la soumettre pour validation."
        ),
    ),
    (
        "/budget",
        N_("Budget"),
        N_(
            "Les engagements et décaissements par CTI et par axe, leurs totaux, et la saisie "
            "des mouvements (analystes)."
        ),
    ),
    (
        "/import",
        N_("Import Excel"),
        N_(
            "Télécharger le modèle de saisie d'un CTI, le remplir et l'importer : tout est "
            "vérifié ligne par ligne avant d'être enregistré."
        ),
    ),
    (
        "/reports",
        N_("Rapports"),
        N_("Rapports PDF et Excel, national ou par CTI, à la date choisie, pour les réunions."),
    ),
    (
        "/audit",
        N_("Journal d'audit"),
        N_("Qui a fait quoi et quand : chaque saisie, validation, modification et connexion."),
    ),
)

# (state, French name, explanation), in the order a value goes through them.
STEPS = (
    (
        N_("Brouillon"),
        N_("La valeur est enregistrée mais ne compte pas encore ; son auteur peut la modifier."),
    ),
    (
        N_("Soumise"),
        N_(
            "Le CTI a transmis la valeur ; un analyste du ministère la vérifie. Elle ne "
            "compte pas encore dans les chiffres officiels."
        ),
    ),
    (
        N_("Validée"),
        N_(
            "La valeur compte dans les chiffres officiels. Elle n'est plus modifiée : une "
            "correction crée une nouvelle version, avec son motif, elle-même à valider."
        ),
    ),
    (
        N_("Renvoyée"),
        N_(
            "L'analyste a renvoyé la valeur avec un motif ; son auteur en est averti (cloche "
            "de notifications) et saisit une valeur corrigée."
        ),
    ),
)


def _status_entries(thresholds: StatusThresholds) -> tuple[Entry, ...]:
    on_track, watch = fmt_pct(thresholds.on_track), fmt_pct(thresholds.watch)
    return (
        Entry(
            status_label(Status.ON_TRACK),
            _(
                "Le progrès réalisé depuis la référence atteint au moins {on_track} du "
                "progrès attendu à cette date sur la trajectoire.",
                on_track=on_track,
            ),
        ),
        Entry(
            status_label(Status.WATCH),
            _(
                "Le progrès réalisé est entre {watch} et {on_track} du progrès attendu.",
                watch=watch,
                on_track=on_track,
            ),
        ),
        Entry(
            status_label(Status.LATE),
            _("Le progrès réalisé est sous {watch} du progrès attendu.", watch=watch),
        ),
        Entry(
            status_label(Status.NO_DATA),
            _("Aucune valeur validée pour cet indicateur à cette date."),
        ),
    )


def help_sections(thresholds: StatusThresholds) -> list[Section]:
    """Return the help page's sections in the language in force."""
    return [
        Section(
            "pages",
            _("Les pages"),
            _("À quoi sert chaque page du tableau de bord."),
            tuple(Entry(_(name), _(text), href) for href, name, text in PAGES),
        ),
        Section(
            "mesures",
            _("Les mesures"),
            _(
                "Plusieurs mesures suivent les indicateurs ; chaque tableau et chaque "
                "rapport dit laquelle il montre, avec sa définition au survol de son titre."
            ),
            tuple(Entry(m.name(), m.definition(thresholds=thresholds)) for m in MEASURES),
        ),
        Section(
            "statuts",
            _("Les statuts"),
            _(
                "Le statut d'un indicateur compare son progrès à celui qu'attend sa "
                "trajectoire (linéaire de la référence aux objectifs annuels). Seuils en "
                "vigueur :"
            ),
            _status_entries(thresholds),
        ),
        Section(
            "saisie",
            _("Saisie et validation"),
            _(
                "Seules les valeurs validées comptent dans les chiffres officiels ; les autres "
                "sont montrées comme telles. Les étapes d'une valeur :"
            ),
            tuple(Entry(_(term), _(text)) for term, text in STEPS),
        ),
        Section(
            "donnees",
            _("Les données"),
            _("D'où viennent les chiffres."),
            (
                Entry(
                    _("Faits publics"),
                    _(
                        "Enveloppes des plans, axes, signataires, chiffres du réseau : chacun "
                        "porte sa source (badge « Source »)."
                    ),
                ),
                Entry(
                    _("Données illustratives"),
                    _(
                        "Les enveloppes par CTI, les indicateurs et leurs valeurs ne sont pas "
                        "publics : la démonstration les génère et les marque « données "
                        "illustratives » à l'écran et dans les rapports, jusqu'à ce que les "
                        "chiffres réels les remplacent par saisie ou import."
                    ),
                ),
                Entry(
                    _("Chiffre périmé"),
                    _(
                        "Un indicateur dont la dernière valeur validée est plus ancienne que la "
                        "période attendue par le calendrier de saisie est marqué périmé."
                    ),
                ),
            ),
        ),
    ]
