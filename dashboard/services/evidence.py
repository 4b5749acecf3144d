"""Evidence files attached to progress values: checked by content, stored outside the database.

A file is accepted only if its bytes say it is a PDF, an image (PNG, JPEG, GIF, WebP) or a
spreadsheet (xlsx, csv) and it weighs at most 10 MB. It is stored under Settings.evidence_dir
by its SHA-256 (so a name can never point outside that folder, and the same file is stored
once); the database keeps the sanitised name and the checksum. Reading it back goes through
``read_evidence``, which checks the caller and the checksum: the owning CTI's editors, analysts
and admins read a file; other accounts see that it exists (name and size), not its content.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, can, require
from dashboard.db.models import ProgressUpdate
from dashboard.i18n import _
from dashboard.i18n.formats import format_fixed
from dashboard.services import audit
from dashboard.services.archive_limits import declared_entries
from dashboard.services.entry import record_ok, who
from dashboard.services.errors import NotFoundError, PermissionDenied, UserError
from dashboard.services.progress_rules import indicator_context

MAX_BYTES = 10 * 1024 * 1024
NAME_MAX = 120
MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
EXTENSIONS = {
    "pdf": (".pdf",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
    "gif": (".gif",),
    "webp": (".webp",),
    "xlsx": (".xlsx",),
    "csv": (".csv",),
}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class EvidenceError(UserError):
    """The file is refused; the message says why and what to send instead."""


@dataclass(frozen=True)
class Upload:
    """A file as the browser or the command line sent it."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class StoredEvidence:
    """An accepted file: its safe name, checksum, detected type and size."""

    name: str
    sha256: str
    kind: str
    size: int


# A workbook holds a few dozen parts; zipfile builds one object per entry it lists, so an
# archive declaring more (a 10 MB zip can list 200,000: ~90 MB) is not read as a workbook.
MAX_XLSX_ENTRIES = 10_000


def _is_xlsx(content: bytes) -> bool:
    stream = io.BytesIO(content)
    entries = declared_entries(stream)
    if entries is None or entries > MAX_XLSX_ENTRIES:
        return False
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _is_csv(content: bytes) -> bool:
    sample = content[:65536]
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable >= 0.98 * max(len(text), 1)
    return False


SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


def sniff(content: bytes) -> str | None:
    """Return the type the bytes say the file is ("pdf", "png", ..., "csv"), or None."""
    for signature, kind in SIGNATURES:
        if content.startswith(signature):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    if content.startswith(b"PK\x03\x04"):
        return "xlsx" if _is_xlsx(content) else None
    if content.startswith(OLE_SIGNATURE):
        return None  # legacy Office file, or a password-protected (encrypted) one
    return "csv" if _is_csv(content) else None


def safe_name(filename: str, kind: str) -> str:
    """Keep a readable, harmless file name: no folders, no odd characters, the right extension."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = _UNSAFE.sub("_", base).strip(" ._") or "justificatif"
    stem, dot, ext = base.rpartition(".")
    if not dot or f".{ext.lower()}" not in EXTENSIONS[kind]:
        stem = base
    stem = stem[: NAME_MAX - 6].strip(" ._") or "justificatif"
    return f"{stem}{EXTENSIONS[kind][0]}"


def check_upload(upload: Upload) -> StoredEvidence:
    """Check a file's size and content type; return what would be stored (nothing written)."""
    size = len(upload.content)
    if size == 0:
        raise EvidenceError(
            _("Justificatif vide : choisissez un fichier qui contient des données.")
        )
    if size > MAX_BYTES:
        raise EvidenceError(
            _(
                "Justificatif trop volumineux ({size} Mo) : 10 Mo au plus. Compressez-le ou "
                "envoyez un extrait.",
                size=format_fixed(size / 1024 / 1024, 1),
            )
        )
    kind = sniff(upload.content)
    if kind is None:
        raise EvidenceError(
            _(
                "Type de fichier refusé pour « {name} » : envoyez un PDF, une image (PNG, JPEG, "
                "GIF, WebP) ou un tableur (xlsx, csv). Le type est vérifié sur le contenu, pas "
                "sur l'extension.",
                name=upload.filename[:80],
            )
        )
    ext = Path(upload.filename).suffix.lower()
    if ext and ext not in EXTENSIONS[kind]:
        raise EvidenceError(
            _(
                "Le fichier « {name} » porte l'extension {ext} mais son contenu est de type "
                "{kind} : renommez-le ou envoyez le bon fichier.",
                name=upload.filename[:80],
                ext=ext,
                kind=kind.upper(),
            )
        )
    digest = hashlib.sha256(upload.content).hexdigest()
    return StoredEvidence(safe_name(upload.filename, kind), digest, kind, size)


