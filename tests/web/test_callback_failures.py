"""A write that fails for a reason outside the form says so: busy or read-only base, or a reference.

The complaint (issue 20.5): with the database locked by another writer, read-only, or an
unexpected error, the form's message stayed empty. Each case replays the account creation
form's callback as the browser sends it.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.app import create_app
from dashboard.components.callback_errors import NOTIFICATIONS_ID
from dashboard.config import Settings
from dashboard.db.models import AuthSession, User
from dashboard.services import users
from tests.web.conftest import callback_body, create_account, login

REFERENCE = re.compile(r"référence ([0-9A-F]{6})")


def _create_account(client: FlaskClient, app: Dash, username: str) -> Any:
    """Post the account creation form, as the browser does when « Créer » is clicked."""
    key = next(k for k in app.callback_map if "admin-users-message.children" in k)
    body = callback_body(key, app.callback_map[key])
    values = {
        "admin-users-create-button": 1,
        "admin-users-new-username": username,
        "admin-users-new-fullname": "Nouvelle Personne",
        "admin-users-new-role": "viewer",
    }
    for item in body["inputs"] + body["state"]:
        item["value"] = values.get(item["id"])
    body["changedPropIds"] = ["admin-users-create-button.n_clicks"]
    return client.post("/_dash-update-component", json=body)


def _notice(response: Any) -> str:
    """Return the text of the notification the answer shows (it must show exactly one)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    answer = response.get_json()
    [shown] = answer["sideUpdate"][NOTIFICATIONS_ID]["sendNotifications"]
    assert answer["response"] == {}  # the form and the grid are left as they were
    return f"{shown['title']} · {shown['message']}"


def _exists(engine: Engine, username: str) -> bool:
    with Session(engine) as session:
        return session.exec(select(User).where(User.username == username)).first() is not None


def _sqlite_path(engine: Engine) -> str:
    if engine.dialect.name != "sqlite":
        pytest.skip("the file-level locks are SQLite's")
    path = engine.url.database
    assert path
    return path


def _on_new_connections(engine: Engine, pragma: str) -> None:
    """Run a pragma on every new connection of the app's engine, from now on."""

    def _apply(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(pragma)

    event.listen(engine, "connect", _apply)
    engine.dispose()


@contextmanager
def _locked_by_another_writer(path: str) -> Iterator[None]:
    """Hold SQLite's write lock from another connection (another process or worker writing)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_write_on_a_locked_database_says_it_is_busy(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    path = _sqlite_path(engine)
    signed_in("admin", username="chef")
    _on_new_connections(engine, "PRAGMA busy_timeout=200")  # wait 0.2 s, not 5 s
    with _locked_by_another_writer(path):
        response = _create_account(client, app, "pendant-verrou")
    text = _notice(response)
    assert "La base est occupée : réessayez dans un instant." in text
    assert "Traceback" not in text and "locked" not in text
    assert not _exists(engine, "pendant-verrou")
    # Once the other writer is done, the same form goes through.
    assert "admin-users-new-password" in _create_account(client, app, "apres-verrou").get_data(
        as_text=True
    )


def test_a_write_on_a_read_only_database_says_to_warn_the_administrator(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    _sqlite_path(engine)
    signed_in("admin", username="chef")
    # SQLite answers as for a file it may not write (SQLITE_READONLY); the machine's tests run
    # as root, for whom a file's permissions forbid nothing.
    _on_new_connections(engine, "PRAGMA query_only=ON")
    response = _create_account(client, app, "lecture-seule")
    text = _notice(response)
    assert "La base est en lecture seule : prévenez l'administrateur." in text
    assert "readonly" not in text
    assert not _exists(engine, "lecture-seule")


def test_an_unexpected_error_gives_a_reference_the_log_carries(
    app: Dash,
    client: FlaskClient,
    engine: Engine,
    signed_in: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    signed_in("admin", username="chef")

    def explode(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(users, "create_with_random_password", explode)
    with caplog.at_level(logging.ERROR):
        response = _create_account(client, app, "jamais")
    text = _notice(response)
    raw = json.dumps(response.get_json())
    assert "secret" not in raw and "Traceback" not in raw and "RuntimeError" not in raw
    match = REFERENCE.search(text)
    assert match, text
    assert "Réessayez ; si elle se reproduit, donnez cette référence au support." in text
    [record] = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert record.exc_info and "secret internal detail" in caplog.text
    assert "Traceback" in caplog.text
    # Two failures, two references.
    again = REFERENCE.search(_notice(_create_account(client, app, "jamais")))
    assert again and again.group(1) != match.group(1)


def test_a_failure_speaks_the_page_language(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    _sqlite_path(engine)
    signed_in("admin", username="chef")
    client.get("/?lang=en", headers={"Accept": "text/html"})
    _on_new_connections(engine, "PRAGMA query_only=ON")
    text = _notice(_create_account(client, app, "read-only"))
    assert "read-only" in text.lower() and "lecture seule" not in text


def test_a_busy_database_before_the_callback_is_told_too(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    # Loading the account notes its activity once a minute (a write): with the base locked
    # then, the request used to fail before the callback, with a 500 the page shows nowhere.
    path = _sqlite_path(engine)
    signed_in("admin", username="chef")
    with Session(engine) as session:
        for row in session.exec(select(AuthSession)).all():
            row.last_seen_at = row.last_seen_at - timedelta(minutes=2)
            session.add(row)
        session.commit()
    _on_new_connections(engine, "PRAGMA busy_timeout=200")
    with _locked_by_another_writer(path):
        response = _create_account(client, app, "pendant-verrou")
    assert "La base est occupée : réessayez dans un instant." in _notice(response)
    assert not _exists(engine, "pendant-verrou")


def test_other_requests_still_get_the_error_page(
    settings: Settings, engine: Engine, signed_in: Any
) -> None:
    app = create_app(settings, engine=engine)

    def explode() -> str:
        raise RuntimeError("secret internal detail")

    app.server.add_url_rule("/explode", view_func=explode)
    client = app.server.test_client()
    create_account(engine, "amina", "viewer")
    login(client, "amina")
    page = client.get("/explode", headers={"Accept": "text/html"})
    assert page.status_code == 500 and "secret" not in page.get_data(as_text=True)
