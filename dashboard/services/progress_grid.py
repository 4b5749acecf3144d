"""Saving the entry grid: all the indicators of a CTI for one period, all or nothing."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, require
from dashboard.db.models import EntryStatus, ProgressUpdate
from dashboard.domain.numbers import parse_number
from dashboard.domain.periods import Period
from dashboard.domain.validation import Issue
from dashboard.domain.workflow import Step
from dashboard.i18n import _, pair
from dashboard.services.entry import (
    ConcurrentEntry,
    StaleVersionError,
    ValidationFailed,
    guarded,
)
from dashboard.services.errors import UserError
from dashboard.services.progress_rules import indicator_context, to_period
from dashboard.services.progress_workflow import step_entry
from dashboard.services.progress_writes import ENTITY, create_entry, edit_entry


@dataclass(frozen=True)
class GridEntry:
    """One edited row of the grid, as the page sends it (ids re-checked on the server)."""

    indicator_id: int
    value: Any
    comment: str = ""
    update_id: int | None = None
    version: int | None = None


@dataclass(frozen=True)
class GridOutcome:
    """How many rows were written, and the warnings per indicator code."""

    saved: int
    unchanged: int
    warnings: tuple[str, ...] = ()


class GridErrors(UserError):
    """Some rows are refused (nothing was saved); ``errors`` lists them by indicator code."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(_("Rien n'a été enregistré : {errors}", errors=" | ".join(errors)))
        self.errors = errors


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _unchanged(row: ProgressUpdate, entry: GridEntry) -> bool:
    try:  # read as the save will read it: the language's separators (domain/numbers.py)
        same = math.isclose(row.value, parse_number(entry.value), abs_tol=1e-9)
    except ValueError:
        return False
    return same and row.comment == entry.comment.strip()


def _save_one(
    session: Session,
    account: Account | None,
    entry: GridEntry,
    *,
    cti_id: int,
    period: Period,
    today: date,
    submit: bool,
) -> tuple[int, tuple[Issue, ...]]:
    """Save one row; return (rows written, warnings)."""
    ctx = indicator_context(session, entry.indicator_id)
    if ctx.cti_id != cti_id:
        raise UserError(_("L'indicateur {code} n'appartient pas à ce CTI.", code=ctx.code))
    args = {"raw_value": entry.value, "comment": entry.comment, "today": today, "submit": submit}
    if entry.update_id is None:
        return 1, create_entry(session, account, ctx, period=period, **args).warnings
    row = session.get(ProgressUpdate, entry.update_id)
    if (
        row is None
        or row.indicator_id != ctx.indicator_id
        or to_period(row.year, row.quarter) != period
    ):
        raise UserError(_("Ligne périmée : rechargez la grille."))
    if row.status != EntryStatus.REJECTED.value and _unchanged(row, entry):
        if submit and row.status == EntryStatus.DRAFT.value:
            step_entry(session, account, row, ctx, step=Step.SUBMIT, version=entry.version)
            return 1, ()
        return 0, ()
    saved = edit_entry(session, account, row, ctx, version=entry.version, **args)
    return 1, saved.warnings


def save_grid(
    *,
    session: Session,
    account: Account | None,
    cti_id: int,
    period: Period,
    entries: list[GridEntry],
    today: date,
    submit: bool = False,
) -> GridOutcome:
    """Save every filled row of the grid as drafts (or submitted); refuse all if one is wrong."""
    require(
        account, Action.ENTER_PROGRESS, cti_id, session=session, detail=f"grille {period.label()}"
    )
    if submit:
        require(account, Action.SUBMIT_PROGRESS, cti_id, session=session, detail="grille")

    def work() -> GridOutcome:
        errors: list[str] = []
        warnings: list[str] = []
        saved = unchanged = 0
        for entry in entries:
            if _blank(entry.value):
                continue
            code = indicator_context(session, entry.indicator_id).code
            try:
                count, issues = _save_one(
                    session,
                    account,
                    entry,
                    cti_id=cti_id,
                    period=period,
                    today=today,
                    submit=submit,
                )
            except (ConcurrentEntry, StaleVersionError):
                raise  # the session was rolled back: stop here, nothing is saved
            except ValidationFailed as exc:
                errors += [pair(code, issue.message) for issue in exc.result.errors]
                continue
            except UserError as exc:
                errors.append(pair(code, exc))
                continue
            saved += count
            unchanged += 1 - count
            warnings += [pair(code, issue.message) for issue in issues]
        if errors:
            raise GridErrors(errors)
        return GridOutcome(saved, unchanged, tuple(warnings))

    return guarded(session, account, work, action="progress.grid", entity=ENTITY, entity_id=cti_id)
