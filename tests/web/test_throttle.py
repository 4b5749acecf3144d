"""Failed sign-ins are throttled per account and per address, in the database (all workers)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.app import create_app
from dashboard.auth import passwords
from dashboard.auth.throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT
from dashboard.config import Settings
from dashboard.db.models import AuditEvent
from tests.web.conftest import PASSWORD, create_account, csrf_token, logout


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Throttling is about counting: a light argon2 keeps these many attempts quick."""
    light = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", light)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", light.hash("dummy"))


def _attempt(client: FlaskClient, username: str, password: str, address: str = "10.0.0.1") -> int:
    data = {"username": username, "password": password, "csrf_token": csrf_token(client)}
    response = client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})
    if response.status_code == 429:
        assert "trop de tentatives" in response.get_data(as_text=True).lower()
    return response.status_code


def test_too_many_failures_on_one_account_lock_it_for_every_address(
    client: FlaskClient, engine: Engine
) -> None:
    create_account(engine, "amina", "viewer")
    for n in range(ACCOUNT_LIMIT):
        assert _attempt(client, "amina", "faux-mot-de-passe", f"10.0.0.{n}") == 401
    # Even the right password, from a new address, must wait.
    assert _attempt(client, "amina", PASSWORD, "10.9.9.9") == 429
    assert _attempt(client, "AMINA", PASSWORD, "10.9.9.8") == 429
    # Another account is not affected.
    create_account(engine, "karim", "viewer")
    assert _attempt(client, "karim", PASSWORD, "10.9.9.7") == 302
    with Session(engine) as session:
        refused = session.exec(select(AuditEvent).where(AuditEvent.outcome == "refused")).all()
        assert len(refused) == 2 and all("tentatives" in e.detail for e in refused)


def test_too_many_failures_from_one_address_block_that_address(
    client: FlaskClient, engine: Engine
) -> None:
    create_account(engine, "amina", "viewer")
    for n in range(ADDRESS_LIMIT):
        assert _attempt(client, f"inconnu-{n}", "faux-mot-de-passe", "10.1.1.1") == 401
    assert _attempt(client, "amina", PASSWORD, "10.1.1.1") == 429
    assert _attempt(client, "amina", PASSWORD, "10.2.2.2") == 302


def test_a_success_clears_the_account_count(client: FlaskClient, engine: Engine) -> None:
    create_account(engine, "amina", "viewer")
    for _ in range(ACCOUNT_LIMIT - 1):
        assert _attempt(client, "amina", "faux-mot-de-passe") == 401
    assert _attempt(client, "amina", PASSWORD) == 302
    logout(client)
    for _ in range(ACCOUNT_LIMIT - 1):
        assert _attempt(client, "amina", "faux-mot-de-passe", "10.3.3.3") == 401
    assert _attempt(client, "amina", PASSWORD, "10.3.3.3") == 302


def test_the_count_is_shared_by_every_worker(
    client: FlaskClient, settings: Settings, engine: Engine
) -> None:
    """Two app instances on one database (two gunicorn workers) share the same count."""
    create_account(engine, "amina", "viewer")
    other = create_app(settings, engine=engine).server.test_client()
    for n in range(ACCOUNT_LIMIT):
        worker = client if n % 2 else other
        assert _attempt(worker, "amina", "faux-mot-de-passe") == 401
    assert _attempt(client, "amina", PASSWORD) == 429
    assert _attempt(other, "amina", PASSWORD) == 429
