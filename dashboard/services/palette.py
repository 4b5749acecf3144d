"""Colours and labels shared by every chart and badge: a CTI or a status looks the same everywhere.

Statuses use the Okabe-Ito palette and the nine CTIs Paul Tol's "muted" palette: both were
designed to stay distinguishable for people with colour-vision deficiencies. Status colours are
always paired with a text label (never colour alone).
"""

from __future__ import annotations

from functools import cache

from dashboard.domain.indicators import Status
from dashboard.i18n import _, current_lang

# Fonts: the system's, no web font. Arabic first tries fonts drawn for Arabic (Windows' Segoe UI
# and Tahoma have Arabic glyphs; Debian's Noto Sans Arabic), so that digits and Latin acronyms
# match the Arabic text around them.
FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
ARABIC_FONT_STACK = (
    "'Segoe UI', Tahoma, 'Noto Sans Arabic', 'Noto Naskh Arabic', 'DejaVu Sans', "
    "system-ui, sans-serif"
)

# Okabe-Ito (Okabe & Ito, 2008).
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

STATUS_COLORS: dict[Status, str] = {
    Status.ON_TRACK: OKABE_ITO["bluish_green"],
    Status.WATCH: OKABE_ITO["orange"],
    Status.LATE: OKABE_ITO["vermillion"],
    Status.NO_DATA: OKABE_ITO["grey"],
}
# Worst first: the order of legends, counts and sorting.
STATUS_ORDER = (Status.LATE, Status.WATCH, Status.ON_TRACK, Status.NO_DATA)

# Paul Tol's "muted" qualitative scheme, one colour per CTI in the order of the contracts.
CTI_COLORS: dict[str, str] = {
    "CETIEV": "#332288",
    "CETIA": "#117733",
    "CTTH": "#44AA99",
    "CTPC": "#88CCEE",
    "CMTC": "#DDCC77",
    "CTIBA": "#CC6677",
    "CERIC": "#AA4499",
    "CETEMCO": "#882255",
    "CERIMME": "#999933",
}
OTHER_CTI_COLOR = "#555555"

# Money: lighter for what is planned, darker for what is done.
ENVELOPE_COLOR = "#C9D3E0"
SCHEDULED_COLOR = "#44546A"
COMMITTED_COLOR = OKABE_ITO["sky_blue"]
DISBURSED_COLOR = OKABE_ITO["blue"]
PENDING_COLOR = OKABE_ITO["reddish_purple"]

# The two plans.
CURRENT_PLAN_COLOR = OKABE_ITO["blue"]
BASELINE_PLAN_COLOR = OKABE_ITO["orange"]
PATH_COLOR = "#44546A"

# Sequential blues (ColorBrewer "Blues", colour-blind safe) for achievement matrices.
ACHIEVEMENT_SCALE = [
    [0.0, "#f7fbff"],
    [0.25, "#c6dbef"],
    [0.5, "#6baed6"],
    [0.75, "#2171b5"],
    [1.0, "#08306b"],
]


def cti_color(acronym: str) -> str:
    """Return the fixed colour of a CTI (a neutral grey for an unknown one)."""
    return CTI_COLORS.get(acronym, OTHER_CTI_COLOR)


def status_color(status: Status | str) -> str:
    """Return the colour of a status."""
    return STATUS_COLORS[Status(status)]


def status_label(status: Status | str) -> str:
    """Return the French label of a status, translated."""
    return _status_labels(current_lang())[Status(status)]


@cache
def _status_labels(lang: str) -> dict[Status, str]:
    # One translation per language, not per call: tables at scale ask for thousands.
    return {
        Status.ON_TRACK: _("Conforme", lang),
        Status.WATCH: _("À surveiller", lang),
        Status.LATE: _("En retard", lang),
        Status.NO_DATA: _("Sans donnée", lang),
    }
