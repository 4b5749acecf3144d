"""Which words a failed callback gets: busy, read-only, refused, or unexpected with a reference."""

from __future__ import annotations

import re
import sqlite3

import psycopg.errors as pg
import pytest
from sqlalchemy import exc as sa

from dashboard.components.callback_errors import (
    BUSY,
    READ_ONLY,
    REFUSED,
    UNEXPECTED,
    describe_failure,
    notification,
)
from dashboard.services.errors import PermissionDenied


def _sqlite_error(pragma: str, statement: str) -> sqlite3.Error:
    """Make SQLite raise for real, as the app's driver does (an in-memory base)."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (a)")
    db.execute(pragma)
    try:
        db.execute(statement)
    except sqlite3.Error as error:
        return error
    finally:
        db.close()
    raise AssertionError("SQLite accepted the statement")


def _wrapped(orig: BaseException) -> sa.DBAPIError:
    """Wrap a driver's error as SQLAlchemy does (with the statement and its values)."""
    return sa.OperationalError("INSERT INTO t VALUES (?)", ("secret",), orig)


@pytest.mark.parametrize(
    ("orig", "kind"),
    [
        (sqlite3.OperationalError("database is locked"), BUSY),
        (sqlite3.OperationalError("database table is locked"), BUSY),
        (_sqlite_error("PRAGMA query_only=ON", "INSERT INTO t VALUES (1)"), READ_ONLY),
        (pg.SerializationFailure("could not serialize access"), BUSY),
        (pg.DeadlockDetected("deadlock detected"), BUSY),
        (pg.LockNotAvailable("could not obtain lock"), BUSY),
        (pg.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction"), READ_ONLY),
    ],
)
def test_database_errors_are_told_in_words_a_person_can_act_on(
    orig: BaseException, kind: str
) -> None:
    failure = describe_failure(_wrapped(orig))
    assert failure.kind == kind and failure.reference is None
    expected = "occupée" if kind == BUSY else "lecture seule"
    assert expected in failure.message and "secret" not in failure.message


def test_a_database_error_behind_another_is_found() -> None:
    try:
        try:
            raise _wrapped(sqlite3.OperationalError("database is locked"))
        except sa.OperationalError as error:
            raise RuntimeError("saving failed") from error
    except RuntimeError as outer:
        assert describe_failure(outer).kind == BUSY


@pytest.mark.parametrize(
    "error",
    [
        RuntimeError("secret internal detail"),
        KeyError("secret"),
        _wrapped(sqlite3.OperationalError("no such table: secret")),
        _wrapped(pg.UndefinedColumn("column secret does not exist")),
    ],
)
def test_anything_else_gets_a_fresh_reference_and_no_detail(error: Exception) -> None:
    first, second = describe_failure(error), describe_failure(error)
    assert first.kind == UNEXPECTED
    assert first.reference and re.fullmatch(r"[0-9A-F]{6}", first.reference)
    assert first.reference != second.reference
    assert f"(référence {first.reference})" in first.message
    assert "secret" not in first.message


def test_a_refusal_keeps_its_own_message() -> None:
    failure = describe_failure(PermissionDenied("Accès refusé : pas ce CTI."))
    assert (failure.kind, failure.message) == (REFUSED, "Accès refusé : pas ce CTI.")
    shown = notification(failure)
    assert shown["message"] == "Accès refusé : pas ce CTI." and shown["autoClose"] is False
