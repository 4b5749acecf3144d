"""Consistent, portable backups: every table to JSON lines in one zip, and back again."""

from __future__ import annotations

import base64
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import dashboard.db.models  # noqa: F401  (registers the tables)
from dashboard.i18n import _
from dashboard.services.archive_limits import ArchiveLimits, check_archive, too_many_entries
from dashboard.services.errors import UserError

FORMAT = "cti-dashboard-backup/1"
MANIFEST = "manifest.json"
CHUNK = 5000  # rows read or inserted at a time
# What a backup may hold (issue 20.1): one entry per table and the manifest; JSON lines inflate
# 10 to 20 times, a line holds one row (an attachment of a few MB, base64-encoded, at most).
LIMITS = ArchiveLimits(
    max_entries=200,
    max_entry_bytes=16 << 30,
    max_total_bytes=64 << 30,
    max_ratio=200,
)
MAX_MANIFEST_BYTES = 1 << 20
MAX_LINE_BYTES = 32 << 20


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds: schema revision and rows per table."""

    revision: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        """Return the number of rows over all tables."""
        return sum(self.rows.values())


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return {"$t": type(value).__name__, "v": value.isoformat()}
    if isinstance(value, bytes):
        return {"$t": "bytes", "v": base64.b64encode(value).decode()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "$t" in value:
        kind, raw = value["$t"], value["v"]
        if kind == "datetime":
            return datetime.fromisoformat(raw)
        if kind == "date":
            return date.fromisoformat(raw)
        return base64.b64decode(raw)
    return value


def _revision(conn: Connection) -> str:
    return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar() or "")


def _snapshot(conn: Connection) -> None:
    """Make every read of this connection see one consistent state of the database."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
    else:
        # A SQLite read transaction sees one snapshot (WAL lets writers go on meanwhile).
        conn.exec_driver_sql("BEGIN")


def _write_table(conn: Connection, table: Table, zf: zipfile.ZipFile) -> int:
    """Stream a table into the zip as JSON lines; return its rows.

    Rows are fetched and written a batch at a time, so that a table of millions of rows (the
    audit trail) never sits in memory whole.
    """
    count = 0
    query = select(table).order_by(*table.primary_key.columns)
    with zf.open(f"{table.name}.jsonl", "w", force_zip64=True) as entry:
        for row in conn.execution_options(yield_per=CHUNK).execute(query):
            line = json.dumps({k: _encode(v) for k, v in row._mapping.items()}, ensure_ascii=False)
            entry.write((("\n" if count else "") + line).encode("utf-8"))
            count += 1
    return count


def _damaged(table: Table, number: int, problem: str) -> UserError:
    return UserError(
        _(
            "Sauvegarde endommagée ou falsifiée : table {table}, ligne {n} : {problem} "
            "Rien n'a été restauré.",
            table=table.name,
            n=number,
            problem=problem,
        )
    )


def _lines(raw: IO[bytes], table: Table) -> Iterator[bytes]:
    """Yield a table's JSON lines, refusing at the first line longer than any row can be."""
    number = 0
    while line := raw.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(line) > MAX_LINE_BYTES:
            raise _damaged(table, number, _("ligne de plus de 32 Mo."))
        if line.strip():
            yield line


def _row(line: bytes, table: Table, number: int) -> dict[str, Any]:
    try:
        row = json.loads(line)
    except (ValueError, RecursionError):
        raise _damaged(table, number, _("ligne illisible.")) from None
    if not isinstance(row, dict) or not set(row) <= set(table.columns.keys()):
        raise _damaged(table, number, _("colonnes inconnues."))
    return {k: _decode(v) for k, v in row.items()}


def _read_table(conn: Connection, table: Table, zf: zipfile.ZipFile, expected: int) -> None:
    """Insert a table's JSON lines from the zip, a batch at a time, no more than announced."""
    batch: list[dict[str, Any]] = []
    count = 0
    with zf.open(f"{table.name}.jsonl") as raw:
        for line in _lines(raw, table):
            count += 1
            if count > expected:
                raise _damaged(table, count, _("plus de lignes que le manifeste n'en annonce."))
            batch.append(_row(line, table, count))
            if len(batch) == CHUNK:
                conn.execute(insert(table), batch)
                batch = []
    if batch:
        conn.execute(insert(table), batch)
    if count != expected:
        raise _damaged(table, count, _("moins de lignes que le manifeste n'en annonce."))


