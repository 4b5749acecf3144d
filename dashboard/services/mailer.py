"""E-mail through any SMTP server (SMTP_URL), by way of an outbox that never loses a message.

Every e-mail is first written to the ``EmailOutbox`` table (to, subject, body, when), then sent
by ``send_pending``. A message that fails stays there with its error and is tried again on the
next run; one the server refuses for good (a 5xx answer about that message) is kept as
"abandoned". Without SMTP_URL nothing is queued and the product works the same, without e-mail.

SMTP_URL forms: ``smtp://host:25``, ``smtp://user:password@host:587?starttls=1``,
``smtps://user:password@host:465``; options ``from=ADDRESS`` (the sender; default the user
name when it is an address, else ``plan-cti@HOST``) and ``timeout=SECONDS`` (default 20).
Characters of the user name or password that have a meaning in a URL are %-encoded.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.config import Settings
from dashboard.db.engine import session_scope
from dashboard.db.models import EmailOutbox, OutboxStatus, utcnow
from dashboard.i18n import N_, _
from dashboard.services import audit
from dashboard.services.errors import UserError

SENDER_NAME = "Tableau de bord Plan CTI"  # the From name, the same whatever the language
SUBJECT_PREFIX = N_("[Plan CTI]")
BATCH = 500  # messages sent per run at most; the rest wait for the next run
ADDRESS_RE = re.compile(r"^[^@\s<>,;:\"()\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
FOOTER = N_(
    "Message automatique du tableau de bord de suivi du plan de développement des CTI "
    "(Ministère de l'Industrie et du Commerce).\nMerci de ne pas répondre à ce message."
)
_TRUE = ("1", "true", "yes", "oui", "on")


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send e-mail, read from SMTP_URL."""

    host: str
    port: int
    sender: str
    username: str = ""
    password: str = field(default="", repr=False)
    use_ssl: bool = False
    starttls: bool = False
    timeout: float = 20.0


def _bad_url(reason: str) -> UserError:
    return UserError(
        _(
            "SMTP_URL invalide : {reason}. Exemple : smtp://utilisateur:motdepasse@serveur:587"
            "?starttls=1&from=plan-cti@exemple.ma (ou smtps://... ; laissez vide sans e-mail).",
            reason=reason,
        )
    )


def parse_smtp_url(url: str) -> SmtpConfig | None:
    """Read SMTP_URL into a configuration; None when it is empty (no e-mail)."""
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise _bad_url(
            _("le schéma doit être smtp ou smtps (et non « {scheme} »)", scheme=parts.scheme)
        )
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError as exc:
        raise _bad_url(_("le port n'est pas un nombre entre 1 et 65535")) from exc
    if not parts.hostname:
        raise _bad_url(_("le nom du serveur manque"))
    options = {k.lower(): v[-1] for k, v in parse_qs(parts.query).items()}
    username = unquote(parts.username or "")
    sender = options.get("from") or (username if "@" in username else f"plan-cti@{parts.hostname}")
    if not ADDRESS_RE.match(sender):
        raise _bad_url(_("l'adresse d'expéditeur « {sender} » n'est pas valide", sender=sender))
    try:
        timeout = float(options.get("timeout", "20"))
    except ValueError as exc:
        raise _bad_url(_("timeout doit être un nombre de secondes")) from exc
    return SmtpConfig(
        host=parts.hostname,
        port=port,
        sender=sender,
        username=username,
        password=unquote(parts.password or ""),
        use_ssl=parts.scheme == "smtps",
        starttls=options.get("starttls", "").lower() in _TRUE,
        timeout=timeout,
    )


def smtp_config(settings: Settings) -> SmtpConfig | None:
    """Return the SMTP configuration of the settings, or None without e-mail."""
    return parse_smtp_url(settings.smtp_url)


def parse_addresses(text: str | Sequence[str]) -> list[str]:
    """Split "a@x.ma, b@y.ma" (commas, semicolons or spaces) into checked, distinct addresses."""
    raw = text if isinstance(text, str) else ",".join(text)
    found: list[str] = []
    for item in re.split(r"[,;\s]+", raw):
        if item and item not in found:
            if not ADDRESS_RE.match(item):
                raise UserError(
                    _("Adresse e-mail invalide « {address} » : attendu nom@domaine.", address=item)
                )
            found.append(item)
    if not found:
        raise UserError(_("Aucune adresse e-mail : indiquez au moins un destinataire."))
    return found


