"""Rendered-content cache of the monitoring pages, correct after every write and across workers.

Each worker keeps, in memory, the content it built for a page (as the plain JSON tree Dash
sends to the browser), keyed by what the content depends on: the page and its filters, the
language, the day, who is asking (their role and centre), and the database's data version.
The data version is a counter in the database that triggers move on every write to the
plan's data (migration 0007), whoever writes: another worker, the command line, an import, a
restore. Reading it is one primary-key lookup, so a cached page costs one tiny query and
stays exact: any write makes every worker rebuild on its next request.

To rebuild it, the read models take from the same cache what the write did not touch, kept
under finer counters (``services/versions.py``).
"""

from __future__ import annotations

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


def to_json_text(value: Any) -> str:
    """Return a value as the JSON text Dash would send (components become dicts)."""
    from plotly.io.json import to_json_plotly

    return str(to_json_plotly(value))


# What an entry of unknown size (a read model kept as an object) counts for.
NOMINAL_BYTES = 1 << 20


@dataclass
class RenderCache:
    """A bounded, thread-safe map from keys to built content, least recently used out first.

    Bounded twice: ``max_entries`` entries and ``max_bytes`` bytes (pages are kept as JSON
    text, whose length is their size; other entries weigh what their ``weigh`` says, or
    ``NOMINAL_BYTES``), so a worker's memory stays within bounds however many filters,
    languages and roles people use.
    ``hits`` and ``misses`` count lookups, for the benchmark and the tests.
    """

    max_entries: int = 256
    max_bytes: int = 64 << 20
    hits: int = 0
    misses: int = 0
    size: int = 0
    _entries: OrderedDict[Hashable, tuple[Any, int]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get_or_build(
        self, key: Hashable, build: Callable[[], Any], weigh: Callable[[Any], int] | None = None
    ) -> Any:
        """Return the content cached under ``key``, building and keeping it on a miss.

        Two requests missing at once both build (no lock held while building): the result is
        the same, and a slow build never blocks other pages. ``weigh`` estimates the size of
        an object that is not text (``NOMINAL_BYTES`` without it).
        """
        found = self.lookup(key)
        if found is not None:
            return found
        value = build()
        self.keep(key, value, weigh)
        return value

    def lookup(self, key: Hashable) -> Any | None:
        """Return the content kept under ``key`` (None if there is none), counting the lookup."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key][0]
            self.misses += 1
        return None

    def keep(self, key: Hashable, value: Any, weigh: Callable[[Any], int] | None = None) -> None:
        """Keep ``value`` under ``key``, older entries out first if bounds are passed."""
        if isinstance(value, str):
            weight = len(value)
        else:
            weight = NOMINAL_BYTES if weigh is None else weigh(value)
        if weight > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self.size -= self._entries.pop(key)[1]
            self._entries[key] = (value, weight)
            self.size += weight
            while len(self._entries) > self.max_entries or self.size > self.max_bytes:
                self.size -= self._entries.popitem(last=False)[1][1]

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._entries)
