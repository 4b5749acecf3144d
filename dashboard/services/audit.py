"""The audit trail: write events (who did what, when, from which value to which) and read them.

Reading gives each event in words as well (``audit_words``): the page shows the words, the CSV
export both the technical columns and the words.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dashboard.db.models import AuditEvent
from dashboard.domain.csv_cells import csv_inert_text
from dashboard.i18n import N_, _
from dashboard.services.audit_words import (
    Names,
    action_label,
    changes,
    load_json,
    load_names,
)

if TYPE_CHECKING:
    from dashboard.auth.account import Account

OUTCOMES = ("ok", "failed", "refused")
OUTCOME_LABELS = {"ok": N_("Réussi"), "failed": N_("Échec"), "refused": N_("Refusé")}
MAX_ROWS = 500  # shown on the page, as the other long lists; the CSV export: MAX_EXPORT_ROWS
MAX_EXPORT_ROWS = 100_000
CSV_COLUMNS = (
    ("at", "date_utc"),
    ("username", "utilisateur"),
    ("action", "action"),
    ("outcome", "resultat"),
    ("entity", "objet"),
    ("entity_id", "identifiant"),
    ("before", "avant"),
    ("after", "apres"),
    ("address", "adresse"),
    ("detail", "detail"),
)
# The same events in words, after the technical columns (headers in the reader's language).
READABLE_COLUMNS = (
    ("action_label", N_("Action en clair")),
    ("outcome_label", N_("Résultat en clair")),
    ("object_label", N_("Objet en clair")),
    ("changes", N_("Changements")),
)


def _dump(value: Any) -> str:
    if value is None or value == "":
        return ""
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def request_address() -> str:
    """Return the client address of the current HTTP request, or "" outside a request."""
    from flask import has_request_context, request

    if has_request_context():
        return (request.remote_addr or "")[:64]
    return ""


def record(
    session: Session,
    *,
    action: str,
    user_id: int | None = None,
    username: str = "",
    entity: str = "",
    entity_id: object = "",
    before: Any = None,
    after: Any = None,
    outcome: str = "ok",
    address: str | None = None,
    detail: str = "",
) -> AuditEvent:
    """Add one audit event to the session (committed with the change it describes)."""
    event = AuditEvent(
        action=action[:60],
        user_id=user_id,
        username=username,
        entity=entity,
        entity_id=str(entity_id),
        before=_dump(before),
        after=_dump(after),
        outcome=outcome,
        address=request_address() if address is None else address,
        detail=detail[:2000],
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page asks for; None means "any"."""

    username: str | None = None
    action: str | None = None
    outcome: str | None = None
    start: date | None = None
    end: date | None = None


def _require_audit(session: Session, actor: Account | None) -> None:
    from dashboard.auth.permissions import Action, require

    require(actor, Action.VIEW_AUDIT, session=session, detail="journal d'audit")


def search_events(
    session: Session, *, actor: Account | None, filters: AuditFilter, limit: int = MAX_ROWS
) -> list[AuditEvent]:
    """Return the newest events matching the filters (admins and analysts only)."""
    _require_audit(session, actor)
    query = select(AuditEvent)
    if filters.username:
        query = query.where(AuditEvent.username == filters.username)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.outcome:
        query = query.where(AuditEvent.outcome == filters.outcome)
    if filters.start:
        query = query.where(AuditEvent.at >= datetime.combine(filters.start, time(), UTC))
    if filters.end:
        end = datetime.combine(filters.end + timedelta(days=1), time(), UTC)
        query = query.where(AuditEvent.at < end)
    query = query.order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc()).limit(limit)
    return list(session.exec(query).all())


def distinct_values(session: Session, column: str) -> list[str]:
    """Return the different non-empty values of an indexed audit column, in the index's order.

    ``SELECT DISTINCT`` reads the whole trail: seconds for a million events. Walking the index
    from one value to the next (each step a ``MIN(...) WHERE value > previous`` seek) takes a
    few milliseconds for the few hundred names or actions there are.
    """
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    field = table.c[column]
    later = table.alias("later")
    walk = select(func.min(field).label("value")).cte("walk", recursive=True)
    step = select(func.min(later.c[column])).where(later.c[column] > walk.c.value).scalar_subquery()
    walk = walk.union_all(sa_select(step).where(walk.c.value.is_not(None)))
    rows = session.connection().execute(sa_select(walk.c.value))
    return [value for (value,) in rows if value]


def filter_choices(session: Session, *, actor: Account | None) -> dict[str, list[str]]:
    """Return the user names and actions that appear in the trail, for the page's filters."""
    _require_audit(session, actor)
    return {
        "usernames": distinct_values(session, "username"),
        "actions": distinct_values(session, "action"),
    }


def _when(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def event_rows(events: list[AuditEvent], names: Names | None = None) -> list[dict[str, str]]:
    """Turn events into plain rows (strings only) for a grid or a file.

    Each row has the technical columns (codes, ids, JSON) and the same in words: the action,
    the object named (``names``, from ``load_names``) and the fields changed, before → after.
    """
    names = names or Names()
    rows = []
    for e in events:
        before, after = load_json(e.before), load_json(e.after)
        rows.append(
            {
                "id": str(e.id),
                "at": _when(e.at),
                "username": e.username,
                "action": e.action,
                "action_label": action_label(e.action),
                "outcome": e.outcome,
                "outcome_label": _(OUTCOME_LABELS.get(e.outcome, e.outcome)),
                "entity": e.entity,
                "entity_id": e.entity_id,
                "object_label": names.of(e, before, after),
                "changes": changes(before, after),
                "before": e.before,
                "after": e.after,
                "address": e.address,
                "detail": e.detail,
            }
        )
    return rows


def readable_events(
    session: Session, *, actor: Account | None, filters: AuditFilter, limit: int = MAX_ROWS
) -> list[dict[str, str]]:
    """Return the newest matching events as rows, their objects named (audit readers only)."""
    events = search_events(session, actor=actor, filters=filters, limit=limit)
    return event_rows(events, load_names(session, events))


def events_csv(rows: list[dict[str, str]]) -> str:
    """Write rows as CSV (semicolon-separated, as French Excel expects), formulas neutralised."""
    out = io.StringIO()
    # Every field quoted and every piece inert: Excel set to "," splits on commas (csv_cells).
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(
        [header for _key, header in CSV_COLUMNS] + [_(h) for _key, h in READABLE_COLUMNS]
    )
    keys = [key for key, _header in CSV_COLUMNS + READABLE_COLUMNS]
    for row in rows:
        writer.writerow([csv_inert_text(row.get(key, "")) for key in keys])
    return out.getvalue()


def export_csv(session: Session, *, actor: Account | None, filters: AuditFilter) -> str:
    """Return the matching events as CSV for Excel (with a BOM), and log the export."""
    rows = readable_events(session, actor=actor, filters=filters, limit=MAX_EXPORT_ROWS)
    assert actor is not None  # search_events refused anonymous callers
    record(
        session,
        action="audit.export",
        user_id=actor.id,
        username=actor.username,
        detail=f"{len(rows)} lignes ; filtres : {filters}",
    )
    return "\ufeff" + events_csv(rows)