def evidence_path(evidence_dir: Path, sha256: str) -> Path:
    """Return where a file with this checksum is stored (only hex digits reach the path)."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise NotFoundError(_("Justificatif introuvable."))
    return evidence_dir / sha256[:2] / sha256


def store(upload: Upload, evidence_dir: Path) -> StoredEvidence:
    """Check a file and write it under evidence_dir by its checksum (once per content)."""
    stored = check_upload(upload)
    path = evidence_path(evidence_dir, stored.sha256)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Named per writer: two workers storing the same file at once must not share it.
        partial = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
        partial.write_bytes(upload.content)
        partial.replace(path)  # atomic: a reader never sees half a file
    return stored


@dataclass(frozen=True)
class EvidenceFile:
    """A stored file read back for download."""

    name: str
    content: bytes
    mimetype: str


def may_read(account: Account | None, cti_id: int | None) -> bool:
    """Tell whether the account may open the evidence of a CTI's values.

    Those who may enter the CTI's values (its editors, analysts, admins) may read their
    evidence; everyone else sees that a file exists (its name and size), not its content.
    """
    return can(account, Action.ENTER_PROGRESS, cti_id)


def size_label(size: int | None) -> str:
    """Say how much a file weighs ("12,5 Ko", "1,2 Mo"), or "" when unknown."""
    if size is None:
        return ""
    if size < 1024 * 1024:
        return _("{size} Ko", size=format_fixed(max(size / 1024, 0.1), 1))
    return _("{size} Mo", size=format_fixed(size / 1024 / 1024, 1))


def stored_size(evidence_dir: Path, sha256: str) -> int | None:
    """Return the size of a stored file, or None when it is missing."""
    try:
        return evidence_path(evidence_dir, sha256).stat().st_size
    except (NotFoundError, OSError):
        return None


def describe(name: str, size: int | None) -> str:
    """Name a file with its size: "bilan.pdf (12,5 Ko)"."""
    return f"{name} ({size_label(size)})" if name and size is not None else name


def _refuse(session: Session, account: Account | None, update_id: int, shown: str) -> None:
    """Log a refused download (committed at once) and refuse with a message."""
    session.rollback()
    user_id, username = who(account)
    audit.record(
        session,
        action="evidence.download",
        user_id=user_id,
        username=username,
        entity="progress",
        entity_id=update_id,
        outcome="refused",
        detail=shown,
    )
    session.commit()
    raise PermissionDenied(
        _(
            "Accès refusé : le justificatif « {file} » n'est ouvert qu'au CTI concerné, aux "
            "analystes et aux administrateurs. Demandez-le à l'un d'eux si vous en avez besoin.",
            file=shown,
        )
    )


def read_evidence(
    *, session: Session, account: Account | None, evidence_dir: Path, update_id: int
) -> EvidenceFile:
    """Return the evidence of a progress value to those who may read it, checking its checksum."""
    require(account, Action.VIEW, session=session, detail=f"justificatif de l'entrée {update_id}")
    row = session.get(ProgressUpdate, update_id)
    if row is None or not row.evidence_sha256:
        raise NotFoundError(_("Aucun justificatif pour cette valeur."))
    if not may_read(account, indicator_context(session, row.indicator_id).cti_id):
        shown = describe(row.evidence_name, stored_size(evidence_dir, row.evidence_sha256))
        _refuse(session, account, update_id, shown)
    path = evidence_path(evidence_dir, row.evidence_sha256)
    if not path.is_file():
        raise NotFoundError(_("Justificatif introuvable sur le serveur : demandez à le renvoyer."))
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != row.evidence_sha256:
        raise UserError(
            _("Justificatif altéré (somme de contrôle différente) : il n'est pas servi.")
        )
    kind = sniff(content) or "pdf"
    record_ok(
        session,
        account,
        action="evidence.download",
        entity="progress",
        entity_id=update_id,
        detail=row.evidence_name,
    )
    return EvidenceFile(row.evidence_name, content, MIME[kind])


def choice_key(*, cti: object, indicator: object, period: object) -> dict[str, str]:
    """Return the value a file is chosen for (CTI, indicator, period), as the page keeps it."""
    return {"cti": str(cti or ""), "indicator": str(indicator or ""), "period": str(period or "")}


def check_chosen_for(
    chosen: object, filename: str | None, *, cti: object, indicator: object, period: object
) -> None:
    """Refuse a file that was chosen for another value than the one being saved.

    ``chosen`` is what the page recorded when the file was picked: its name and the CTI,
    indicator and period then on screen. A file belongs to that value only, so that a file
    left in the picker never ends on the next value entered.
    """
    if not filename:
        return
    key = choice_key(cti=cti, indicator=indicator, period=period)
    if (
        not isinstance(chosen, dict)
        or chosen.get("filename") != filename
        or any(chosen.get(part) != value for part, value in key.items())
    ):
        raise EvidenceError(
            _(
                "Le fichier « {name} » a été choisi pour une autre valeur (indicateur, période "
                "ou CTI) : rien n'a été enregistré. Choisissez-le à nouveau pour cette valeur.",
                name=filename[:80],
            )
        )
