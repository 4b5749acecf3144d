"""The account of the current request, through Flask-Login and the server-side sessions."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, g, has_request_context
from flask_login import LoginManager, UserMixin, current_user
from sqlalchemy.engine import Engine

from dashboard.auth import tokens
from dashboard.auth.account import Account
from dashboard.db.engine import session_scope
from dashboard.services import audit


class SessionUser(UserMixin):  # type: ignore[misc]
    """What Flask-Login keeps for a request: the account and the session token behind it."""

    def __init__(self, account: Account, token: str) -> None:
        self.account = account
        self.token = token

    def get_id(self) -> str:
        """Return the session token: Flask-Login stores it in the signed cookie."""
        return self.token


def current_account() -> Account | None:
    """Return the signed-in account of this request, or None (anonymous or outside a request)."""
    if not has_request_context():
        return None
    user = current_user._get_current_object()
    if isinstance(user, SessionUser):
        return user.account
    return None


def current_token() -> str | None:
    """Return the session token of this request, or None when nobody is signed in."""
    if not has_request_context():
        return None
    user = current_user._get_current_object()
    return user.token if isinstance(user, SessionUser) else None


def install_login_manager(server: Flask, engine: Engine, idle: timedelta) -> LoginManager:
    """Load the account behind the session token on each request; end stale sessions."""
    manager = LoginManager()
    # The server-side session is what we trust; "basic" marks a session non-fresh if the
    # browser's address or agent changes, without signing out a user whose address moves.
    manager.session_protection = "basic"
    manager.init_app(server)

    @manager.user_loader  # type: ignore[untyped-decorator]
    def _load(token: str) -> SessionUser | None:
        with session_scope(engine) as session:
            loaded = tokens.load_session(session, token, idle=idle)
            if loaded.account is None:
                g.auth_end_reason = loaded.reason
                if loaded.reason in ("expired", "disabled"):
                    audit.record(
                        session,
                        action="auth.session_end",
                        user_id=loaded.user_id,
                        username=loaded.username,
                        entity="user",
                        entity_id=loaded.user_id or "",
                        detail="session expirée (inactivité)"
                        if loaded.reason == "expired"
                        else "compte désactivé",
                    )
                return None
        return SessionUser(loaded.account, token)

    return manager
