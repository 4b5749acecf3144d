"""Reading an uploaded workbook in a child process with a memory limit and a deadline.

The reader bounds what a workbook may make it build (``excel_guard``), but a file crafted
past a bound nobody thought of must still not take a web worker down with it: the worker
only waits for the child, which gives up at its memory limit (``RLIMIT_AS``) or is stopped at
the deadline, and the person is told the file was refused. The rows come back as JSON (never
pickle): plain values and dates.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from dashboard.i18n import _, current_lang, use_lang
from dashboard.services.excel_reader import (
    CellError,
    ImportRefused,
    ParsedWorkbook,
    SheetRows,
    read_workbook,
)

# The reader needs about 2 s of CPU for a file at the product's limits. The deadline counts
# CPU time, so that a busy server does not refuse a good file; the wall-clock one only catches
# a child that hangs.
CPU_SECONDS = 5
WALL_SECONDS = 30.0
MEMORY_BYTES = 768 * 1024 * 1024  # address space; resident memory stays far below
ROOT = Path(__file__).resolve().parents[2]


def _encode(value: Any) -> Any:
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        return date.fromisoformat(value["$d"])
    return value


def to_json(parsed: ParsedWorkbook) -> dict[str, Any]:
    """Turn what was read into plain JSON values."""
    return {
        "sheets": {
            name: {
                "columns": sheet.columns,
                "rows": [[n, {k: _encode(v) for k, v in row.items()}] for n, row in sheet.rows],
            }
            for name, sheet in parsed.sheets.items()
        },
        "errors": [[e.sheet, e.row, e.column, e.message] for e in parsed.errors],
    }


def from_json(data: dict[str, Any]) -> ParsedWorkbook:
    """Rebuild what the child read."""
    parsed = ParsedWorkbook()
    for name, sheet in data["sheets"].items():
        rows = [(int(n), {k: _decode(v) for k, v in row.items()}) for n, row in sheet["rows"]]
        parsed.sheets[name] = SheetRows(name, dict(sheet["columns"]), rows)
    parsed.errors = [CellError(s, int(r), c, m) for s, r, c, m in data["errors"]]
    return parsed


def _refused(reason: str) -> ImportRefused:
    return ImportRefused(
        _(
            "Classeur refusé : {reason} Copiez seulement le tableau utile dans un nouveau modèle "
            "téléchargé, puis importez-le.",
            reason=reason,
        )
    )


def parse_workbook(content: bytes) -> ParsedWorkbook:
    """Read an entry workbook in a child process; raise ImportRefused as ``read_workbook``."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "dashboard.services.safe_parse", current_lang()]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command, input=content, capture_output=True, timeout=WALL_SECONDS, env=env, check=False
        )
    except OSError:  # no process could be started (the server is at its limit)
        raise ImportRefused(
            _("Lecture du classeur impossible pour l'instant : réessayez dans un instant.")
        ) from None
    except subprocess.TimeoutExpired:
        raise _refused(_("sa lecture dépasse {n} secondes.", n=int(WALL_SECONDS))) from None
    if done.returncode == -signal.SIGXCPU:
        raise _refused(_("sa lecture dépasse {n} secondes de calcul.", n=CPU_SECONDS))
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        raise _refused(_("sa lecture demande trop de mémoire.")) from None
    if "refused" in answer:
        raise ImportRefused(str(answer["refused"]))
    return from_json(answer)


def _child(lang: str) -> dict[str, Any]:
    """Read the workbook on stdin under the limits (run in the child)."""
    content = sys.stdin.buffer.read()
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(used.ru_utime + used.ru_stime)  # the imports' share does not count
    resource.setrlimit(resource.RLIMIT_CPU, (spent + CPU_SECONDS, spent + CPU_SECONDS + 1))
    with use_lang(lang):
        try:
            return to_json(read_workbook(content))
        except ImportRefused as exc:
            return {"refused": str(exc)}
        except MemoryError:
            return {"refused": str(_refused(_("sa lecture demande trop de mémoire.")))}


if __name__ == "__main__":
    sys.stdout.write(json.dumps(_child(sys.argv[1] if len(sys.argv) > 1 else "fr")))
