"""What every write of the entry workflow shares: refusals, audit, optimistic concurrency.

A write either succeeds whole or changes nothing: on any refusal the session is rolled back,
the refusal is written to the audit log (and committed on its own), then the error is raised
for the page or the command line to show.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NoReturn, TypeVar

from sqlalchemy import update
from sqlmodel import Session, SQLModel, col, select

from dashboard.auth.account import Account
from dashboard.db.models import AuditEvent, utcnow
from dashboard.domain.validation import ValidationResult, check_text, clean_text, fmt_num
from dashboard.domain.workflow import STATE_LABELS, State, Step, TransitionError, next_state
from dashboard.i18n import N_, _
from dashboard.i18n.formats import format_short_date
from dashboard.services import audit
from dashboard.services.errors import PermissionDenied, UserError

T = TypeVar("T")


class ValidationFailed(UserError):
    """The entry breaks a rule; ``result`` holds the message of each field."""

    def __init__(self, result: ValidationResult) -> None:
        super().__init__(result.summary())
        self.result = result


class ConcurrentEntry(ValidationFailed):
    """The database refused a write that another person's concurrent write made impossible."""


class WorkflowError(UserError):
    """The entry's state does not allow this step (e.g. editing a validated value)."""


class StaleVersionError(UserError):
    """Someone changed the entry since it was opened; the message says who, when and what."""


FIELD_LABELS = {
    "value": N_("valeur"),
    "status": N_("statut"),
    "comment": N_("commentaire"),
    "amount_mdh": N_("montant"),
    "on_date": N_("date"),
    "reference": N_("référence"),
    "kind": N_("type"),
    "is_superseded": N_("remplacée"),
    "evidence": N_("justificatif"),
}


# What the form says once an entry is saved: (entry, submitted, flagged by a warning).
# A warning never blocks a save: the entry is saved and flagged, and the message says so.
SAVED_TEXT = {
    ("value", False, False): N_("Brouillon enregistré."),
    ("value", True, False): N_("Valeur soumise pour validation."),
    ("value", False, True): N_(
        "Brouillon enregistré ; la valeur est signalée à vérifier (ci-dessous). Si elle est "
        "juste, rien d'autre à faire : les validateurs verront la même remarque. Sinon, "
        "corrigez-la et enregistrez à nouveau."
    ),
    ("value", True, True): N_(
        "Valeur soumise pour validation ; elle est signalée à vérifier (ci-dessous) et les "
        "validateurs verront la même remarque. Si elle est fausse, retirez-la et corrigez-la."
    ),
    ("movement", False, False): N_("Brouillon enregistré."),
    ("movement", True, False): N_("Mouvement soumis pour validation."),
    ("movement", False, True): N_(
        "Brouillon enregistré ; le mouvement est signalé à vérifier (ci-dessous). Si le "
        "montant est juste, rien d'autre à faire ; sinon, corrigez-le et enregistrez à nouveau."
    ),
    ("movement", True, True): N_(
        "Mouvement soumis pour validation ; il est signalé à vérifier (ci-dessous). S'il est "
        "faux, retirez-le et corrigez-le."
    ),
}


def saved_text(entry: str, *, submit: bool, flagged: bool) -> str:
    """Say what a save did: saved as a draft or submitted, and flagged when a rule warned."""
    return _(SAVED_TEXT[(entry, submit, flagged)])


def who(account: Account | None) -> tuple[int | None, str]:
    """Return the user id and name the audit trail records for a caller."""
    if account is None:
        return None, "anonyme"
    return account.id, account.username


def record_ok(
    session: Session,
    account: Account | None,
    *,
    action: str,
    entity: str,
    entity_id: object,
    before: Any = None,
    after: Any = None,
    detail: str = "",
) -> None:
    """Record an accepted write in the audit log (committed with the write itself)."""
    user_id, username = who(account)
    audit.record(
        session,
        action=action,
        user_id=user_id,
        username=username,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
        detail=detail,
    )


def refuse(
    session: Session,
    account: Account | None,
    error: UserError,
    *,
    action: str,
    entity: str = "",
    entity_id: object = "",
    after: Any = None,
) -> NoReturn:
    """Undo everything in the session, log the refusal on its own, and raise the error."""
    if isinstance(error, PermissionDenied):
        raise error  # `require` already rolled back and logged this refusal
    session.rollback()
    user_id, username = who(account)
    audit.record(
        session,
        action=action,
        user_id=user_id,
        username=username,
        entity=entity,
        entity_id=entity_id,
        after=after,
        outcome="refused",
        detail=str(error),
    )
    session.commit()
    raise error


