"""Sign-in throttling holds under parallel attempts, and never locks an owner out (issue 20.6).

Attempts race from many threads against one database, on SQLite and PostgreSQL: each is a
browser posting the form. A password is "checked" when its hash runs; the count must be
taken before that, or parallel attempts all read the same count.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from flask import Flask
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


def test_parallel_wrong_passwords_on_one_account_check_at_most_the_limit(
    server: Flask, checks: Checks
) -> None:
    attempts = [("amina", f"faux-{n}", f"10.0.{n // 50}.{n % 50}") for n in range(100)]
    statuses = _in_parallel(server, attempts)
    assert checks.count <= ACCOUNT_LIMIT, f"{checks.count} mots de passe vérifiés"
    assert statuses.count(401) == checks.count
    assert statuses.count(429) == 100 - checks.count


def test_parallel_wrong_passwords_from_one_address_check_at_most_its_limit(
    server: Flask, checks: Checks
) -> None:
    attempts = [(f"inconnu-{n}", "faux-mot-de-passe", "10.1.1.1") for n in range(60)]
    statuses = _in_parallel(server, attempts)
    assert checks.count <= ADDRESS_LIMIT, f"{checks.count} mots de passe vérifiés"
    assert statuses.count(429) == 60 - checks.count


def test_the_owner_signs_in_from_the_usual_address_while_an_attacker_is_slowed(
    server: Flask, checks: Checks
) -> None:
    assert _attempt(server, "amina", PASSWORD, "10.0.0.1") == 302  # her office
    attacks = [("amina", f"faux-{n}", "10.6.6.6") for n in range(30)]
    attacks += [("amina", f"faux-{n}", f"10.7.7.{n}") for n in range(30)]
    statuses = _in_parallel(server, attacks)
    assert statuses.count(429) >= 60 - ACCOUNT_LIMIT
    # The attacker is stopped even with the right password, from anywhere but her office...
    assert _attempt(server, "amina", PASSWORD, "10.6.6.6") == 429
    assert _attempt(server, "amina", PASSWORD, "10.8.8.8") == 429
    # ... while she still signs in from there.
    assert _attempt(server, "amina", PASSWORD, "10.0.0.1") == 302
    assert _attempt(server, "amina", PASSWORD, "10.0.0.1") == 302