def backup(engine: Engine, out: Path) -> BackupSummary:
    """Write a consistent snapshot of every table to a zip file, while the app keeps running."""
    tables = SQLModel.metadata.sorted_tables
    rows: dict[str, int] = {}
    tmp = out.with_name(out.name + ".part")
    try:
        with engine.connect() as conn, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            _snapshot(conn)
            revision = _revision(conn)
            for table in tables:
                rows[table.name] = _write_table(conn, table, zf)
            manifest = {"format": FORMAT, "revision": revision, "rows": rows}
            zf.writestr("manifest.json", json.dumps(manifest, indent=2))
            conn.rollback()
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            _(
                "Écriture impossible de la sauvegarde {path} : {reason}.",
                path=out,
                reason=exc.strerror,
            )
        ) from exc
    return BackupSummary(revision, rows)


def _check_entries(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse an archive beyond the limits or holding anything but our tables and manifest."""
    problem = check_archive(zf, LIMITS)
    known = {MANIFEST, *(f"{t.name}.jsonl" for t in SQLModel.metadata.sorted_tables)}
    unknown = [name for name in zf.namelist() if name not in known]
    if problem is None and unknown:
        problem = _("fichier inattendu {name}.", name=unknown[0][:80])
    if problem is None and zf.getinfo(MANIFEST).file_size > MAX_MANIFEST_BYTES:
        problem = _("manifeste de plus de 1 Mo.")
    if problem:
        raise UserError(
            _(
                "{path} : sauvegarde refusée, {problem} Rien n'a été restauré.",
                path=path,
                problem=problem,
            )
        )


def _manifest(path: Path) -> Any:
    with path.open("rb") as stream:
        problem = too_many_entries(stream, LIMITS)
        if problem:
            raise UserError(
                _(
                    "{path} : sauvegarde refusée, {problem} Rien n'a été restauré.",
                    path=path,
                    problem=problem,
                )
            )
        with zipfile.ZipFile(stream) as zf:
            _check_entries(path, zf)
            return json.loads(zf.read(MANIFEST))


def read_manifest(path: Path) -> dict[str, Any]:
    """Open a backup and return its manifest, refusing anything that is not one of ours."""
    try:
        manifest = _manifest(path)
    except FileNotFoundError as exc:
        raise UserError(_("Fichier introuvable : {path}.", path=path)) from exc
    except UserError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, RecursionError, OSError) as exc:
        raise UserError(
            _("{path} n'est pas une sauvegarde du tableau de bord.", path=path)
        ) from exc
    if not isinstance(manifest, dict):
        raise UserError(_("{path} n'est pas une sauvegarde du tableau de bord.", path=path))
    if manifest.get("format") != FORMAT:
        raise UserError(
            _(
                "{path} : format de sauvegarde inconnu ({format}).",
                path=path,
                format=manifest.get("format"),
            )
        )
    rows = manifest.get("rows")
    if not isinstance(rows, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in rows.values()
    ):
        raise UserError(_("{path} n'est pas une sauvegarde du tableau de bord.", path=path))
    return manifest


def _reset_sequences(conn: Connection, table: Table) -> None:
    """After explicit ids were inserted, move PostgreSQL sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for column in table.primary_key.columns:
        if column.autoincrement is True or (
            column.autoincrement == "auto" and column.type.python_type is int
        ):
            highest = select(func.coalesce(func.max(column), 0)).scalar_subquery()
            sequence = func.pg_get_serial_sequence(f'"{table.name}"', column.name)
            conn.execute(select(func.setval(sequence, highest + 1, False)))


def restore(engine: Engine, path: Path) -> BackupSummary:
    """Replace the whole content of the database with a backup, all or nothing."""
    manifest = read_manifest(path)
    tables = SQLModel.metadata.sorted_tables
    with zipfile.ZipFile(path) as zf, engine.begin() as conn:
        current = _revision(conn)
        if manifest["revision"] != current:
            raise UserError(
                _(
                    "Sauvegarde au schéma {saved}, base au schéma {current} : mettez la base au "
                    "même niveau (init-db) avant de restaurer.",
                    saved=manifest["revision"],
                    current=current,
                )
            )
        for table in reversed(tables):
            conn.execute(table.delete())
        for table in tables:
            if table.name in manifest["rows"]:
                _read_table(conn, table, zf, manifest["rows"][table.name])
            _reset_sequences(conn, table)
    return BackupSummary(manifest["revision"], dict(manifest["rows"]))
