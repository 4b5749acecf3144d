"""In-app notifications: record reminders once each, list them, mark them read or unread.

A reminder is stored under its key (kind, person, and the CTI and period or the value); the
unique constraint on that key means a second run, or two runs at once, never repeat one. The
French text is kept as sent; pages reword it from the kind and parameters in the reader's
language. Who is reminded of what is decided in ``dashboard.services.reminders``; a value
returned by an analyst is also given at once (``notify_returned``), under the same key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.auth.account import Account
from dashboard.db.models import (
    Contract,
    Cti,
    Indicator,
    Notification,
    ProgressUpdate,
    Role,
    User,
    utcnow,
)
from dashboard.domain.calendar import ReminderKind
from dashboard.domain.periods import Period
from dashboard.i18n import N_, _, ngettext
from dashboard.services.errors import NotFoundError
from dashboard.services.formatting import fmt_date, fmt_value

# Wording by kind: French message ids, filled from the reminder's params (translated on pages).
TITLES = {
    ReminderKind.VALUE_RETURNED: N_("Valeur renvoyée : {cti} {code} {period}"),
    ReminderKind.TO_VALIDATE: N_("À valider : {cti} {period}"),
    ReminderKind.PERIOD_DUE_SOON: N_("Saisie attendue : {cti} {period}"),
    ReminderKind.PERIOD_OVERDUE: N_("Saisie en retard : {cti} {period}"),
}
TEXTS = {
    ReminderKind.VALUE_RETURNED: N_(
        "Votre valeur {value} de l'indicateur {code} ({label}) pour {period} a été renvoyée"
        " avec ce motif : « {reason} ». Saisissez-la de nouveau puis soumettez-la."
    ),
    ReminderKind.PERIOD_DUE_SOON: N_(
        "Les valeurs de {cti} pour {period} sont attendues au plus tard le {due} : {left}"
    ),
    ReminderKind.PERIOD_OVERDUE: N_(
        "Les valeurs de {cti} pour {period} sont en retard de {late} (échéance du {due}) : {left}"
    ),
}


@dataclass(frozen=True)
class Reminder:
    """A reminder due to one person, before it is stored."""

    user_id: int
    kind: ReminderKind
    dedupe_key: str
    params: dict[str, Any] = field(default_factory=dict)
    link: str = "/calendar"
    cti_id: int | None = None
    period: str = ""


def _words(params: dict[str, Any]) -> dict[str, Any]:
    """Format the parameters kept as data (the due date is stored as ISO text)."""
    words = dict(params)
    if "due" in words:
        words["due"] = fmt_date(date.fromisoformat(str(words["due"])))
    return words


def title_of(kind: str, params: dict[str, Any], lang: str | None = None) -> str:
    """Return the title of a reminder in the language (French by default outside a request)."""
    return _(TITLES[ReminderKind(kind)], lang, **_words(params))


def text_of(kind: str, params: dict[str, Any], lang: str | None = None) -> str:
    """Return the text of a reminder in the language."""
    words = _words(params)
    if kind == ReminderKind.TO_VALIDATE:  # the counts take their form (ngettext)
        return ngettext(
            "{n} valeur de {cti} pour {period} attend votre validation.",
            "{n} valeurs de {cti} pour {period} attendent votre validation.",
            int(words["count"]),
            lang,
            cti=words.get("cti", ""),
            period=words.get("period", ""),
        )
    if "missing" in words:
        words["left"] = ngettext(
            "{n} indicateur sur {total} reste à soumettre.",
            "{n} indicateurs sur {total} restent à soumettre.",
            int(words["missing"]),
            lang,
            total=words.get("total", ""),
        )
    if "days" in words:
        words["late"] = ngettext("{n} jour", "{n} jours", int(words["days"]), lang)
    return _(TEXTS[ReminderKind(kind)], lang, **words)


def _insert_ignoring_duplicates(session: Session, values: dict[str, Any]) -> int | None:
    """Insert a notification unless its key exists; return its id, or None if it existed.

    ON CONFLICT DO NOTHING rather than a savepoint: it also holds when another run inserts the
    same key at the same moment, on SQLite and PostgreSQL alike.
    """
    table = Notification.__table__  # type: ignore[attr-defined]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(table.c.id)
    )
    new_id: int | None = session.execute(statement).scalar_one_or_none()
    return new_id


def store(session: Session, reminders: list[Reminder]) -> list[tuple[Reminder, int]]:
    """Record the reminders not already given; return each new one with its notification id."""
    keys = [r.dedupe_key for r in reminders]
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        query = select(Notification.dedupe_key).where(col(Notification.dedupe_key).in_(chunk))
        known.update(session.exec(query).all())
    created = []
    for reminder in reminders:
        if reminder.dedupe_key in known:
            continue
        known.add(reminder.dedupe_key)
        new_id = _insert_ignoring_duplicates(
            session,
            {
                "user_id": reminder.user_id,
                "kind": reminder.kind.value,
                "params": json.dumps(reminder.params, ensure_ascii=False),
                "text": text_of(reminder.kind, reminder.params, "fr"),
                "link": reminder.link,
                "cti_id": reminder.cti_id,
                "period": reminder.period,
                "created_at": utcnow(),
                "dedupe_key": reminder.dedupe_key,
            },
        )
        if new_id is not None:
            created.append((reminder, new_id))
    return created


def returned_reminders(session: Session, update: ProgressUpdate) -> list[Reminder]:
    """Return the reminders of a value just returned: its author, or its CTI's active editors.

    The same people and the same keys as the ``remind`` run's rule (``reminders``), so that a
    later run never gives the same reminder twice.
    """
    found = session.exec(
        select(Indicator, Cti)
        .join(Contract, col(Contract.id) == col(Indicator.contract_id))
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .where(col(Indicator.id) == update.indicator_id)
    ).first()
    if found is None:
        return []
    indicator, cti = found
    author = session.get(User, update.created_by_id) if update.created_by_id else None
    if author is not None and author.is_active:
        recipients = [author]
    else:
        recipients = list(
            session.exec(
                select(User).where(
                    col(User.is_active),
                    User.role == Role.CTI_EDITOR,
                    User.cti_id == cti.id,
                )
            ).all()
        )
    period = Period(update.year, update.quarter or None).label()
    params = {
        "cti": cti.acronym,
        "code": indicator.code,
        "label": indicator.label,
        "period": period,
        "value": fmt_value(update.value, indicator.unit, lang="fr"),
        "reason": update.rejection_reason or "—",
    }
    return [
        Reminder(
            user_id=user.id or 0,
            kind=ReminderKind.VALUE_RETURNED,
            dedupe_key=f"value_returned:u{user.id}:v{update.id}",
            params=params,
            link="/updates",
            cti_id=cti.id,
            period=period,
        )
        for user in recipients
    ]


def notify_returned(session: Session, update: ProgressUpdate) -> list[tuple[Reminder, int]]:
    """Put a value just returned in its editor's bell at once, with the reason.

    Without this the reminder waited for the next ``remind`` run. When the running app sends
    e-mail, the reminder's e-mail is queued too (``remind`` sends the outbox): the run only
    mails the reminders it creates itself, and it will not create this one again.
    """
    created = store(session, returned_reminders(session, update))
    if created and _app_sends_mail():
        from dashboard.services.reminders import queue_mails  # reminders imports this module

        queue_mails(session, created)
    return created


def _app_sends_mail() -> bool:
    """Tell whether the app serving this request has an SMTP server configured."""
    from flask import has_app_context

    if not has_app_context():
        return False
    from dashboard.services.context import current_settings

    return bool(current_settings().smtp_url)


@dataclass(frozen=True)
class NotificationRow:
    """One reminder in a person's list, worded in the reader's language."""

    id: int
    kind: str
    title: str
    text: str
    link: str
    created_at: datetime
    read: bool


def list_for(
    session: Session, *, account: Account, unread_only: bool = False, limit: int = 100
) -> list[NotificationRow]:
    """Return the signed-in person's reminders, newest first."""
    query = select(Notification).where(Notification.user_id == account.id)
    if unread_only:
        query = query.where(col(Notification.read_at).is_(None))
    query = query.order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
    rows = []
    for n in session.exec(query.limit(limit)).all():
        assert n.id is not None
        params = json.loads(n.params or "{}")
        rows.append(
            NotificationRow(
                id=n.id,
                kind=n.kind,
                title=title_of(n.kind, params),
                text=text_of(n.kind, params),
                link=n.link,
                created_at=n.created_at,
                read=n.read_at is not None,
            )
        )
    return rows