def queue_mail(
    session: Session,
    *,
    kind: str,
    to: str,
    subject: str,
    body: str,
    dedupe_key: str,
    user_id: int | None = None,
    notification_id: int | None = None,
    attachment: tuple[str, str, bytes] | None = None,
) -> EmailOutbox | None:
    """Add an e-mail to the outbox; None if one with this key was already queued (sent once).

    The subject gets the "[Plan CTI]" prefix and the body the automatic-message footer, both in
    the language in force (``use_lang`` of the recipient's language).
    """
    if session.exec(select(EmailOutbox.id).where(EmailOutbox.dedupe_key == dedupe_key)).first():
        return None
    name, mimetype, content = attachment or ("", "", None)
    row = EmailOutbox(
        kind=kind,
        to_address=to,
        subject=f"{_(SUBJECT_PREFIX)} {subject}",
        body=f"{body}\n\n-- \n{_(FOOTER)}",
        dedupe_key=dedupe_key,
        user_id=user_id,
        notification_id=notification_id,
        attachment_name=name,
        attachment_type=mimetype,
        attachment=content,
    )
    session.add(row)
    session.flush()
    return row


def build_message(row: EmailOutbox, config: SmtpConfig) -> EmailMessage:
    """Build the MIME message of an outbox row (UTF-8 text, optional attachment)."""
    message = EmailMessage()
    message["From"] = formataddr((SENDER_NAME, config.sender))
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=config.sender.rsplit("@", 1)[-1])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.body, cte="quoted-printable")
    if row.attachment is not None:
        maintype, _, subtype = (row.attachment_type or "application/octet-stream").partition("/")
        message.add_attachment(
            row.attachment, maintype=maintype, subtype=subtype, filename=row.attachment_name
        )
    return message


def open_connection(config: SmtpConfig) -> smtplib.SMTP:
    """Connect (TLS from the start for smtps, or STARTTLS when asked) and sign in if needed."""
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if config.use_ssl:
        client = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
    else:
        client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        if config.starttls:
            client.starttls(context=context)
        if config.username:
            client.login(config.username, config.password)
    except BaseException:
        client.close()
        raise
    return client


def describe_error(exc: BaseException) -> str:
    """Say in one line what went wrong with the SMTP server (never the password)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = "; ".join(f"{to} : {code} {msg!r}" for to, (code, msg) in exc.recipients.items())
        return _("destinataire refusé ({codes})", codes=codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else ""
        return _("refus du serveur SMTP : {code} {text}", code=exc.smtp_code, text=text).strip()
    if isinstance(exc, OSError | smtplib.SMTPException):
        return _(
            "serveur SMTP injoignable ou connexion interrompue ({error})",
            error=f"{type(exc).__name__}: {exc}",
        )
    return f"{type(exc).__name__}: {exc}"


def is_permanent(exc: BaseException) -> bool:
    """Tell whether the server refused this very message for good (5xx): retrying won't help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPDataError | smtplib.SMTPSenderRefused) and (
        exc.smtp_code >= 500
    )


@dataclass(frozen=True)
class Failure:
    """An e-mail that could not be sent on this run."""

    outbox_id: int
    to: str
    subject: str
    error: str
    abandoned: bool


@dataclass
class MailReport:
    """What a sending run did."""

    sent: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """Return how many e-mails failed and stay queued for the next run."""
        return sum(not f.abandoned for f in self.failures)

    @property
    def abandoned(self) -> int:
        """Return how many e-mails the server refused for good on this run."""
        return sum(f.abandoned for f in self.failures)


def _claim(engine: Engine, row_id: int, now: datetime) -> EmailOutbox | None:
    """Count an attempt on a pending row; None if another run took or sent it meanwhile."""
    with session_scope(engine) as session:
        row = session.get(EmailOutbox, row_id)
        if row is None or row.status != OutboxStatus.PENDING:
            return None
        claimed = session.execute(
            update(EmailOutbox)
            .where(
                col(EmailOutbox.id) == row_id,
                col(EmailOutbox.status) == OutboxStatus.PENDING.value,
                col(EmailOutbox.attempts) == row.attempts,
            )
            .values(attempts=row.attempts + 1, last_attempt_at=now)
        )
        return row if claimed.rowcount == 1 else None  # type: ignore[attr-defined]


