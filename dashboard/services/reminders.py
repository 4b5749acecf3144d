"""Who is reminded of what, and the run behind ``python -m dashboard remind``.

The rules (``due_reminders``):
- a value returned (rejected) and not entered again: its author, or the editors of its CTI
  when the author has no active account;
- submitted values waiting for validation: every analyst, one reminder per CTI and period;
- a period coming due (within the rule's lead days) or overdue, with values still to submit:
  the editors of that CTI, once per period and kind;
- nothing about a validated period, nothing to disabled accounts.

``run_reminders`` stores the new reminders (never twice: see ``notifications.store``), queues
their e-mails when SMTP is configured, sends what the outbox holds, and records the run in
the audit trail.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.engine import session_scope
from dashboard.db.models import Contract, Cti, EntryStatus, Indicator, ProgressUpdate, Role, User
from dashboard.domain.calendar import (
    PeriodStatus,
    ReminderKind,
    ReportState,
    ValueState,
    cti_reminder,
)
from dashboard.domain.periods import Period
from dashboard.i18n import N_, _, ngettext, use_lang
from dashboard.services import audit, mailer
from dashboard.services.calendar import Freshness, build_freshness, value_statuses
from dashboard.services.formatting import fmt_value
from dashboard.services.notifications import Reminder, store, text_of, title_of

PAGE_NAMES = {
    "/updates": N_("Saisie de l'avancement"),
    "/updates/validation": N_("Validation"),
    "/calendar": N_("Calendrier de saisie"),
}


def _active_users(session: Session) -> list[User]:
    return list(session.exec(select(User).where(col(User.is_active))).all())


def _period_reminders(view: Freshness, editors: dict[int, list[User]]) -> list[Reminder]:
    """Coming due and overdue periods, for the editors of each CTI."""
    found = []
    for cti in view.ctis:
        for status in cti.periods:
            kind = cti_reminder(status, today=view.today, rule=view.rule)
            if kind is None:
                continue
            label = status.period.label()
            params = {
                "cti": cti.acronym,
                "period": label,
                "due": status.due.isoformat(),
                "days": status.days_late,
                "missing": status.to_submit,
                "total": cti.indicators,
            }
            for user in editors.get(cti.cti_id, []):
                assert user.id is not None
                found.append(
                    Reminder(
                        user_id=user.id,
                        kind=kind,
                        dedupe_key=f"{kind.value}:u{user.id}:c{cti.cti_id}:{label}",
                        params=params,
                        link="/updates",
                        cti_id=cti.cti_id,
                        period=label,
                    )
                )
    return found


def _validation_reminders(view: Freshness, analysts: list[User]) -> list[Reminder]:
    """Submitted values waiting for validation, for every analyst, per CTI and period."""
    found = []
    for cti in view.ctis:
        for status in cti.periods:
            if not status.to_validate or status.progress == ReportState.VALIDATED:
                continue
            label = status.period.label()
            for user in analysts:
                assert user.id is not None
                found.append(
                    Reminder(
                        user_id=user.id,
                        kind=ReminderKind.TO_VALIDATE,
                        dedupe_key=f"to_validate:u{user.id}:c{cti.cti_id}:{label}",
                        params={"cti": cti.acronym, "period": label, "count": status.to_validate},
                        link="/updates/validation",
                        cti_id=cti.cti_id,
                        period=label,
                    )
                )
    return found


def _returned_values(session: Session, plan_id: int) -> list[tuple[ProgressUpdate, Indicator, Cti]]:
    """Return the rejected values of the plan, newest first, with their indicator and CTI."""
    query = (
        select(ProgressUpdate, Indicator, Cti)
        .join(Indicator, col(Indicator.id) == col(ProgressUpdate.indicator_id))
        .join(Contract, col(Contract.id) == col(Indicator.contract_id))
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .where(
            Contract.plan_id == plan_id,
            ProgressUpdate.status == EntryStatus.REJECTED.value,
            col(ProgressUpdate.is_superseded).is_(False),
        )
        .order_by(col(ProgressUpdate.id).desc())
    )
    return [tuple(row) for row in session.exec(query).all()]  # type: ignore[misc]


def _return_reminders(
    session: Session, view: Freshness, users: dict[int, User], editors: dict[int, list[User]]
) -> list[Reminder]:
    """Values returned and not entered again: to their author, or to the CTI's editors."""
    rows = _returned_values(session, view.plan_id)
    years = (view.periods[0].year, view.periods[-1].year)
    current = value_statuses(session, sorted({u.indicator_id for u, _i, _c in rows}), years)
    states: dict[tuple[int, str], PeriodStatus] = {
        (c.cti_id, s.period.label()): s for c in view.ctis for s in c.periods
    }
    found, seen = [], set()
    for update, indicator, cti in rows:
        key = (update.indicator_id, update.year, update.quarter)
        period = Period(update.year, update.quarter or None)
        statuses = current.get(update.indicator_id, {}).get((update.year, update.quarter), set())
        if key in seen or ValueState.REJECTED.value not in statuses or len(statuses) > 1:
            continue  # an older rejection, or a value entered again since
        seen.add(key)
        status = states.get((cti.id or 0, period.label()))
        if status is not None and status.progress == ReportState.VALIDATED:
            continue
        author = users.get(update.created_by_id or 0)
        recipients = [author] if author else editors.get(cti.id or 0, [])
        params = {
            "cti": cti.acronym,
            "code": indicator.code,
            "label": indicator.label,
            "period": period.label(),
            "value": fmt_value(update.value, indicator.unit),
            "reason": update.rejection_reason or "—",
        }
        for user in recipients:
            found.append(
                Reminder(
                    user_id=user.id or 0,
                    kind=ReminderKind.VALUE_RETURNED,
                    dedupe_key=f"value_returned:u{user.id}:v{update.id}",
                    params=params,
                    link="/updates",
                    cti_id=cti.id,
                    period=period.label(),
                )
            )
    return found


