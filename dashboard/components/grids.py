"""AG Grid options shared by every grid: right to left in Arabic, its own texts translated,
numbers written as the cards write them (1 234,5 in French, 1,234.5 in English, 1.234,5 in
Arabic).
"""

from __future__ import annotations

import json
from typing import Any

from dashboard.i18n import _, is_rtl
from dashboard.services.formatting import grid_number_style


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


def number_formatter() -> dict[str, str]:
    """Return the ``valueFormatter`` that writes a grid's numbers in the language in force.

    The separators come from the formatting layer (``grid_number_style``); the function is
    in assets/grids.js. Text and missing values are shown as they are.
    """
    return {"function": f"ctiGridNumber(params, {_style()})"}


def number_parser() -> dict[str, str]:
    """Return the ``valueParser`` of a grid's number columns ("12,5" typed is 12.5 in French).

    Overriding AG Grid's number type replaces its own parser: this one does the same, with
    the language's decimal mark.
    """
    return {"function": f"ctiGridNumberParse(params, {_style()})"}


def _style() -> str:
    return json.dumps(grid_number_style(), ensure_ascii=True)


def grid_column_defaults(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return a grid's ``defaultColDef``: sortable, filterable, resizable, numbers formatted.

    A column whose first value is missing is not recognised as a number by AG Grid, so the
    number formatter is also every column's default.
    """
    return {
        "sortable": True,
        "resizable": True,
        "filter": True,
        "valueFormatter": number_formatter(),
        **(extra or {}),
    }


def grid_options(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return ``dashGridOptions`` with the language's direction, texts and numbers, plus ``extra``.

    ``extra`` may bring its own ``localeText`` entries, which win over the shared ones. Every
    column AG Grid recognises as a number (its first value is one) is written in the language.
    """
    options = dict(extra or {})
    locale = {**grid_locale_text(), **options.pop("localeText", {})}
    numbers = {
        "number": {
            "baseDataType": "number",
            "extendsDataType": "number",
            "valueFormatter": number_formatter(),
            "valueParser": number_parser(),
        }
    }
    return {
        "enableRtl": is_rtl(),
        "localeText": locale,
        "dataTypeDefinitions": numbers,
        **options,
    }
