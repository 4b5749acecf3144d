"""Who may do what: one pure table `can(account, action, target_cti_id)`, and `require` for writes.

`can` decides and touches nothing (no Flask, no database), so the whole role x action x CTI
table is unit-tested. `require` is what services call on the server before any write: it
refuses with `PermissionDenied` (a French message) and leaves a "refused" audit event.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from dashboard.auth.account import Account
from dashboard.db.models.common import Role
from dashboard.i18n import N_, _
from dashboard.services import audit
from dashboard.services.errors import PermissionDenied

if TYPE_CHECKING:
    from sqlmodel import Session


class Action(StrEnum):
    """Everything the permission table knows about."""

    VIEW = "view"
    EXPORT = "export"
    ENTER_PROGRESS = "enter_progress"
    SUBMIT_PROGRESS = "submit_progress"
    VALIDATE_PROGRESS = "validate_progress"
    ENTER_BUDGET = "enter_budget"
    VALIDATE_BUDGET = "validate_budget"
    IMPORT_FILE = "import_file"
    AMEND_CONTRACT = "amend_contract"
    MANAGE_USERS = "manage_users"
    MANAGE_REFERENCE = "manage_reference"
    VIEW_AUDIT = "view_audit"


# The roles' names (French message ids), shown in refusals, the header and the accounts page.
ROLE_NAMES: dict[str, str] = {
    Role.VIEWER: N_("Lecteur"),
    Role.ANALYST: N_("Analyste"),
    Role.CTI_EDITOR: N_("Saisie CTI"),
    Role.ADMIN: N_("Administrateur"),
}
_READ = frozenset({Action.VIEW, Action.EXPORT})
# What a cti_editor may do, and only on data of its own CTI.
_OWN_CTI_WRITES = frozenset({Action.ENTER_PROGRESS, Action.SUBMIT_PROGRESS, Action.IMPORT_FILE})
_ANALYST = frozenset(Action) - {Action.MANAGE_USERS, Action.MANAGE_REFERENCE}
_TABLE: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.ANALYST: _ANALYST,
    Role.VIEWER: _READ,
    Role.CTI_EDITOR: _READ | _OWN_CTI_WRITES,
}

# French wording of each action, for refusal messages and the audit page.
ACTION_LABELS: dict[Action, str] = {
    Action.VIEW: N_("consulter les tableaux de bord"),
    Action.EXPORT: N_("exporter des rapports"),
    Action.ENTER_PROGRESS: N_("saisir un avancement"),
    Action.SUBMIT_PROGRESS: N_("soumettre un avancement"),
    Action.VALIDATE_PROGRESS: N_("valider un avancement"),
    Action.ENTER_BUDGET: N_("saisir un mouvement budgétaire"),
    Action.VALIDATE_BUDGET: N_("valider un mouvement budgétaire"),
    Action.IMPORT_FILE: N_("importer un fichier"),
    Action.AMEND_CONTRACT: N_("modifier un contrat-objectifs"),
    Action.MANAGE_USERS: N_("gérer les comptes"),
    Action.MANAGE_REFERENCE: N_("gérer les données de référence"),
    Action.VIEW_AUDIT: N_("consulter le journal d'audit"),
}


def can(account: Account | None, action: str, target_cti_id: int | None = None) -> bool:
    """Tell whether the account may do the action, on data of target_cti_id when it is given."""
    if account is None:
        return False
    try:
        wanted = Action(action)
    except ValueError:
        return False  # an unknown action is never allowed
    if wanted not in _TABLE.get(account.role, frozenset()):
        return False
    if account.role == Role.CTI_EDITOR and wanted not in _READ:
        # Own CTI only; a write with no target would skip that check, so it is refused.
        return account.cti_id is not None and target_cti_id == account.cti_id
    return True


def refusal_message(account: Account | None, action: str) -> str:
    """Say in the user's language why the action is refused."""
    if account is None:
        return _("Connexion requise : connectez-vous pour continuer.")
    try:
        label = _(ACTION_LABELS[Action(action)])
    except ValueError:
        label = action
    if account.role == Role.CTI_EDITOR:
        return _(
            "Accès refusé : votre compte ne peut {action} que pour son propre CTI ({cti}),"
            " si son rôle le permet.",
            action=label,
            cti=account.cti_acronym or "?",
        )
    return _(
        "Accès refusé : votre rôle ({role}) ne permet pas de {action}.",
        role=_(ROLE_NAMES.get(account.role, account.role)),
        action=label,
    )


def require(
    account: Account | None,
    action: str,
    target_cti_id: int | None = None,
    *,
    session: Session,
    detail: str = "",
) -> Account:
    """Return the account when it may do the action; otherwise log the refusal and raise.

    A refusal discards the session's uncommitted changes (a refused request writes nothing)
    and commits the "refused" audit event at once, so that it survives the rollback the
    caller's error handling performs. Call it before writing.
    """
    if account is not None and can(account, action, target_cti_id):
        return account
    session.rollback()
    audit.record(
        session,
        action=str(action),
        user_id=account.id if account else None,
        username=account.username if account else "anonyme",
        entity="cti" if target_cti_id is not None else "",
        entity_id="" if target_cti_id is None else target_cti_id,
        outcome="refused",
        detail=detail,
    )
    session.commit()
    raise PermissionDenied(refusal_message(account, action))
