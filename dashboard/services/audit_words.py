"""The audit trail in words, for staff who are not developers.

« Validation d'une valeur » rather than ``progress.validate``; « CETIA-A1-01 · 2024-T2 (CETIA) »
rather than ``progress 1234``; « Valeur : 12 → 14 » rather than two JSON documents. The
technical columns stay in the CSV export (``audit.events_csv``). Every action code the
application writes needs a label here: a unit test scans the code for them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from dashboard.db.models import (
    AuditEvent,
    Axis,
    BudgetMovement,
    Contract,
    Cti,
    EnvelopeLine,
    Indicator,
    IndicatorTarget,
    Plan,
    ProgressUpdate,
    User,
)
from dashboard.domain.calendar import FREQUENCY_LABELS
from dashboard.domain.workflow import STATE_LABELS
from dashboard.i18n import N_, _, pair
from dashboard.services.formatting import fmt_date, fmt_number, fmt_period

# The names of the events the application writes (French message ids). Refusals of a
# permission use the permission's own code and wording (``auth.permissions.ACTION_LABELS``).
ACTION_LABELS = {
    "auth.login": N_("Connexion"),
    "auth.logout": N_("Déconnexion"),
    "auth.session_end": N_("Fin de session"),
    "user.create": N_("Création de compte"),
    "user.change_role": N_("Changement de rôle"),
    "user.set_password": N_("Nouveau mot de passe"),
    "user.disable": N_("Désactivation de compte"),
    "user.enable": N_("Réactivation de compte"),
    "audit.export": N_("Export du journal"),
    "progress.create": N_("Saisie d'une valeur"),
    "progress.edit": N_("Modification d'une valeur"),
    "progress.grid": N_("Saisie de plusieurs valeurs (grille)"),
    "progress.submit": N_("Soumission d'une valeur"),
    "progress.withdraw": N_("Retrait d'une valeur soumise"),
    "progress.validate": N_("Validation d'une valeur"),
    "progress.reject": N_("Renvoi d'une valeur (rejet)"),
    "progress.correct": N_("Correction d'une valeur validée"),
    "progress.supersede": N_("Remplacement d'une valeur validée"),
    "budget.create": N_("Saisie d'un mouvement budgétaire"),
    "budget.edit": N_("Modification d'un mouvement budgétaire"),
    "budget.submit": N_("Soumission d'un mouvement budgétaire"),
    "budget.withdraw": N_("Retrait d'un mouvement soumis"),
    "budget.validate": N_("Validation d'un mouvement budgétaire"),
    "budget.reject": N_("Renvoi d'un mouvement budgétaire (rejet)"),
    "budget.correct": N_("Correction d'un mouvement validé"),
    "budget.supersede": N_("Remplacement d'un mouvement validé"),
    "amend.target": N_("Modification d'un objectif"),
    "amend.envelope": N_("Modification d'une enveloppe"),
    "calendar.rule": N_("Modification du calendrier de saisie"),
    "evidence.download": N_("Téléchargement d'un justificatif"),
    "import.apply": N_("Import d'un fichier Excel"),
    "report.export": N_("Export d'un rapport"),
    "report.mail": N_("Envoi d'un rapport par courriel"),
    "remind.run": N_("Envoi des rappels"),
}

# What the stored snapshots' keys mean; keys not listed (versions, ids) are not shown.
FIELD_LABELS = {
    "indicator": N_("Indicateur"),
    "period": N_("Période"),
    "value": N_("Valeur"),
    "kind": N_("Nature"),
    "on_date": N_("Date"),
    "amount_mdh": N_("Montant (MDH)"),
    "reference": N_("Référence"),
    "status": N_("Statut"),
    "comment": N_("Commentaire"),
    "reason": N_("Motif"),
    "evidence": N_("Justificatif"),
    "is_superseded": N_("Remplacée"),
    "year": N_("Année"),
    "username": N_("Identifiant"),
    "full_name": N_("Nom"),
    "role": N_("Rôle"),
    "cti": N_("CTI"),
    "is_active": N_("Compte actif"),
    "frequency": N_("Fréquence de saisie"),
    "due_days": N_("Délai de saisie (jours)"),
    "lead_days": N_("Rappel (jours avant l'échéance)"),
    "to": N_("Destinataires"),
    "subject": N_("Objet du courriel"),
    "attachment": N_("Pièce jointe"),
    "today": N_("Date du rappel"),
    "notifications": N_("Rappels créés"),
    "mails_queued": N_("Courriels mis en file"),
    "mails_sent": N_("Courriels envoyés"),
    "mails_failed": N_("Courriels en échec"),
    "mails_abandoned": N_("Courriels abandonnés"),
}
# Shown once, in the object's name, rather than as a change.
NAMING_KEYS = {"indicator", "contract_id", "axis_id"}
YES_NO = (N_("non"), N_("oui"))
CHANGED = N_("{before} → {after}")  # the arrow points the reading way (← in Arabic)
SEPARATED = N_("{first} ; {then}")  # the language's semicolon


def action_label(code: str) -> str:
    """Return the name of an audited action in the reader's language (code if unknown)."""
    from dashboard.auth.permissions import ACTION_LABELS as PERMISSION_LABELS
    from dashboard.auth.permissions import Action

    if code in ACTION_LABELS:
        return _(ACTION_LABELS[code])
    if code in {a.value for a in Action}:
        return _(PERMISSION_LABELS[Action(code)]).capitalize()
    return code