def _settle(engine: Engine, row: EmailOutbox, error: BaseException | None) -> Failure | None:
    """Record the outcome of an attempt on the row; return the failure, if any."""
    with session_scope(engine) as session:
        stored = session.get(EmailOutbox, row.id)
        assert stored is not None and row.id is not None
        if error is None:
            stored.status, stored.sent_at, stored.last_error = OutboxStatus.SENT, utcnow(), ""
            session.add(stored)
            return None
        failure = Failure(row.id, row.to_address, row.subject, describe_error(error), False)
        if is_permanent(error):
            failure = Failure(row.id, row.to_address, row.subject, failure.error, True)
            stored.status = OutboxStatus.ABANDONED
        stored.last_error = failure.error[:2000]
        session.add(stored)
        return failure


def pending_ids(engine: Engine, only: Sequence[int] | None = None) -> list[int]:
    """Return the ids of the e-mails waiting to be sent, oldest first."""
    query = select(EmailOutbox.id).where(EmailOutbox.status == OutboxStatus.PENDING.value)
    if only is not None:
        query = query.where(col(EmailOutbox.id).in_(list(only)))
    with Session(engine) as session:
        ids = session.exec(
            query.order_by(col(EmailOutbox.created_at), col(EmailOutbox.id)).limit(BATCH)
        )
        return [i for i in ids.all() if i is not None]


def send_pending(
    *, engine: Engine, config: SmtpConfig, only: Sequence[int] | None = None
) -> MailReport:
    """Send the e-mails of the outbox that are due, over one SMTP connection.

    A connection that cannot be opened fails every message of the run (each keeps the error
    and is retried next time); a message refused for good is abandoned, the others go on.
    """
    report = MailReport()
    ids = pending_ids(engine, only)
    if not ids:
        return report
    client: smtplib.SMTP | None = None
    connect_error: BaseException | None = None
    try:
        client = open_connection(config)
    except (OSError, smtplib.SMTPException) as exc:
        connect_error = exc
    try:
        for row_id in ids:
            row = _claim(engine, row_id, utcnow())
            if row is None:
                continue
            error = connect_error
            if client is not None and error is None:
                try:
                    client.send_message(build_message(row, config))
                except (OSError, smtplib.SMTPException) as exc:
                    error = exc
                    if isinstance(exc, OSError | smtplib.SMTPServerDisconnected):
                        connect_error = exc  # the connection is gone: the rest wait
            failure = _settle(engine, row, error)
            if failure is None:
                report.sent += 1
            else:
                report.failures.append(failure)
    finally:
        if client is not None:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()
    return report


def send_report_mail(
    *,
    engine: Engine,
    settings: Settings,
    to: str | Sequence[str],
    attachment: tuple[str, str, bytes],
    subject: str = "",
    body: str = "",
    requested_by: str = "cli",
) -> MailReport:
    """Queue a report for each address, send it now, and return what happened.

    For ``python -m dashboard report ... --mail-to ADDRESSES``: ``attachment`` is (file name,
    MIME type, content). Raises UserError when SMTP_URL is not set or an address is invalid.
    What fails stays in the outbox and goes with the next ``remind`` run.
    """
    config = smtp_config(settings)
    if config is None:
        raise UserError(
            _("Envoi impossible : SMTP_URL n'est pas configuré (ex. smtp://serveur:25).")
        )
    addresses = parse_addresses(to)
    name = attachment[0]
    subject = subject or _("Rapport de suivi du plan CTI")
    text = body or _(
        "Bonjour,\n\nVeuillez trouver ci-joint le rapport de suivi du plan de développement "
        "des CTI ({name}).\n\nCordialement.",
        name=name,
    )
    ids = []
    with session_scope(engine) as session:
        for address in addresses:
            row = queue_mail(
                session,
                kind="report",
                to=address,
                subject=subject,
                body=text,
                dedupe_key=f"report:{uuid.uuid4().hex}",
                attachment=attachment,
            )
            assert row is not None and row.id is not None
            ids.append(row.id)
        audit.record(
            session,
            action="report.mail",
            username=requested_by,
            entity="emailoutbox",
            entity_id=",".join(map(str, ids)),
            after={"to": addresses, "subject": subject, "attachment": name},
            address="",
        )
    return send_pending(engine=engine, config=config, only=ids)