def due_reminders(session: Session, *, today: date) -> list[Reminder]:
    """Return every reminder the rules call for today (stored or not yet)."""
    view = build_freshness(session, today=today)
    users = _active_users(session)
    editors: dict[int, list[User]] = defaultdict(list)
    for user in users:
        if user.role == Role.CTI_EDITOR and user.cti_id is not None:
            editors[user.cti_id].append(user)
    analysts = [u for u in users if u.role == Role.ANALYST]
    by_id = {u.id: u for u in users if u.id is not None}
    return (
        _return_reminders(session, view, by_id, editors)
        + _validation_reminders(view, analysts)
        + _period_reminders(view, editors)
    )


def mail_body(user: User, reminder: Reminder, base_url: str) -> str:
    """Write the e-mail of a reminder in the language in force (see ``queue_mails``)."""
    name = user.full_name or user.username
    text = text_of(reminder.kind, reminder.params)
    page = _(PAGE_NAMES[reminder.link]) if reminder.link in PAGE_NAMES else reminder.link
    where = (
        _("Ouvrir : {url}", url=f"{base_url.rstrip('/')}{reminder.link}")
        if base_url
        else _("Ouvrez le tableau de bord, page « {page} ».", page=page)
    )
    return _(
        "Bonjour {name},\n\n{text}\n\n{where}\n\nCe rappel ne vous est envoyé qu'une fois ; "
        "tous vos rappels restent dans le tableau de bord, page « {calendar} ».",
        name=name,
        text=text,
        where=where,
        calendar=_(PAGE_NAMES["/calendar"]),
    )


def queue_mails(
    session: Session, created: list[tuple[Reminder, int]], *, base_url: str = ""
) -> tuple[int, int]:
    """Queue one e-mail per new reminder, in its reader's language; return (queued, skipped).

    ``skipped`` counts the people without a valid address.
    """
    users = {u.id: u for u in session.exec(select(User)).all()}
    queued = skipped = 0
    for reminder, notification_id in created:
        user = users.get(reminder.user_id)
        address = user.email.strip() if user else ""
        if user is None or not mailer.ADDRESS_RE.match(address):
            skipped += 1
            continue
        with use_lang(user.language):
            row = mailer.queue_mail(
                session,
                kind=reminder.kind.value,
                to=address,
                subject=title_of(reminder.kind, reminder.params),
                body=mail_body(user, reminder, base_url),
                dedupe_key=f"mail:{reminder.dedupe_key}",
                user_id=user.id,
                notification_id=notification_id,
            )
        queued += row is not None
    return queued, skipped


