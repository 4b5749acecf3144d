"""AG Grid options shared by every grid: right to left in Arabic, its own texts translated."""

from __future__ import annotations

from typing import Any

from dashboard.i18n import _, is_rtl


def grid_locale_text() -> dict[str, str]:
    """Return AG Grid's built-in texts (filters, menus, pagination) in the language in force."""
    return {
        "noRowsToShow": _("Aucune ligne."),
        "loadingOoo": _("Chargement…"),
        "page": _("Page"),
        "of": _("sur"),
        "to": _("à"),
        "more": _("plus"),
        "next": _("Suivante"),
        "previous": _("Précédente"),
        "firstPage": _("Première page"),
        "lastPage": _("Dernière page"),
        "nextPage": _("Page suivante"),
        "previousPage": _("Page précédente"),
        "pageSizeSelectorLabel": _("Lignes par page :"),
        "filterOoo": _("Filtrer…"),
        "searchOoo": _("Rechercher…"),
        "selectAll": _("(Tout sélectionner)"),
        "blanks": _("(Vides)"),
        "equals": _("Égal à"),
        "notEqual": _("Différent de"),
        "contains": _("Contient"),
        "notContains": _("Ne contient pas"),
        "startsWith": _("Commence par"),
        "endsWith": _("Se termine par"),
        "blank": _("Vide"),
        "notBlank": _("Non vide"),
        "lessThan": _("Inférieur à"),
        "greaterThan": _("Supérieur à"),
        "lessThanOrEqual": _("Inférieur ou égal à"),
        "greaterThanOrEqual": _("Supérieur ou égal à"),
        "inRange": _("Entre"),
        "inRangeStart": _("De"),
        "inRangeEnd": _("À"),
        "andCondition": _("ET"),
        "orCondition": _("OU"),
        "applyFilter": _("Appliquer"),
        "resetFilter": _("Réinitialiser"),
        "clearFilter": _("Effacer"),
        "cancelFilter": _("Annuler"),
        "columns": _("Colonnes"),
        "filters": _("Filtres"),
        "pinColumn": _("Épingler la colonne"),
        "autosizeThisColumn": _("Ajuster cette colonne"),
        "autosizeAllColumns": _("Ajuster toutes les colonnes"),
        "resetColumns": _("Réinitialiser les colonnes"),
        "sortAscending": _("Tri croissant"),
        "sortDescending": _("Tri décroissant"),
        "sortUnSort": _("Annuler le tri"),
        "ariaFilterInput": _("Valeur du filtre"),
        "ariaFilteringOperator": _("Opérateur de filtre"),
        "ariaColumnSelectAll": _("Sélectionner toutes les colonnes"),
        "ariaRowSelect": _("Appuyez sur Espace pour sélectionner cette ligne"),
        "ariaSearch": _("Rechercher"),
    }


def grid_options(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return ``dashGridOptions`` with the language's direction and texts, plus ``extra``.

    ``extra`` may bring its own ``localeText`` entries, which win over the shared ones.
    """
    options = dict(extra or {})
    locale = {**grid_locale_text(), **options.pop("localeText", {})}
    return {"enableRtl": is_rtl(), "localeText": locale, **options}
