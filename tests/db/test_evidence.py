"""Evidence files: type checked by content, size limited, stored by checksum, served with checks."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from dashboard.db.engine import session_scope
from dashboard.services.errors import PermissionDenied
from dashboard.services.evidence import (
    MAX_BYTES,
    EvidenceError,
    Upload,
    check_upload,
    read_evidence,
    safe_name,
    sniff,
)
from dashboard.services.progress import Attachment, save_progress
from tests.db.entry_support import FREE_PERIOD, TODAY, indicator_of, make_account, snapshot

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 16, "jpeg"),
        (b"GIF89a" + b"\0" * 8, "gif"),
        (b"RIFF\0\0\0\0WEBPVP8 ", "webp"),
        (b"Indicateur;Valeur\nCETIA-A1-01;12,5\n", "csv"),
        (_xlsx(), "xlsx"),
        (b"MZ\x90\0\x03" + b"\0" * 64, None),  # a Windows program
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, None),  # .xls / encrypted
        (b"PK\x03\x04" + b"\0" * 64, None),  # a zip that is not a workbook
    ],
)
def test_type_is_read_from_the_content(content: bytes, kind: str | None) -> None:
    assert sniff(content) == kind


def test_names_are_sanitised() -> None:
    assert safe_name("../../etc/passwd.pdf", "pdf") == "passwd.pdf"
    assert safe_name("Rapport T2 <2024>.PDF", "pdf") == "Rapport T2 _2024.pdf"
    assert safe_name("photo.exe", "png") == "photo.exe.png"
    assert safe_name("Été 2024.csv", "csv") == "Ete 2024.csv"
    assert safe_name("....", "pdf") == "justificatif.pdf"


def test_refusals_say_why() -> None:
    with pytest.raises(EvidenceError, match="10 Mo"):
        check_upload(Upload("gros.pdf", b"%PDF-" + b"\0" * MAX_BYTES))
    with pytest.raises(EvidenceError, match="Type de fichier refusé"):
        check_upload(Upload("virus.pdf", b"MZ\x90\0" + b"\0" * 32))
    with pytest.raises(EvidenceError, match=r"extension \.pdf"):
        check_upload(Upload("image.pdf", PNG))
    with pytest.raises(EvidenceError, match="vide"):
        check_upload(Upload("rien.pdf", b""))


def test_evidence_is_stored_by_checksum_and_served_to_those_who_may_read_it(
    engine: Engine, settings
) -> None:  # type: ignore[no-untyped-def]
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    indicator = indicator_of(engine, "CETIA")
    evidence_dir: Path = settings.evidence_dir
    with session_scope(engine) as session:
        row = save_progress(
            session=session,
            account=editor,
            indicator_id=indicator.id,
            period=FREE_PERIOD,
            value=10,
            today=TODAY,
            attachment=Attachment(Upload("C:\\Rapports\\bilan 2024.pdf", PDF), evidence_dir),
        ).entry
    digest = hashlib.sha256(PDF).hexdigest()
    assert (row.evidence_name, row.evidence_sha256) == ("bilan 2024.pdf", digest)
    assert (evidence_dir / digest[:2] / digest).read_bytes() == PDF
    # Issue 20.3: a viewer sees that the file exists, not its content; an analyst reads it.
    viewer = make_account(engine, "lecteur", "viewer")
    with (
        pytest.raises(PermissionDenied, match=r"bilan 2024\.pdf"),
        session_scope(engine) as session,
    ):
        read_evidence(session=session, account=viewer, evidence_dir=evidence_dir, update_id=row.id)
    analyst = make_account(engine, "analyste", "analyst")
    with session_scope(engine) as session:
        served = read_evidence(
            session=session, account=analyst, evidence_dir=evidence_dir, update_id=row.id
        )
    assert (served.name, served.content, served.mimetype) == (
        "bilan 2024.pdf",
        PDF,
        "application/pdf",
    )
    with pytest.raises(PermissionDenied), session_scope(engine) as session:
        read_evidence(session=session, account=None, evidence_dir=evidence_dir, update_id=row.id)
    (evidence_dir / digest[:2] / digest).write_bytes(PDF + b"altered")
    with pytest.raises(Exception, match="altéré"), session_scope(engine) as session:
        read_evidence(session=session, account=analyst, evidence_dir=evidence_dir, update_id=row.id)


def test_refused_evidence_leaves_no_entry(engine: Engine, settings) -> None:  # type: ignore[no-untyped-def]
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    indicator = indicator_of(engine, "CETIA")
    before = snapshot(engine)
    with pytest.raises(EvidenceError), session_scope(engine) as session:
        save_progress(
            session=session,
            account=editor,
            indicator_id=indicator.id,
            period=FREE_PERIOD,
            value=10,
            today=TODAY,
            attachment=Attachment(
                Upload("script.pdf", b"#!/bin/sh\nrm -rf /\n\x00"), settings.evidence_dir
            ),
        )
    assert snapshot(engine) == before


def test_a_zip_listing_too_many_entries_is_not_read_as_a_workbook() -> None:
    """A small zip declaring 20,000 parts is refused without building 20,000 entries."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(20_000):
            archive.writestr(f"x/{n}", "")
    assert len(buffer.getvalue()) < 3_000_000
    assert sniff(buffer.getvalue()) is None
    small = io.BytesIO()
    with zipfile.ZipFile(small, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert sniff(small.getvalue()) == "xlsx"