def guarded(
    session: Session,
    account: Account | None,
    work: Callable[[], T],
    *,
    action: str,
    entity: str,
    entity_id: object = "",
) -> T:
    """Run a write; on a refusal undo all of it, log the refusal and raise the error."""
    try:
        return work()
    except UserError as exc:
        refuse(session, account, exc, action=action, entity=entity, entity_id=entity_id)


def step_values(
    account: Account | None, status: str, step: Step, reason: str = ""
) -> dict[str, Any]:
    """Return the column values a workflow step writes, refusing an illegal step or no reason."""
    try:
        state = next_state(status, step)
    except TransitionError as exc:
        raise WorkflowError(str(exc)) from None
    now = utcnow()
    values: dict[str, Any] = {"status": state.value, "updated_at": now}
    if step is Step.SUBMIT:
        values["submitted_at"] = now
    if step in (Step.VALIDATE, Step.REJECT):
        values.update(reviewed_by_id=account.id if account else None, reviewed_at=now)
    if step is Step.REJECT:
        check = check_text(reason, field="reason", label=_("Motif du rejet"), required=True)
        if not check.ok:
            raise ValidationFailed(check)
        values["rejection_reason"] = clean_text(reason)
    return values


def transition_error(error: TransitionError) -> WorkflowError:
    """Turn the domain's transition error into a user error."""
    return WorkflowError(str(error))


def _when(at: datetime) -> str:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    moment = aware.astimezone(UTC)
    return _(
        "{day} à {time} UTC", day=format_short_date(moment.date()), time=moment.strftime("%H:%M")
    )


def _shown(key: str, value: Any) -> str:
    if key == "status" and value in {s.value for s in State}:
        return _(STATE_LABELS[State(value)])
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt_num(float(value))
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    text = str(value) if value not in (None, "") else _("(vide)")
    return text if len(text) <= 60 else text[:57] + "…"


def describe_changes(before: dict[str, Any], after: dict[str, Any]) -> str:
    """Describe what changed between two snapshots: "valeur 12 → 15, statut soumise → validée"."""
    parts = [
        f"{_(label)} {_shown(key, before.get(key))} → {_shown(key, after.get(key))}"
        for key, label in FIELD_LABELS.items()
        if key in after and before.get(key) != after.get(key)
    ]
    return ", ".join(parts)


def _load(text: str) -> dict[str, Any]:
    try:
        loaded = json.loads(text) if text else {}
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def stale_message(
    session: Session, *, entity: str, entity_id: int, seen_version: int, current: dict[str, Any]
) -> str:
    """Say who changed an entry since version ``seen_version``, when, and from what to what."""
    events = session.exec(
        select(AuditEvent)
        .where(
            col(AuditEvent.entity) == entity,
            col(AuditEvent.entity_id) == str(entity_id),
            col(AuditEvent.outcome) == "ok",
        )
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    ).all()
    changes = []
    for event in events:
        after = _load(event.after)
        if int(after.get("version", 0)) > seen_version:
            what = describe_changes(_load(event.before), after) or _("modification")
            changes.append(
                _("{user} le {when} : {what}", user=event.username, when=_when(event.at), what=what)
            )
    if not changes:
        values = ", ".join(
            f"{_(label)} {_shown(key, current[key])}"
            for key, label in FIELD_LABELS.items()
            if key in current and key != "is_superseded"
        )
        changes.append(_("version actuelle : {values}", values=values))
    return _(
        "Enregistrement refusé : cette entrée a été modifiée entre-temps ({changes}). "
        "Rechargez-la pour voir la version actuelle, puis recommencez.",
        changes=" ; ".join(changes),
    )


def check_version(
    session: Session,
    *,
    entity: str,
    row_id: int,
    seen_version: int | None,
    current_version: int,
    current: dict[str, Any],
) -> None:
    """Refuse a write based on an outdated version of the entry."""
    if seen_version is None:
        raise UserError(
            _("Version de l'entrée manquante : rechargez la page avant de la modifier.")
        )
    if seen_version != current_version:
        raise StaleVersionError(
            stale_message(
                session, entity=entity, entity_id=row_id, seen_version=seen_version, current=current
            )
        )


def bump(
    session: Session,
    model: type[SQLModel],
    *,
    row_id: int,
    seen_version: int,
    values: dict[str, Any],
    entity: str,
    current: dict[str, Any],
) -> None:
    """Update a row only if it is still at ``seen_version`` (atomic compare-and-set).

    Checking the version in Python alone would let two concurrent saves both pass the check;
    the WHERE clause makes the database arbitrate, so the second one updates no row.
    """
    table: Any = model
    result = session.exec(
        update(table)
        .where(col(table.id) == row_id, col(table.version) == seen_version)
        .values(**values, version=seen_version + 1)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        session.rollback()
        raise StaleVersionError(
            stale_message(
                session, entity=entity, entity_id=row_id, seen_version=seen_version, current=current
            )
        )
