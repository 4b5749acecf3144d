"""Sign-in throttling holds under parallel attempts, and never locks an owner out (issue 20.6).

Attempts race from many threads against one database, on SQLite and PostgreSQL: each is a
browser posting the form. A password is "checked" when its hash runs; the count must be
taken before that, or parallel attempts all read the same count.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from dashboard.app import create_app
from dashboard.auth import passwords, signin
from dashboard.auth.throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT
from dashboard.config import Settings
from tests.web.conftest import PASSWORD, create_account, csrf_token

HASH_TIME = 0.05  # what a real argon2 hash takes, about: the window parallel attempts race in


class Checks:
    """Counts the passwords actually checked (hashed)."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Checks:
    """Count every password check; a light argon2 plus a pause as long as a real hash."""
    light = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", light)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", light.hash("dummy"))
    seen = Checks()
    verify: Callable[[str | None, str], bool] = passwords.verify_password

    def counting(stored_hash: str | None, password: str) -> bool:
        with seen.lock:
            seen.count += 1
        time.sleep(HASH_TIME)
        return verify(stored_hash, password)

    monkeypatch.setattr(signin, "verify_password", counting)
    return seen


@pytest.fixture
def server(settings: Settings, any_engine: Engine) -> Iterator[Flask]:
    """The app on a fresh database of each backend, with the account "amina"."""
    create_account(any_engine, "amina", "viewer")
    yield create_app(settings, engine=any_engine).server


def _attempt(server: Flask, username: str, password: str, address: str) -> int:
    client = server.test_client()
    data = {"username": username, "password": password, "csrf_token": csrf_token(client)}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address}).status_code


def _in_parallel(server: Flask, attempts: list[tuple[str, str, str]]) -> list[int]:
    """Post every attempt at once, each from its own browser; return the statuses."""
    start = threading.Barrier(len(attempts))

    def one(attempt: tuple[str, str, str]) -> int:
        client = server.test_client()
        username, password, address = attempt
        data = {"username": username, "password": password, "csrf_token": csrf_token(client)}
        start.wait(timeout=60)
        response = client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})
        return response.status_code

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(one, attempts))


def _refused_or_busy(statuses: list[int], expected: int) -> None:
    """Check that the attempts not checked were refused (429), or told the base was busy.

    A hundred writers at once in one process (threads taking turns under the GIL) can keep
    SQLite's write lock longer than an attempt waits for it (5 s): that attempt is answered
    503 « La base est occupée » (up to 12 of 100 seen), never an error page (500).
    """
    assert statuses.count(429) + statuses.count(503) == expected, statuses
    assert statuses.count(429) >= expected // 2, statuses


def test_parallel_wrong_passwords_on_one_account_check_at_most_the_limit(
    server: Flask, checks: Checks
) -> None:
    attempts = [("amina", f"faux-{n}", f"10.0.{n // 50}.{n % 50}") for n in range(100)]
    statuses = _in_parallel(server, attempts)
    assert checks.count <= ACCOUNT_LIMIT, f"{checks.count} mots de passe vérifiés"
    assert statuses.count(401) == checks.count
    _refused_or_busy(statuses, 100 - checks.count)


def test_parallel_wrong_passwords_from_one_address_check_at_most_its_limit(
    server: Flask, checks: Checks
) -> None:
    attempts = [(f"inconnu-{n}", "faux-mot-de-passe", "10.1.1.1") for n in range(60)]
    statuses = _in_parallel(server, attempts)
    assert checks.count <= ADDRESS_LIMIT, f"{checks.count} mots de passe vérifiés"
    assert statuses.count(401) == checks.count
    _refused_or_busy(statuses, 60 - checks.count)


def test_the_owner_signs_in_from_the_usual_address_while_an_attacker_is_slowed(
    server: Flask, checks: Checks
) -> None:
    assert _attempt(server, "amina", PASSWORD, "10.0.0.1") == 302  # her office
    attacks = [("amina", f"faux-{n}", "10.6.6.6") for n in range(30)]
    attacks += [("amina", f"faux-{n}", f"10.7.7.{n}") for n in range(30)]
    statuses = _in_parallel(server, attacks)
    assert checks.count <= 1 + ACCOUNT_LIMIT
    _refused_or_busy(statuses, 60 - statuses.count(401))
    # The attacker is stopped even with the right password, from anywhere but her office...
    assert _attempt(server, "amina", PASSWORD, "10.6.6.6") == 429
    assert _attempt(server, "amina", PASSWORD, "10.8.8.8") == 429
    # ... while she still signs in from there.
    assert _attempt(server, "amina", PASSWORD, "10.0.0.1") == 302
    assert _attempt(server, "amina", PASSWORD, "10.0.0.1") == 302


def test_a_sign_in_on_a_locked_base_says_it_is_busy(
    server: Flask, any_engine: Engine, checks: Checks
) -> None:
    if any_engine.dialect.name != "sqlite":
        pytest.skip("the file-level locks are SQLite's")

    def short_wait(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=200")  # wait 0.2 s, not 5 s

    event.listen(any_engine, "connect", short_wait)
    any_engine.dispose()
    client = server.test_client()
    token = csrf_token(client)
    other = sqlite3.connect(str(any_engine.url.database), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another worker writing
    try:
        data = {"username": "amina", "password": PASSWORD, "csrf_token": token}
        response = client.post("/login", data=data)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "La base est occupée : réessayez dans un instant." in page
    assert checks.count == 0  # refused before any password was checked
    assert client.post("/login", data=data).status_code == 302
