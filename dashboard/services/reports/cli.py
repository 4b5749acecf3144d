"""``python -m dashboard report``: write a report to a file, and send it by e-mail if asked."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from dashboard.config import Settings
from dashboard.i18n import _
from dashboard.services.errors import UserError
from dashboard.services.mailer import parse_addresses, send_report_mail, smtp_config
from dashboard.services.reports import build_report
from dashboard.services.reports.request import check_request


@dataclass(frozen=True)
class Outcome:
    """What the command did: the lines to print, and its exit code (1 if an e-mail failed)."""

    lines: list[str]
    code: int = 0


def check_output(path: Path, fmt: object) -> None:
    """Refuse an output path that cannot take the report, before any work is done."""
    if path.is_dir():
        raise UserError(_("--out {path} est un dossier : indiquez un nom de fichier.", path=path))
    if fmt in ("pdf", "xlsx") and path.suffix.lower() != f".{fmt}":
        raise UserError(
            _("--out {path} : un rapport {fmt} s'écrit dans un fichier .{fmt}.", path=path, fmt=fmt)
        )
    folder = path.parent
    if not folder.is_dir():
        raise UserError(_("Dossier introuvable pour --out : {folder}.", folder=folder))
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UserError(_("Écriture impossible dans {path} : droits insuffisants.", path=path))


def run_report(
    *,
    engine: Engine,
    settings: Settings,
    fmt: str,
    out: str,
    cti: str | None = None,
    year: str | None = None,
    quarter: str | None = None,
    lang: str = "fr",
    mail_to: str | None = None,
) -> Outcome:
    """Check the request, build the report, write it, and mail it when ``mail_to`` is given."""
    path = Path(out)
    check_output(path, fmt)
    today = settings.today()
    request = check_request(
        engine=engine,
        today=today,
        fmt=fmt,
        cti=cti,
        year=year,
        quarter=quarter,
        lang=lang,
        thresholds=settings.thresholds,
    )
    if mail_to is not None:  # refuse a bad address or a missing SMTP before the long work
        parse_addresses(mail_to)
        if smtp_config(settings) is None:
            raise UserError(
                _("Envoi impossible : SMTP_URL n'est pas configuré (ex. smtp://serveur:25).")
            )
    report = build_report(engine=engine, today=today, request=request)
    try:
        path.write_bytes(report.content)
    except OSError as exc:
        raise UserError(
            _("Écriture impossible dans {path} : {reason}.", path=path, reason=exc.strerror or exc)
        ) from exc
    scope = request.cti or _("national")
    size = len(report.content) // 1024
    lines = [
        _(
            "Rapport écrit : {path} ({fmt}, {scope}, {year}, {size} Ko)",
            path=path,
            fmt=request.fmt,
            scope=scope,
            year=request.year,
            size=size,
        )
    ]
    if mail_to is None:
        return Outcome(lines)
    mail = send_report_mail(
        engine=engine,
        settings=settings,
        to=mail_to,
        attachment=(report.filename, report.media_type, report.content),
        subject=_("Rapport de suivi du plan CTI ({scope}, {year})", scope=scope, year=request.year),
    )
    lines.append(_("Courriels envoyés : {n}", n=mail.sent))
    for failure in mail.failures:
        state = _("abandonné") if failure.abandoned else _("sera réessayé au prochain passage")
        lines.append(
            _(
                "Échec pour {to} : {error} ({state})",
                to=failure.to,
                error=failure.error,
                state=state,
            )
        )
    return Outcome(lines, 1 if mail.failures else 0)
