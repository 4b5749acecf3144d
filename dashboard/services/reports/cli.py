"""``python -m dashboard report``: write a report to a file, and send it by e-mail if asked."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from dashboard.config import Settings
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
        raise UserError(f"--out {path} est un dossier : indiquez un nom de fichier.")
    if fmt in ("pdf", "xlsx") and path.suffix.lower() != f".{fmt}":
        raise UserError(f"--out {path} : un rapport {fmt} s'écrit dans un fichier .{fmt}.")
    folder = path.parent
    if not folder.is_dir():
        raise UserError(f"Dossier introuvable pour --out : {folder}.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UserError(f"Écriture impossible dans {path} : droits insuffisants.")


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
                "Envoi impossible : SMTP_URL n'est pas configuré (ex. smtp://serveur:25)."
            )
    report = build_report(engine=engine, today=today, request=request)
    try:
        path.write_bytes(report.content)
    except OSError as exc:
        raise UserError(f"Écriture impossible dans {path} : {exc.strerror or exc}.") from exc
    scope = request.cti or "national"
    size = len(report.content) // 1024
    lines = [f"Rapport écrit : {path} ({request.fmt}, {scope}, {request.year}, {size} Ko)"]
    if mail_to is None:
        return Outcome(lines)
    mail = send_report_mail(
        engine=engine,
        settings=settings,
        to=mail_to,
        attachment=(report.filename, report.media_type, report.content),
        subject=f"Rapport de suivi du plan CTI ({scope}, {request.year})",
    )
    lines.append(f"Courriels envoyés : {mail.sent}")
    for failure in mail.failures:
        state = "abandonné" if failure.abandoned else "sera réessayé au prochain passage"
        lines.append(f"Échec pour {failure.to} : {failure.error} ({state})")
    return Outcome(lines, 1 if mail.failures else 0)
