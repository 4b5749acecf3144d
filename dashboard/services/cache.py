"""Rendered-content cache of the monitoring pages, correct after every write and across workers.

Each worker keeps, in memory, the content it built for a page (as the plain JSON tree Dash
sends to the browser), keyed by what the content depends on: the page and its filters, the
language, the day, who is asking (their role and centre), and the database's data version.
The data version is a counter in the database that triggers move on every write to the
plan's data (migration 0007), whoever writes: another worker, the command line, an import, a
restore. Reading it is one primary-key lookup, so a cached page costs one tiny query and
stays exact: any write makes every worker rebuild on its next request.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

DataVersion = tuple[str, int]
MISSING_VERSION: DataVersion = ("", -1)


def data_version(engine: Engine) -> DataVersion:
    """Return the database's (epoch, counter); a schema without the counter gives no version."""
    with engine.connect() as conn:
        row = conn.execute(text("SELECT epoch, version FROM dataversion WHERE id = 1")).first()
    return (str(row[0]), int(row[1])) if row else MISSING_VERSION


def to_json_tree(value: Any) -> Any:
    """Return a value as the plain JSON data Dash would send (components become dicts)."""
    from plotly.io.json import to_json_plotly

    return json.loads(to_json_plotly(value))


@dataclass
class RenderCache:
    """A bounded, thread-safe map from keys to built content, least recently used out first.

    ``hits`` and ``misses`` count lookups, for the benchmark and the tests.
    """

    max_entries: int = 256
    hits: int = 0
    misses: int = 0
    _entries: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get_or_build(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """Return the content cached under ``key``, building and keeping it on a miss.

        Two requests missing at once both build (no lock held while building): the result is
        the same, and a slow build never blocks other pages.
        """
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
            self.misses += 1
        value = build()
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
