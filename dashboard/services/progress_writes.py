"""The writes behind progress entry: add a value, edit a pending one, correct a validated one.

These run inside the public services of ``progress`` (which check the caller and turn any
refusal into a rolled-back, audited error); the Excel import calls them too, so a row of a
file passes exactly the rules of the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from dashboard.auth.account import Account
from dashboard.db.models import EntryStatus, Origin, ProgressUpdate, utcnow
from dashboard.domain.periods import Period
from dashboard.domain.validation import Issue, ValidationResult, clean_text, fmt_num
from dashboard.domain.workflow import Step, TransitionError, next_state
from dashboard.i18n import _, term
from dashboard.services import evidence as evidence_files
from dashboard.services.entry import (
    ConcurrentEntry,
    ValidationFailed,
    bump,
    check_version,
    record_ok,
    transition_error,
)
from dashboard.services.errors import NotFoundError
from dashboard.services.progress_rules import (
    IndicatorContext,
    check_entry,
    indicator_context,
    pending_conflict,
    pending_for,
    read_value,
    snapshot,
    to_period,
    validated_for,
)

ENTITY = "progress"


@dataclass(frozen=True)
class Saved:
    """The entry written, and the warnings to show to the person who entered it."""

    entry: ProgressUpdate
    warnings: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class Attachment:
    """An evidence file sent with a value, and where files are kept."""

    upload: evidence_files.Upload
    directory: Path


def load_entry(session: Session, update_id: int) -> tuple[ProgressUpdate, IndicatorContext]:
    """Return a progress entry and its indicator's context, or say it does not exist."""
    row = session.get(ProgressUpdate, update_id)
    if row is None:
        raise NotFoundError(_("Valeur introuvable (n° {id}) : rechargez la page.", id=update_id))
    return row, indicator_context(session, row.indicator_id)


def flush_entry(session: Session, period: Period) -> None:
    """Flush, turning the database's one-pending-value index into a message for people."""
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ConcurrentEntry(
            ValidationResult.error(
                "period",
                _(
                    "Une autre valeur en attente vient d'être enregistrée pour {period} : "
                    "rechargez la page pour la voir et la modifier.",
                    period=period.display(),
                ),
            )
        ) from None


def checked_value(
    session: Session,
    ctx: IndicatorContext,
    *,
    period: Period,
    raw_value: Any,
    comment: str,
    today: date,
    replacing: int | None,
    extra: ValidationResult | None = None,
) -> tuple[float, ValidationResult]:
    """Apply every rule to an entry; raise ValidationFailed with per-field messages."""
    value, result = read_value(raw_value)
    if extra is not None:
        result += extra
    if value is not None:
        result += check_entry(
            session, ctx, period=period, value=value, comment=comment, today=today
        )
    other = pending_for(session, ctx.indicator_id, period, other_than=replacing)
    if other is not None:
        result += pending_conflict(session, other, period)
    if not result.ok or value is None:
        raise ValidationFailed(result)
    return value, result


def _store(attachment: Attachment | None) -> tuple[str, str] | None:
    """Store an evidence file; return its (name, checksum), or None when there is none."""
    if attachment is None:
        return None
    stored = evidence_files.store(attachment.upload, attachment.directory)
    return stored.name, stored.sha256


def new_row(
    account: Account | None,
    ctx: IndicatorContext,
    *,
    period: Period,
    value: float,
    comment: str,
    submit: bool,
    **extra: Any,
) -> ProgressUpdate:
    now = utcnow()
    # Free texts (a correction's reason) are stored cleaned, as the comment is.
    cleaned: dict[str, Any] = {
        k: clean_text(v) if isinstance(v, str) else v for k, v in extra.items()
    }
    return ProgressUpdate(
        indicator_id=ctx.indicator_id,
        year=period.year,
        quarter=period.quarter or 0,
        value=value,
        comment=clean_text(comment),
        status=EntryStatus.SUBMITTED.value if submit else EntryStatus.DRAFT.value,
        created_by_id=account.id if account else None,
        created_at=now,
        updated_at=now,
        submitted_at=now if submit else None,
        **cleaned,
    )


