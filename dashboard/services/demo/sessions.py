"""Who wrote the illustrative audit trail (``--scale N``), and their sessions around the writes.

Used by ``trail``: a team of illustrative people per block of series, the write events they
made, and around each session of work its sign-in (sometimes after a wrong password), a few
refused actions, and its sign-out or expiry.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dashboard.services.demo.common import draw_int
from dashboard.services.demo.recipe import Params
from dashboard.services.demo.store import AUDIT_MARK as MARK

EventRow = dict[str, Any]


def _dump(value: dict[str, Any]) -> str:
    """Serialise a snapshot the way ``services.audit`` does."""
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


@dataclass
class People:
    """The illustrative user names and the office address each one signs in from."""

    editors: dict[str, list[str]]
    analysts: list[str]
    addresses: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, params: Params, acronyms: list[str], team: int) -> People:
        """Name one team: ``editors_per_cti`` editors per CTI and ``analysts`` analysts.

        Each block of series has its own team (ten times the indicators, ten times the staff),
        so that nobody has two sessions at once and the trail grows with the scale.
        """
        per_cti, count = int(params.number("editors_per_cti")), int(params.number("analysts"))
        first_editor, first_analyst = team * per_cti + 1, team * count + 1
        editors = {
            a: [f"{a.lower()}.saisie{i}" for i in range(first_editor, first_editor + per_cti)]
            for a in sorted(acronyms)
        }
        analysts = [f"ministere.analyste{i}" for i in range(first_analyst, first_analyst + count)]
        people = cls(editors, analysts)
        for office, names in enumerate([analysts, *editors.values()], start=1):
            for desk, name in enumerate(names, start=11):
                people.addresses[name] = f"10.{20 + team % 200}.{office}.{desk}"
        return people


class Block:
    """The events of one block of entries, and when each user was at work."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.events: list[EventRow] = []
        # user name -> [(time of a write, CTI id of an editor's write or "", indicator code)]
        self.work: dict[str, list[tuple[datetime, str, str]]] = defaultdict(list)

    def add(
        self,
        at: datetime,
        username: str,
        action: str,
        *,
        entity: str,
        entity_id: object,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        detail: str = "",
        cti: tuple[str, str] = ("", ""),
    ) -> None:
        """Record one write and remember that its author was signed in then."""
        self.events.append(
            {
                "at": at,
                "user_id": None,
                "username": username,
                "action": action,
                "entity": entity,
                "entity_id": str(entity_id),
                "before": _dump(before) if before else "",
                "after": _dump(after) if after else "",
                "outcome": "ok",
                "address": "",
                "detail": f"{MARK} ; {detail}" if detail else MARK,
            }
        )
        self.work[username].append((at, *cti))

    def _sessions(self, gap: timedelta) -> Iterator[tuple[str, list[tuple[datetime, str, str]]]]:
        """Cut each user's writes into sessions: a new one each day or after a long pause."""
        for username, writes in sorted(self.work.items()):
            writes.sort()
            current = [writes[0]]
            for write in writes[1:]:
                if write[0].date() != current[-1][0].date() or write[0] - current[-1][0] > gap:
                    yield username, current
                    current = []
                current.append(write)
            yield username, current

    def sessions(self, people: People, params: Params) -> list[EventRow]:
        """Return every event with, around each session of work, its sign-in and sign-out."""
        lead, lag = params.pair("login_lead_minutes"), params.pair("logout_lag_minutes")
        gap = timedelta(minutes=params.number("session_gap_minutes"))
        rows = []
        for username, writes in self._sessions(gap):
            address = people.addresses.get(username, "")
            first, cti_id, code = writes[0]
            start = first - timedelta(minutes=draw_int(self.rng, lead))
            if self.rng.random() < params.number("failed_login_share"):
                rows.append(_sign(start - timedelta(minutes=1), username, address, failed=True))
            rows.append(_sign(start, username, address))
            if cti_id and self.rng.random() < params.number("refusal_share"):
                at = first + timedelta(minutes=1)
                rows.append(_refusal(at, username, address, cti_id, f"validate {code}"))
            end = writes[-1][0] + timedelta(minutes=draw_int(self.rng, lag))
            timeout = self.rng.random() < params.number("timeout_share")
            rows.append(_sign_out(end, username, address, timeout=timeout))
        for event in self.events:
            event["address"] = people.addresses.get(event["username"], "")
        return sorted(rows + self.events, key=lambda e: (e["at"], e["username"], e["action"]))


def _event(at: datetime, username: str, address: str, action: str, **values: str) -> EventRow:
    row = {
        "at": at,
        "user_id": None,
        "username": username,
        "action": action,
        "entity": "user",
        "entity_id": "",
        "before": "",
        "after": "",
        "outcome": "ok",
        "address": address,
        "detail": MARK,
    }
    row.update(values)
    return row


def _sign(at: datetime, username: str, address: str, *, failed: bool = False) -> EventRow:
    if failed:
        return _event(
            at,
            username,
            address,
            "auth.login",
            outcome="failed",
            detail=f"{MARK} ; mot de passe incorrect",
        )
    return _event(at, username, address, "auth.login")


def _sign_out(at: datetime, username: str, address: str, *, timeout: bool) -> EventRow:
    if timeout:
        return _event(
            at + timedelta(hours=1),
            username,
            address,
            "auth.session_end",
            detail=f"{MARK} ; session expirée (inactivité)",
        )
    return _event(at, username, address, "auth.logout")


def _refusal(at: datetime, username: str, address: str, cti_id: str, what: str) -> EventRow:
    """A CTI editor trying to validate a value: the permission check refuses and logs it."""
    return _event(
        at,
        username,
        address,
        "validate_progress",
        entity="cti",
        entity_id=cti_id,
        outcome="refused",
        detail=f"{MARK} ; {what}",
    )
