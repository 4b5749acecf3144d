"""The token that the sign-in and sign-out forms carry, checked against the signed cookie.

The request guard already refuses a POST whose Origin or Referer names another site; the
token also covers a browser that sends neither.
"""

from __future__ import annotations

import hmac
import secrets

from flask import has_request_context, request, session

SESSION_KEY = "csrf_token"


def csrf_token() -> str:
    """Return this browser's form token, created on first use ("" outside a request)."""
    if not has_request_context():
        return ""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def csrf_ok() -> bool:
    """Tell whether the posted form carries this browser's token."""
    expected = session.get(SESSION_KEY)
    sent = request.form.get(SESSION_KEY, "")
    return isinstance(expected, str) and bool(expected) and hmac.compare_digest(sent, expected)
