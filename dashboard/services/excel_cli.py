"""What the `template` and `import` commands need: the acting account and printable reports."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from dashboard.auth.account import Account
from dashboard.auth.tokens import to_account
from dashboard.i18n import N_, _, ngettext, pair
from dashboard.services.errors import NotFoundError, UserError
from dashboard.services.import_report import ImportReport
from dashboard.services.users import find_user

MAX_LISTED = 200
OUTCOMES = {
    "aperçu": N_("Aperçu (rien n'est modifié)"),
    "appliqué": N_("Import appliqué"),
    "refusé": N_("Import refusé (rien n'est modifié), il aurait fait"),
}


def account_for(session: Session, username: str) -> Account:
    """Return the active account a command acts as, so permissions and audit apply to it."""
    user = find_user(session, username)
    if user is None:
        raise NotFoundError(
            _("Aucun compte « {name} » (--user) : créez-le ou vérifiez le nom.", name=username)
        )
    if not user.is_active:
        raise UserError(
            _("Le compte « {name} » est désactivé : il ne peut pas importer.", name=username)
        )
    return to_account(session, user)


def read_file(path: Path) -> bytes:
    """Read the file to import, or say why it cannot be read."""
    if not path.is_file():
        raise UserError(_("Fichier introuvable : {path}.", path=path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(
            _("Fichier illisible : {path} ({reason}).", path=path, reason=exc.strerror)
        ) from exc


def report_lines(report: ImportReport, *, outcome: str) -> list[str]:
    """Describe a preview or an import: each change, each warning, each error, then a summary."""
    lines = []
    for change in report.changes[:MAX_LISTED]:
        arrow = f"{change.before} → {change.after}" if change.before else change.after
        where = _("{sheet}, ligne {row}", sheet=_(change.sheet), row=change.row)
        lines.append(f"  {pair(where, f'{change.action_label} {change.what} ({arrow})')}")
    if len(report.changes) > MAX_LISTED:
        more = len(report.changes) - MAX_LISTED
        lines.append(
            "  " + ngettext("… et {n} autre changement", "… et {n} autres changements", more)
        )
    lines += [f"  {pair(_('Attention'), warning)}" for warning in report.warnings[:MAX_LISTED]]
    lines += [f"  {pair(_('Erreur'), error)}" for error in report.errors[:MAX_LISTED]]
    verb = _(OUTCOMES[outcome]) if outcome in OUTCOMES else outcome
    lines.append(pair(verb, report.summary()) + ".")
    if report.ok and report.state_note():
        lines.append(report.state_note())
        if report.drafts:
            lines.append(
                _(
                    "Pour les soumettre : relancez l'import avec --submit (les valeurs "
                    "inchangées seront alors soumises), ou soumettez-les depuis la page Saisie."
                )
            )
    return lines
