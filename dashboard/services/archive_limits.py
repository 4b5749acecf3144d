"""Limits on a zip archive read by the app (workbooks, backups), checked before inflating it.

The entry count is read from the archive's last record before ``zipfile`` builds one object
per entry (a 10 MB zip can list 200 000 of them). Sizes come from the central directory:
``zipfile`` stops reading an entry at its declared size and fails its checksum if the data
goes on, so a declared size is a bound that holds.
"""

from __future__ import annotations

import struct
import zipfile
from collections import Counter
from dataclasses import dataclass
from typing import BinaryIO

from dashboard.i18n import _
from dashboard.i18n.formats import format_fixed

END_OF_DIRECTORY = b"PK\x05\x06"
RATIO_FROM_BYTES = 1 << 20  # small entries may compress very well (empty rows): not checked
MB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive may hold: entries, bytes per entry and in all, compression ratio."""

    max_entries: int
    max_entry_bytes: int
    max_total_bytes: int
    max_ratio: int


def declared_entries(stream: BinaryIO) -> int | None:
    """Return the entry count the archive declares at its end, or None if it has no end."""
    stream.seek(0, 2)
    size = stream.tell()
    tail_length = min(size, 22 + 0xFFFF)
    stream.seek(size - tail_length)
    tail = stream.read(tail_length)
    stream.seek(0)
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or at + 22 > len(tail):
        return None
    count: int = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    return count


def _mb(size: int) -> str:
    return format_fixed(size / MB, 1)


def _entry_problem(info: zipfile.ZipInfo, limits: ArchiveLimits) -> str | None:
    if info.flag_bits & 0x1:
        return _("le fichier {name} de l'archive est chiffré.", name=info.filename[:80])
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return _("compression non prise en charge ({name}).", name=info.filename[:80])
    if info.file_size > limits.max_entry_bytes:
        return _(
            "le fichier {name} ferait {size} Mo une fois décompressé (au plus {maximum} Mo).",
            name=info.filename[:80],
            size=_mb(info.file_size),
            maximum=_mb(limits.max_entry_bytes),
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_FROM_BYTES and ratio > limits.max_ratio:
        return _(
            "le fichier {name} grossit {ratio} fois une fois décompressé (au plus {maximum} "
            "fois) : c'est une « bombe de décompression ».",
            name=info.filename[:80],
            ratio=int(ratio),
            maximum=limits.max_ratio,
        )
    return None


def check_archive(archive: zipfile.ZipFile, limits: ArchiveLimits) -> str | None:
    """Return what is wrong with an open archive (translated), or None when it is within limits."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        return _(
            "l'archive contient {n} fichiers (au plus {maximum}).",
            n=len(infos),
            maximum=limits.max_entries,
        )
    repeated = [name for name, n in Counter(i.filename for i in infos).items() if n > 1]
    if repeated:
        return _("l'archive contient deux fois le fichier {name}.", name=repeated[0][:80])
    for info in infos:
        problem = _entry_problem(info, limits)
        if problem:
            return problem
    total = sum(i.file_size for i in infos)
    if total > limits.max_total_bytes:
        return _(
            "l'archive ferait {size} Mo une fois décompressée (au plus {maximum} Mo).",
            size=_mb(total),
            maximum=_mb(limits.max_total_bytes),
        )
    return None


def too_many_entries(stream: BinaryIO, limits: ArchiveLimits) -> str | None:
    """Return a message when the archive declares more entries than allowed, before opening it."""
    count = declared_entries(stream)
    if count is not None and count > limits.max_entries:
        return _(
            "l'archive contient {n} fichiers (au plus {maximum}).",
            n=count,
            maximum=limits.max_entries,
        )
    return None