def unread_count(*, engine: Engine, user_id: int) -> int:
    """Return how many unread reminders a person has (for a badge in the page header)."""
    query = select(func.count()).where(
        Notification.user_id == user_id, col(Notification.read_at).is_(None)
    )
    with Session(engine) as session:
        return int(session.exec(query).one())


def mark_read(
    session: Session, *, account: Account, notification_id: int, read: bool = True
) -> None:
    """Mark one of the signed-in person's reminders read (or unread again)."""
    row = session.get(Notification, notification_id)
    if row is None or row.user_id != account.id:
        # Someone else's reminder is reported as missing: its existence is not theirs to know.
        raise NotFoundError(_("Rappel introuvable : rechargez la page."))
    row.read_at = utcnow() if read else None
    session.add(row)


def mark_all_read(session: Session, *, account: Account) -> int:
    """Mark every unread reminder of the signed-in person read; return how many."""
    query = select(Notification).where(
        Notification.user_id == account.id, col(Notification.read_at).is_(None)
    )
    rows = session.exec(query).all()
    now = utcnow()
    for row in rows:
        row.read_at = now
        session.add(row)
    return len(rows)


def toggle_read(session: Session, *, account: Account, notification_id: int) -> bool:
    """Switch one of the signed-in person's reminders between read and unread; return read."""
    row = session.get(Notification, notification_id)
    read = row is not None and row.read_at is None
    mark_read(session, account=account, notification_id=notification_id, read=read)
    return read