def create_entry(
    session: Session,
    account: Account | None,
    ctx: IndicatorContext,
    *,
    period: Period,
    raw_value: Any,
    comment: str,
    today: date,
    submit: bool,
    attachment: Attachment | None = None,
    supersedes_id: int | None = None,
) -> Saved:
    """Add a new draft (or submitted) value; refuse if the period's value is validated."""
    official = validated_for(session, ctx.indicator_id, period)
    locked = None
    if official is not None:
        locked = ValidationResult.error(
            "period",
            _(
                "La valeur de {period} est déjà validée ({value}) : elle est verrouillée. "
                "Utilisez « Corriger » en indiquant un motif.",
                period=period.display(),
                value=f"{fmt_num(official.value)} {term(ctx.unit)}".strip(),
            ),
        )
    value, result = checked_value(
        session,
        ctx,
        period=period,
        raw_value=raw_value,
        comment=comment,
        today=today,
        replacing=None,
        extra=locked,
    )
    row = new_row(account, ctx, period=period, value=value, comment=comment, submit=submit)
    row.supersedes_id = supersedes_id
    stored = _store(attachment)
    if stored is not None:
        row.evidence_name, row.evidence_sha256 = stored
    session.add(row)
    flush_entry(session, period)
    record_ok(
        session,
        account,
        action="progress.create",
        entity=ENTITY,
        entity_id=row.id,
        after=snapshot(row, ctx),
    )
    return Saved(row, result.warnings)


def edit_entry(
    session: Session,
    account: Account | None,
    row: ProgressUpdate,
    ctx: IndicatorContext,
    *,
    version: int | None,
    raw_value: Any,
    comment: str,
    today: date,
    submit: bool,
    attachment: Attachment | None = None,
) -> Saved:
    """Change a pending value (it becomes a draft again, or stays submitted with ``submit``).

    A rejected value is kept as it is: editing it enters a new draft that replaces it.
    """
    assert row.id is not None
    period = to_period(row.year, row.quarter)
    before = snapshot(row, ctx)
    check_version(
        session,
        entity=ENTITY,
        row_id=row.id,
        seen_version=version,
        current_version=row.version,
        current=before,
    )
    step = Step.REVISE if row.status == EntryStatus.REJECTED.value else Step.EDIT
    try:
        state = next_state(row.status, step)
        if submit:
            state = next_state(state, Step.SUBMIT)
    except TransitionError as exc:
        raise transition_error(exc) from None
    if step is Step.REVISE:
        # Check first: a refused revision must not retire the rejected value.
        checked_value(
            session,
            ctx,
            period=period,
            raw_value=raw_value,
            comment=comment,
            today=today,
            replacing=None,
        )
        bump(
            session,
            ProgressUpdate,
            row_id=row.id,
            seen_version=row.version,
            values={"is_superseded": True},
            entity=ENTITY,
            current=before,
        )
        return create_entry(
            session,
            account,
            ctx,
            period=period,
            raw_value=raw_value,
            comment=comment,
            today=today,
            submit=submit,
            attachment=attachment,
            supersedes_id=row.id,
        )
    value, result = checked_value(
        session,
        ctx,
        period=period,
        raw_value=raw_value,
        comment=comment,
        today=today,
        replacing=row.id,
    )
    now = utcnow()
    values: dict[str, Any] = {
        "value": value,
        "comment": clean_text(comment),
        "status": state.value,
        "updated_at": now,
        "submitted_at": now if submit else None,
        # Who entered a value is the account that saved it (a demo draft becomes theirs).
        "created_by_id": account.id if account else None,
        "origin": Origin.ENTERED.value,
    }
    stored = _store(attachment)
    if stored is not None:
        values["evidence_name"], values["evidence_sha256"] = stored
    bump(
        session,
        ProgressUpdate,
        row_id=row.id,
        seen_version=row.version,
        values=values,
        entity=ENTITY,
        current=before,
    )
    session.refresh(row)
    record_ok(
        session,
        account,
        action="progress.edit",
        entity=ENTITY,
        entity_id=row.id,
        before=before,
        after=snapshot(row, ctx),
    )
    return Saved(row, result.warnings)
