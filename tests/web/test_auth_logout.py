"""Signing out takes a POST with the form token: another site cannot sign anyone out (20.7)."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.models import AuditEvent
from tests.web.conftest import CSRF_RE, create_account, login

EVIL = "http://evil.example"


def _signed_in(client: FlaskClient, engine: Engine) -> None:
    create_account(engine, "amina", "viewer")
    assert login(client, "amina").status_code == 302


def _still_signed_in(client: FlaskClient) -> bool:
    return client.get("/_dash-layout").status_code == 200


def _sign_outs(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(AuditEvent).where(AuditEvent.action == "auth.logout")).all())


def _token_on(page: str) -> str:
    match = CSRF_RE.search(page)
    assert match, page[:300]
    return match.group(1)


def _find_token(node: Any) -> str | None:
    """Find the token the sign-out button posts, in Dash's layout JSON."""
    if isinstance(node, dict):
        props = node.get("props", {})
        if node.get("type") == "Button" and props.get("name") == "csrf_token":
            return str(props["value"])
        return next((t for v in node.values() if (t := _find_token(v)) is not None), None)
    if isinstance(node, list):
        return next((t for v in node if (t := _find_token(v)) is not None), None)
    return None


def test_a_get_from_another_site_does_not_sign_out(client: FlaskClient, engine: Engine) -> None:
    _signed_in(client, engine)
    for headers in ({"Referer": f"{EVIL}/page"}, {"Sec-Fetch-Site": "cross-site"}, {}):
        response = client.get("/logout", headers=headers)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert 'method="post"' in page and "Se déconnecter" in page
        assert _still_signed_in(client)
    assert _sign_outs(engine) == 0


def test_a_post_from_another_site_does_not_sign_out(client: FlaskClient, engine: Engine) -> None:
    _signed_in(client, engine)
    token = _token_on(client.get("/logout").get_data(as_text=True))
    refused = client.post("/logout", data={"csrf_token": token}, headers={"Origin": EVIL})
    assert refused.status_code == 403
    assert _still_signed_in(client) and _sign_outs(engine) == 0


def test_a_post_without_the_token_asks_again(client: FlaskClient, engine: Engine) -> None:
    _signed_in(client, engine)
    for data in ({}, {"csrf_token": "forged"}):
        response = client.post("/logout", data=data)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "Le formulaire a expiré : confirmez la déconnexion." in page
        assert _still_signed_in(client)
    signed_out = client.post("/logout", data={"csrf_token": _token_on(page)})
    assert signed_out.status_code == 302 and signed_out.headers["Location"] == "/login?out=1"
    assert not _still_signed_in(client) and _sign_outs(engine) == 1


def test_the_headers_sign_out_button_signs_out(client: FlaskClient, engine: Engine) -> None:
    _signed_in(client, engine)
    layout = json.loads(client.get("/_dash-layout").get_data(as_text=True))
    token = _find_token(layout)
    assert token
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login?out=1"
    assert not _still_signed_in(client)
    assert "Vous êtes déconnecté." in client.get("/login?out=1").get_data(as_text=True)
    assert _sign_outs(engine) == 1


def test_without_a_session_logout_goes_to_the_sign_in_page(client: FlaskClient) -> None:
    for response in (client.get("/logout"), client.post("/logout", data={})):
        assert response.status_code == 302 and response.headers["Location"] == "/login"
