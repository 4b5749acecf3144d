"""The interface language of a request and of each account (``?lang=``, session, account)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col

from dashboard.db.engine import session_scope
from dashboard.db.models import User
from dashboard.i18n import DEFAULT_LANG, normalize_lang


def choose_language(
    *, asked: object, session_lang: object, account_lang: object, default: str = DEFAULT_LANG
) -> str:
    """Return the language to use: asked in the URL, else the session's, the account's, default.

    The session's choice comes before the account's so that a person who switches language
    sees it at once on the next page, even before the account has been updated.
    """
    for value in (asked, session_lang, account_lang, default):
        lang = normalize_lang(value)
        if lang is not None:
            return lang
    return DEFAULT_LANG


def remember_language(*, engine: Engine, user_id: int, lang: str) -> bool:
    """Store an account's language (its choice follows it to any browser); tell if it changed."""
    code = normalize_lang(lang)
    if code is None:
        return False
    with session_scope(engine) as session:
        result = session.exec(
            update(User)
            .where(col(User.id) == user_id, col(User.language) != code)
            .values(language=code)
        )
        return bool(result.rowcount)