def load_json(text: str) -> Any:
    """Read a stored before/after document (None when empty or not JSON)."""
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _figure(value: float) -> str:
    """Write a number in the reader's language with the decimals it has (at most three)."""
    if float(value).is_integer():
        return fmt_number(value)
    return fmt_number(value, len(f"{value:.3f}".rstrip("0").split(".")[1]))


def _word(key: str, value: Any) -> str:
    """Write one stored value in words: states, kinds, roles, yes/no, numbers, periods."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _(YES_NO[value])
    if isinstance(value, int | float):
        return _figure(value)
    if isinstance(value, list):
        return ", ".join(_word(key, v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{_(str(k))} {_word(key, v)}" for k, v in value.items())
    return _text_word(key, str(value))


def _text_word(key: str, text: str) -> str:
    """Write a stored code (state, kind, role, frequency, period) in the reader's words."""
    from dashboard.auth.permissions import ROLE_NAMES
    from dashboard.services.budget_rules import KIND_LABELS

    labels: dict[str, dict[Any, str]] = {
        "status": dict(STATE_LABELS),
        "kind": KIND_LABELS,
        "role": ROLE_NAMES,
        "frequency": dict(FREQUENCY_LABELS),
    }
    if key in labels and text in labels[key]:
        return _(labels[key][text])
    year, _sep, quarter = text.partition("-T")
    if key == "period" and year.isdigit() and quarter.isdigit():
        return fmt_period(int(year), int(quarter))
    if key in ("on_date", "today"):
        try:
            return fmt_date(date.fromisoformat(text))
        except ValueError:
            return text
    return text


def _moved(before: str, after: str) -> str:
    return _(CHANGED, before=before, after=after)


def _blank(value: Any) -> bool:
    """Tell whether a stored value says nothing (None, "" or False; 0 says something)."""
    return value is None or value == "" or value is False


def changes(before: Any, after: Any) -> str:
    """Say what changed, field by field: « Valeur : 12 → 14 ; Statut : soumise → validée ».

    A creation lists the values it set; a field that did not change is not repeated.
    """
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    parts = []
    for key, message in FIELD_LABELS.items():  # the order a reader expects, not the stored one
        if key in NAMING_KEYS or (key not in old and key not in new):
            continue
        label = _(message)
        if key in old and key in new:
            if old[key] != new[key]:
                parts.append(pair(label, _moved(_word(key, old[key]), _word(key, new[key]))))
        elif key in new:
            if not _blank(new[key]):  # a creation says what it set, not the blanks
                parts.append(pair(label, _word(key, new[key])))
        else:
            parts.append(pair(label, _moved(_word(key, old[key]), "—")))
    if not parts and not isinstance(after, dict | None) and after != "":
        parts.append(str(after))
    if not parts:
        return ""
    return functools.reduce(lambda first, then: _(SEPARATED, first=first, then=then), parts)


# Objects named by their kind only (the detail column says which one).
KIND_NAMES = {"file": N_("Fichier Excel"), "report": N_("Rapport"), "emailoutbox": N_("Courriel")}


@dataclass
class Names:
    """The names of the objects a page of events touched, loaded in a few queries."""

    found: dict[tuple[str, str], str] = field(default_factory=dict)

    def of(self, event: AuditEvent, before: Any, after: Any) -> str:
        """Name the object of an event: indicator and period, CTI, account, plan..."""
        named = self.found.get((event.entity, event.entity_id))
        if named:
            return named
        snap = after if isinstance(after, dict) else before if isinstance(before, dict) else {}
        if event.entity == "progress" and snap.get("indicator"):
            period = _word("period", snap.get("period", ""))
            return f"{snap['indicator']} · {period}"
        if event.entity == "user" and not event.entity_id:
            return event.username  # a sign-in or sign-out names the account it concerns
        if event.entity in KIND_NAMES:
            return _(KIND_NAMES[event.entity])
        return f"{event.entity} {event.entity_id}".strip()


