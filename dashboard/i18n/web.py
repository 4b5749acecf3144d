"""The language of each request in the web app, and the page document that carries it.

- ``?lang=fr|en|ar`` on any URL switches the language; it is kept in the session and, for a
  signed-in person, on their account, so that it follows them to another browser.
- At sign-in, the account's language is used unless the person picked one on the sign-in
  page, which is then stored on the account.
- The HTML document is served with ``lang``, ``dir`` and the page's title in that language,
  so that the browser, screen readers and Mantine lay the page out right from the first paint.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from flask import Flask, g, has_request_context, request, session

from dashboard.i18n import current_lang, direction, normalize_lang, translate

if TYPE_CHECKING:
    from dashboard.auth.account import Account
    from dashboard.config import Settings

SESSION_KEY = "lang"
PICKED_KEY = "lang_picked"  # chosen while signed out: stored on the account at sign-in
_HTML_TAG = re.compile(r"<html[^>]*>", re.IGNORECASE)


def install_language(server: Flask, settings: Settings) -> None:
    """Set ``g.lang`` before each request, from ``?lang=``, the session or the account."""

    @server.before_request
    def _pick_language() -> None:
        from dashboard.auth.session import current_account
        from dashboard.services.context import current_engine
        from dashboard.services.preferences import choose_language, remember_language

        asked = normalize_lang(request.args.get("lang"))
        account = current_account() if request.endpoint != "static" else None
        if asked is not None:
            session[SESSION_KEY] = asked
            if account is None:
                session[PICKED_KEY] = True
            elif asked != account.language:
                remember_language(engine=current_engine(), user_id=account.id, lang=asked)
        g.lang = choose_language(
            asked=asked,
            session_lang=session.get(SESSION_KEY),
            account_lang=account.language if account else None,
            default=settings.lang,
        )


def adopt_account_language(account: Account) -> None:
    """At sign-in: use the account's language, or store the one picked on the sign-in page."""
    from dashboard.services.context import current_engine
    from dashboard.services.preferences import remember_language

    picked = normalize_lang(session.get(SESSION_KEY)) if session.pop(PICKED_KEY, None) else None
    if picked is not None:
        remember_language(engine=current_engine(), user_id=account.id, lang=picked)
        session[SESSION_KEY] = picked
    else:
        session[SESSION_KEY] = normalize_lang(account.language) or session.get(SESSION_KEY)


def page_title_for(path: str, fallback: str) -> str:
    """Return the translated title of the Dash page at ``path`` (the app's title otherwise)."""
    from dash import _pages

    try:
        page, variables = _pages._path_to_page(path.strip("/"))
        if not page:  # an unknown address: Dash's router shows the not_found_404 page
            pages = _pages.PAGE_REGISTRY.items()
            page = next((p for m, p in pages if m.split(".")[-1] == "not_found_404"), {})
    except Exception:  # a private Dash helper: never let it break the page
        return fallback
    title: Any = page.get("title", fallback) if page else fallback
    if callable(title):
        title = title(**(variables or {}))
    return str(title)


def localize_document(index: str, title: str) -> str:
    """Put the request's ``lang``, ``dir`` and translated title into Dash's HTML page."""
    lang = current_lang()
    tag = f'<html lang="{lang}" dir="{direction(lang)}">'
    index = _HTML_TAG.sub(tag, index, count=1)
    if has_request_context():
        localized = page_title_for(request.path, translate("Plan CTI"))
        index = index.replace(f"<title>{title}</title>", f"<title>{html.escape(localized)}</title>")
    return index
