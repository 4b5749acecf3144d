"""Import an entry workbook: preview what it would change, then apply it all or nothing.

The preview runs the very same writes as the import, in a transaction that is then rolled
back, so what it announces is exactly what applying will do, including rules that depend on
earlier rows of the same file (two commitments that together exceed an envelope).
"""

from __future__ import annotations

import hashlib
from datetime import date

from sqlmodel import Session

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, require
from dashboard.i18n import use_lang
from dashboard.services.entry import guarded, record_ok
from dashboard.services.import_budget import import_budget
from dashboard.services.import_progress import import_progress
from dashboard.services.import_report import ImportErrors, ImportReport
from dashboard.services.progress_rules import current_plan
from dashboard.services.safe_parse import parse_workbook

ENTITY = "file"


def _run(
    session: Session, account: Account | None, content: bytes, *, today: date, submit: bool
) -> ImportReport:
    """Read the file and write every row in the session; errors are collected, not raised."""
    parsed = parse_workbook(content)  # in a child process: a runaway file cannot harm us
    report = ImportReport(sha256=hashlib.sha256(content).hexdigest(), errors=list(parsed.errors))
    plan = current_plan(session)
    assert plan.id is not None
    import_progress(session, account, parsed, report, plan_id=plan.id, today=today, submit=submit)
    import_budget(session, account, parsed, report, plan_id=plan.id, today=today, submit=submit)
    return report


def preview_import(
    *, session: Session, account: Account | None, content: bytes, today: date, submit: bool = False
) -> ImportReport:
    """Say what importing the file would add or change and list every error; change nothing."""
    require(
        account,
        Action.IMPORT_FILE,
        account.cti_id if account else None,
        session=session,
        detail="aperçu d'import",
    )
    try:
        return _run(session, account, content, today=today, submit=submit)
    finally:
        session.rollback()


def apply_import(
    *,
    session: Session,
    account: Account | None,
    content: bytes,
    today: date,
    submit: bool = False,
    filename: str = "",
) -> ImportReport:
    """Apply the file in the caller's transaction, or refuse it whole (audited) on any error."""
    require(
        account,
        Action.IMPORT_FILE,
        account.cti_id if account else None,
        session=session,
        detail=f"import {filename}",
    )
    digest = hashlib.sha256(content).hexdigest()

    def work() -> ImportReport:
        report = _run(session, account, content, today=today, submit=submit)
        if report.errors:
            raise ImportErrors(report)
        if report.changes:
            with use_lang("fr"):  # the audit log keeps its details in French
                summary = report.summary()
            record_ok(
                session,
                account,
                action="import.apply",
                entity=ENTITY,
                entity_id=digest[:16],
                after=report.counts(),
                detail=f"{filename} : {summary}",
            )
        report.applied = True
        return report

    return guarded(
        session, account, work, action="import.apply", entity=ENTITY, entity_id=digest[:16]
    )