@dataclass
class RemindReport:
    """What ``run_reminders`` did: reminders given, e-mails queued and sent, failures."""

    today: date
    created: Counter[str] = field(default_factory=Counter)
    queued: int = 0
    without_address: int = 0
    mail: mailer.MailReport = field(default_factory=mailer.MailReport)
    smtp: bool = False
    waiting_without_smtp: int = 0

    @property
    def ok(self) -> bool:
        """Tell whether every e-mail due was sent (the command exits 0 only then)."""
        return not self.mail.failures


def run_reminders(
    *, engine: Engine, today: date, smtp: mailer.SmtpConfig | None, base_url: str = ""
) -> RemindReport:
    """Give the reminders due today, queue their e-mails (with SMTP), send what is due."""
    report = RemindReport(today=today, smtp=smtp is not None)
    with session_scope(engine) as session:
        created = store(session, due_reminders(session, today=today))
        report.created.update(r.kind.value for r, _id in created)
        if smtp is not None:
            report.queued, report.without_address = queue_mails(session, created, base_url=base_url)
    if smtp is not None:
        report.mail = mailer.send_pending(engine=engine, config=smtp)
    else:
        report.waiting_without_smtp = len(mailer.pending_ids(engine))
    with session_scope(engine) as session:
        audit.record(
            session,
            action="remind.run",
            username="cli",
            after={
                "today": today.isoformat(),
                "notifications": dict(report.created),
                "mails_queued": report.queued,
                "mails_sent": report.mail.sent,
                "mails_failed": report.mail.failed,
                "mails_abandoned": report.mail.abandoned,
            },
            outcome="ok" if report.ok else "failed",
            address="",
            detail="; ".join(f"{f.to} : {f.error}" for f in report.mail.failures),
        )
    return report


KIND_LABELS = {
    ReminderKind.VALUE_RETURNED: N_("valeur renvoyée"),
    ReminderKind.TO_VALIDATE: N_("à valider"),
    ReminderKind.PERIOD_DUE_SOON: N_("échéance proche"),
    ReminderKind.PERIOD_OVERDUE: N_("en retard"),
}


def report_lines(report: RemindReport) -> list[str]:
    """Describe a run for the command line, in the language in force (one fact a line)."""
    total = sum(report.created.values())
    detail = ", ".join(f"{_(label)} {report.created[k.value]}" for k, label in KIND_LABELS.items())
    lines = [
        _(
            "Rappels du {day} : {total} ({detail}).",
            day=report.today.isoformat(),
            total=ngettext("{n} nouveau", "{n} nouveaux", total),
            detail=detail,
        )
    ]
    if not report.smtp:
        lines.append(
            _("Courriels : SMTP_URL non configuré, aucun envoi (rappels dans l'application).")
        )
        if report.waiting_without_smtp:
            lines.append(
                ngettext(
                    "{n} courriel attend dans la file : configurez SMTP_URL pour l'envoyer.",
                    "{n} courriels attendent dans la file : configurez SMTP_URL pour les envoyer.",
                    report.waiting_without_smtp,
                )
            )
        return lines
    mail = report.mail
    lines.append(
        _(
            "Courriels : {queued} mis en file ({without}) ; {sent}, {failed} en échec, "
            "{abandoned}.",
            queued=report.queued,
            without=ngettext(
                "{n} personne sans adresse e-mail",
                "{n} personnes sans adresse e-mail",
                report.without_address,
            ),
            sent=ngettext("{n} envoyé", "{n} envoyés", mail.sent),
            failed=mail.failed,
            abandoned=ngettext("{n} abandonné", "{n} abandonnés", mail.abandoned),
        )
    )
    for failure in mail.failures:
        outcome = (
            _("refus définitif, abandonné")
            if failure.abandoned
            else _("conservé, nouvel essai au prochain passage")
        )
        lines.append(
            _(
                "Échec n° {id} à {to} « {subject} » : {error} ({outcome}).",
                id=failure.outbox_id,
                to=failure.to,
                subject=failure.subject,
                error=failure.error,
                outcome=outcome,
            )
        )
    return lines
