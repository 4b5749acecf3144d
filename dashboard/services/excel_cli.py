"""What the `template` and `import` commands need: the acting account and printable reports."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from dashboard.auth.account import Account
from dashboard.auth.tokens import to_account
from dashboard.services.errors import NotFoundError, UserError
from dashboard.services.import_report import ImportReport
from dashboard.services.users import find_user

MAX_LISTED = 200
OUTCOMES = {
    "aperçu": "Aperçu (rien n'est modifié)",
    "appliqué": "Import appliqué",
    "refusé": "Import refusé (rien n'est modifié), il aurait fait",
}


def account_for(session: Session, username: str) -> Account:
    """Return the active account a command acts as, so permissions and audit apply to it."""
    user = find_user(session, username)
    if user is None:
        raise NotFoundError(f"Aucun compte « {username} » (--user) : créez-le ou vérifiez le nom.")
    if not user.is_active:
        raise UserError(f"Le compte « {username} » est désactivé : il ne peut pas importer.")
    return to_account(session, user)


def read_file(path: Path) -> bytes:
    """Read the file to import, or say why it cannot be read."""
    if not path.is_file():
        raise UserError(f"Fichier introuvable : {path}.")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"Fichier illisible : {path} ({exc.strerror}).") from exc


def report_lines(report: ImportReport, *, outcome: str) -> list[str]:
    """Describe a preview or an import: each change, each warning, each error, then a summary."""
    lines = []
    for change in report.changes[:MAX_LISTED]:
        arrow = f"{change.before} → {change.after}" if change.before else change.after
        lines.append(
            f"  {change.sheet}, ligne {change.row} : {change.action_label} {change.what} ({arrow})"
        )
    if len(report.changes) > MAX_LISTED:
        lines.append(f"  … et {len(report.changes) - MAX_LISTED} autre(s) changement(s)")
    lines += [f"  Attention : {warning}" for warning in report.warnings[:MAX_LISTED]]
    lines += [f"  Erreur : {error}" for error in report.errors[:MAX_LISTED]]
    verb = OUTCOMES.get(outcome, outcome)
    lines.append(f"{verb} : {report.summary()}.")
    return lines
