"""Keeping an uploaded workbook on the server between its preview and its import.

The browser then sends back only a token (the file's SHA-256), not the file again; the file
is stored per account, so nobody can apply a file another person uploaded. It is kept on disk
(``data/imports``), not in a worker's memory: with several gunicorn workers, the preview and
the import are often answered by different ones.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from pathlib import Path

from dashboard.i18n import _
from dashboard.services.errors import UserError

MAX_AGE_SECONDS = 24 * 3600


def _path(directory: Path, account_id: int, token: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", token):
        raise UserError(_("Fichier d'import inconnu : déposez-le de nouveau."))
    return directory / f"{int(account_id)}-{token}.xlsx"


def _sweep(directory: Path) -> None:
    """Forget uploads older than a day (a preview never applied)."""
    limit = time.time() - MAX_AGE_SECONDS
    for old in directory.glob("*.xlsx"):
        if old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)


def stash(directory: Path, account_id: int, content: bytes) -> str:
    """Keep an uploaded file for an account; return its token."""
    directory.mkdir(parents=True, exist_ok=True)
    _sweep(directory)
    token = hashlib.sha256(content).hexdigest()
    target = _path(directory, account_id, token)
    # Written aside, then moved into place: another worker never reads half a file.
    partial = target.with_name(f"{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    partial.write_bytes(content)
    partial.replace(target)
    return token


def take(directory: Path, account_id: int, token: str) -> bytes:
    """Return the file an account uploaded, checking it is unchanged."""
    path = _path(directory, account_id, token)
    if not path.is_file():
        raise UserError(_("Fichier d'import expiré ou inconnu : déposez-le de nouveau."))
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != token:
        raise UserError(_("Fichier d'import altéré : déposez-le de nouveau."))
    return content


def drop(directory: Path, account_id: int, token: str) -> None:
    """Forget an uploaded file once imported."""
    _path(directory, account_id, token).unlink(missing_ok=True)