def _ids(events: Iterable[AuditEvent], entity: str) -> list[int]:
    wanted = {e.entity_id for e in events if e.entity == entity and e.entity_id.isdigit()}
    return sorted(int(i) for i in wanted)


def _progress(session: Session, ids: list[int]) -> dict[str, str]:
    rows = session.execute(
        sa_select(
            col(ProgressUpdate.id),
            col(ProgressUpdate.year),
            col(ProgressUpdate.quarter),
            col(Indicator.code),
            col(Cti.acronym),
        )
        .join(Indicator, col(Indicator.id) == col(ProgressUpdate.indicator_id))
        .join(Contract, col(Contract.id) == col(Indicator.contract_id))
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .where(col(ProgressUpdate.id).in_(ids))
    ).all()
    return {
        str(i): f"{code} · {fmt_period(year, quarter)} ({acronym})"
        for i, year, quarter, code, acronym in rows
    }


def _movements(session: Session, ids: list[int]) -> dict[str, str]:
    from dashboard.services.budget_rules import KIND_LABELS

    rows = session.execute(
        sa_select(
            col(BudgetMovement.id),
            col(BudgetMovement.kind),
            col(BudgetMovement.on_date),
            col(Axis.number),
            col(Cti.acronym),
        )
        .join(Contract, col(Contract.id) == col(BudgetMovement.contract_id))
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .join(Axis, col(Axis.id) == col(BudgetMovement.axis_id))
        .where(col(BudgetMovement.id).in_(ids))
    ).all()
    return {
        str(i): _(
            "{kind} du {day} · {cti}, axe {axis}",
            kind=_(KIND_LABELS.get(kind, kind)),
            day=on_date.strftime("%d/%m/%Y"),
            cti=acronym,
            axis=number,
        )
        for i, kind, on_date, number, acronym in rows
    }


def _targets(session: Session, ids: list[int]) -> dict[str, str]:
    rows = session.execute(
        sa_select(col(IndicatorTarget.id), col(IndicatorTarget.year), col(Indicator.code))
        .join(Indicator, col(Indicator.id) == col(IndicatorTarget.indicator_id))
        .where(col(IndicatorTarget.id).in_(ids))
    ).all()
    return {str(i): _("Objectif {year} de {code}", year=year, code=code) for i, year, code in rows}


def _envelopes(session: Session, ids: list[int]) -> dict[str, str]:
    rows = session.execute(
        sa_select(col(EnvelopeLine.id), col(EnvelopeLine.year), col(Axis.number), col(Cti.acronym))
        .join(Contract, col(Contract.id) == col(EnvelopeLine.contract_id))
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .join(Axis, col(Axis.id) == col(EnvelopeLine.axis_id))
        .where(col(EnvelopeLine.id).in_(ids))
    ).all()
    return {
        str(i): _("Enveloppe {year} · {cti}, axe {axis}", year=year, cti=acronym, axis=number)
        for i, year, number, acronym in rows
    }


def _simple(column: Any, key: Any) -> Callable[[Session, list[int]], dict[str, str]]:
    def load(session: Session, ids: list[int]) -> dict[str, str]:
        rows = session.execute(sa_select(key, column).where(key.in_(ids))).all()
        return {str(i): str(name) for i, name in rows}

    return load


LOADERS: dict[str, Callable[[Session, list[int]], dict[str, str]]] = {
    "progress": _progress,
    "movement": _movements,
    "target": _targets,
    "envelope": _envelopes,
    "user": _simple(col(User.username), col(User.id)),
    "cti": _simple(col(Cti.acronym), col(Cti.id)),
    "plan": _simple(col(Plan.code), col(Plan.id)),
}


def load_names(session: Session, events: list[AuditEvent]) -> Names:
    """Load the names of the objects of these events: one query per kind of object."""
    names = Names()
    for entity, load in LOADERS.items():
        ids = _ids(events, entity)
        for start in range(0, len(ids), 500):
            for key, name in load(session, ids[start : start + 500]).items():
                names.found[(entity, key)] = name
    for found, name in list(names.found.items()):
        if found[0] == "plan":
            names.found[found] = _("Plan {code}", code=name)
    return names
