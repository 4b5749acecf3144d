"""Write audit events: who did what, when, from which value to which."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from dashboard.db.models import AuditEvent


def _dump(value: Any) -> str:
    if value is None or value == "":
        return ""
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


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
    address: str = "",
    detail: str = "",
) -> AuditEvent:
    """Add one audit event to the session (committed with the change it describes)."""
    event = AuditEvent(
        action=action,
        user_id=user_id,
        username=username,
        entity=entity,
        entity_id=str(entity_id),
        before=_dump(before),
        after=_dump(after),
        outcome=outcome,
        address=address,
        detail=detail[:2000],
    )
    session.add(event)
    return event
