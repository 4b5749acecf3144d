"""Serve the monitoring pages' content from the render cache (services/cache.py).

``@cached_content("overview")`` goes on a page's ``layout`` function and on the callbacks
that redraw its content for new filters. The key holds everything the content depends on
besides the arguments: the language, the day, the reader's role and centre, and the data
version, so a cached page is exactly the page that would be built now.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar, cast

from dashboard.auth.session import current_account
from dashboard.i18n import current_lang
from dashboard.services.cache import data_version, to_json_text
from dashboard.services.context import current_engine, current_render_cache, current_settings

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


class _NothingToKeep(Exception):
    """Carries a result that must reach Dash as it is, uncached (``dash.no_update``)."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


def content_key(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Return the cache key of a page's content for this request."""
    account = current_account()
    reader = (account.role, account.cti_id) if account is not None else None
    return (
        name,
        repr(args),
        repr(sorted(kwargs.items())),
        current_lang(),
        current_settings().today(),
        reader,
        data_version(current_engine()),
    )


def cached_content(name: str) -> Callable[[F], F]:
    """Keep what the decorated function returns, as JSON data, until the data changes."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            cache = current_render_cache()
            if cache is None or cache.max_entries <= 0:
                return function(*args, **kwargs)
            key = content_key(name, args, kwargs)

            def build() -> Any:
                value = function(*args, **kwargs)
                if type(value).__name__ == "NoUpdate":  # dash.no_update: nothing to keep
                    raise _NothingToKeep(value)
                return to_json_text(value)

            try:
                # Kept as JSON text (compact, its length is its size); each request gets its
                # own tree, parsed in C, which Dash serialises again just as fast.
                return json.loads(cache.get_or_build(key, build))
            except _NothingToKeep as nothing:
                return nothing.value

        return wrapper  # type: ignore[return-value]

    return decorate


def remembered(name: str, build: Callable[[], T], *args: Any) -> T:
    """Return what ``build`` returns, kept as it is until the data changes.

    For read models a page shares between its own callbacks (the calendar's states): the
    object itself is kept, so callers must not change it.
    """
    cache = current_render_cache()
    if cache is None or cache.max_entries <= 0:
        return build()
    return cast(T, cache.get_or_build(("data", *content_key(name, args, {})), build))


def remember_as(name: str, value: T, *args: Any) -> None:
    """Keep ``value`` as ``remembered(name, ..., *args)`` would have: another key for it.

    A page built for the default year (no year in its address) is the page of that year,
    which its callbacks then name; kept under both, the read model is built once.
    """
    cache = current_render_cache()
    if cache is not None and cache.max_entries > 0:
        cache.get_or_build(("data", *content_key(name, args, {})), lambda: value)
