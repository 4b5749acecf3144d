"""Static images of the pages' Plotly figures, from one persistent kaleido server per process.

A new Chromium for each image costs about 3 s; a server kept open costs that once, then about
0.1 s an image (RECIPES.md). The server is started lazily, on the first image a process needs,
under a lock: a gunicorn worker forked from a master never inherits a browser it does not own,
and two exports in one worker never start two browsers. It is closed after ten idle minutes.

It is built on kaleido's public ``Kaleido`` class with its own event loop thread rather than on
``kaleido.start_sync_server``: that helper hands one result queue to every caller (two threads
could swap their images) and waits without a time limit, so a browser that died would freeze the
export forever. Here every call has a timeout, and a dead or timed-out browser is replaced.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import threading
import time
from collections.abc import Coroutine
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import kaleido
import plotly.graph_objects as go

from dashboard.i18n import translate
from dashboard.services.errors import UserError
from dashboard.services.figures.common import Figure

log = logging.getLogger(__name__)
START_TIMEOUT = 60.0
RENDER_TIMEOUT = 60.0
# An idle browser costs ~150 MB per worker: it is closed after this long without a chart.
IDLE_SECONDS = 600.0
IDLE_CHECK_SECONDS = 30.0
# Fonts of the PDF, so that charts and text match (Noto has the Arabic glyphs).
REPORT_FONT = "Noto Sans, Noto Sans Arabic, DejaVu Sans, sans-serif"


class ChartError(UserError):
    """A chart could not be drawn (no browser, or it stopped answering)."""


# Kaleido reloads its page after every image (about 0.2 s, most of an image's cost). The page
# holds nothing between two images, so it is reloaded every RELOAD_EVERY images instead.
RELOAD_EVERY = 25


class _Kaleido(kaleido.Kaleido):  # type: ignore[misc]
    """Kaleido that reloads its tab every ``RELOAD_EVERY`` images rather than after each one."""

    _rendered = 0

    async def _return_kaleido_tab(self, tab: Any) -> None:
        self._rendered += 1
        if self._rendered % RELOAD_EVERY == 0:
            await super()._return_kaleido_tab(tab)
        else:
            await self.tabs_ready.put(tab)


class ChartServer:
    """One headless Chromium kept open by kaleido, shared by the threads of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._used = 0.0

    @property
    def running(self) -> bool:
        """Tell whether this process has a live browser."""
        return (
            self._pid == os.getpid()
            and self._thread is not None
            and self._thread.is_alive()
            and self._kaleido is not None
        )

    def _run(self, coroutine: Coroutine[Any, Any, Any], timeout: float) -> Any:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            future.cancel()
            raise

    def _start(self) -> None:
        """Open the browser on a private event loop (called under the lock)."""
        self._forget()
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
        thread.start()
        self._loop, self._thread, self._pid = loop, thread, os.getpid()

        async def open_browser() -> Any:
            browser = _Kaleido(n=1, mathjax=False, timeout=RENDER_TIMEOUT)
            await browser.open()
            return browser

        try:
            self._kaleido = self._run(open_browser(), START_TIMEOUT)
            self._used = time.monotonic()
            threading.Thread(target=self._close_when_idle, args=(loop,), daemon=True).start()
        except Exception as exc:
            self._forget()
            log.exception("kaleido: échec du démarrage du navigateur")
            raise ChartError(
                translate(
                    "Graphiques impossibles : le navigateur Chromium n'a pas démarré "
                    "(installez le paquet chromium)."
                )
            ) from exc

    def _close_when_idle(self, loop: asyncio.AbstractEventLoop) -> None:
        """Close the browser opened on ``loop`` once unused for ``IDLE_SECONDS``."""
        while True:
            time.sleep(IDLE_CHECK_SECONDS)
            with self._lock:
                if self._loop is not loop:  # closed or replaced meanwhile
                    return
                if time.monotonic() - self._used > IDLE_SECONDS:
                    self._forget()
                    return

    def _forget(self) -> None:
        """Drop the current browser (closing it when it belongs to this process)."""
        if self._loop is not None and self._pid == os.getpid():
            if self._kaleido is not None and self._thread is not None and self._thread.is_alive():
                try:
                    self._run(self._kaleido.close(), 10)
                except Exception:  # a browser that is already gone cannot be closed
                    log.warning("kaleido: fermeture du navigateur impossible", exc_info=True)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._loop = self._thread = self._kaleido = None
        self._pid = None

    def start(self) -> None:
        """Start the browser now if this process has none (for a warm-up)."""
        with self._lock:
            if not self.running:
                self._start()

    def stop(self) -> None:
        """Close the browser of this process."""
        with self._lock:
            self._forget()

    def render(self, figure: go.Figure, *, fmt: str, width: int, height: int) -> bytes:
        """Return the figure as SVG or PNG bytes, drawn ``width`` x ``height`` CSS pixels."""
        spec = figure.to_dict()
        opts = {"format": fmt, "width": width, "height": height, "scale": 2 if fmt == "png" else 1}
        with self._lock:
            if not self.running:
                self._start()
            try:
                data = self._run(self._kaleido.calc_fig(spec, opts=opts), RENDER_TIMEOUT)
                self._used = time.monotonic()
            except Exception as exc:
                log.exception("kaleido: échec du rendu d'un graphique")
                self._forget()
                raise ChartError(
                    translate("Un graphique n'a pas pu être dessiné ; réessayez dans un instant.")
                ) from exc
        return bytes(data)


SERVER = ChartServer()
atexit.register(SERVER.stop)


def warm_up() -> None:
    """Start this process's browser in the background, so that the next export is fast."""
    if SERVER.running:
        return

    def start() -> None:
        with contextlib.suppress(ChartError):  # reported by the export that needs it
            SERVER.start()

    threading.Thread(target=start, name="kaleido-warm-up", daemon=True).start()


def for_print(figure: Figure | go.Figure, *, height: int | None = None) -> go.Figure:
    """Return a copy of a page figure laid out for paper: report fonts, no hover, white."""
    printed = go.Figure(figure)
    printed.update_layout(
        font={"family": REPORT_FONT},
        title={"font": {"size": 14}},
        hovermode=False,
        **({"height": height} if height else {}),
    )
    return printed


def chart_image(
    figure: Figure | go.Figure, *, width: int = 760, height: int | None = None
) -> bytes:
    """Return a page figure as a PNG for the PDF, drawn at twice its size (sharp in print).

    PNG rather than SVG: WeasyPrint draws an SVG chart's thousands of nodes itself, which
    costs more than the whole chart costs kaleido; a 2x PNG prints at over 200 dpi.
    """
    printed = for_print(figure, height=height)
    tall = int(printed.layout.height or 360)
    return SERVER.render(printed, fmt="png", width=width, height=tall)
