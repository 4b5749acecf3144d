"""Accounts, sessions, throttling and `require` against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.__main__ import main
from dashboard.auth import throttle, tokens
from dashboard.auth.account import Account
from dashboard.auth.passwords import verify_password
from dashboard.auth.permissions import Action, require
from dashboard.auth.signin import sign_in
from dashboard.db.engine import make_engine, session_scope
from dashboard.db.models import AuditEvent, AuthSession, Cti, User, utcnow
from dashboard.services import users
from dashboard.services.errors import PermissionDenied, UserError

PASSWORD = "motdepasse-long-1"
IDLE = timedelta(minutes=60)


@pytest.fixture
def db(any_engine: Engine) -> Engine:
    """An empty database with one CTI and one administrator."""
    with session_scope(any_engine) as session:
        session.add(Cti(acronym="CETIA", name="Centre", sector="agro", federation="FENIP"))
        session.flush()
        users.create_user(session, username="chef", role="admin", password=PASSWORD)
    return any_engine


def _account(engine: Engine, username: str) -> Account:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        return tokens.to_account(session, user)


def test_names_are_unique_whatever_the_case(db: Engine) -> None:
    with pytest.raises(UserError, match="existe déjà"), session_scope(db) as session:
        users.create_user(session, username="CHEF", role="viewer", password=PASSWORD)


def test_cti_editor_gets_its_cti_and_account_says_which(db: Engine) -> None:
    with session_scope(db) as session:
        users.create_user(
            session, username="salma", role="cti_editor", password=PASSWORD, cti="cetia"
        )
    account = _account(db, "salma")
    assert account.cti_acronym == "CETIA" and account.cti_id is not None


def test_refusal_is_logged_and_the_refused_change_is_not_written(db: Engine) -> None:
    with session_scope(db) as session:
        users.create_user(session, username="lecteur", role="viewer", password=PASSWORD)
    viewer = _account(db, "lecteur")
    with pytest.raises(PermissionDenied, match="Accès refusé"), session_scope(db) as session:
        session.add(Cti(acronym="XX", name="x", sector="x", federation="x"))  # pending work
        require(viewer, Action.MANAGE_REFERENCE, session=session, detail="essai")
    with Session(db) as session:
        assert session.exec(select(Cti).where(Cti.acronym == "XX")).first() is None
        event = session.exec(select(AuditEvent).where(AuditEvent.outcome == "refused")).one()
        assert (event.username, event.action, event.detail) == (
            "lecteur",
            "manage_reference",
            "essai",
        )


def test_anonymous_callers_are_refused(db: Engine) -> None:
    with pytest.raises(PermissionDenied, match="Connexion requise"), session_scope(db) as s:
        users.create_user(s, username="x-y-z", role="admin", password=PASSWORD, actor=None)
    with Session(db) as session:
        assert session.exec(select(User).where(User.username == "x-y-z")).first() is None


def test_change_role_checks_cti_and_keeps_an_admin(db: Engine) -> None:
    admin = _account(db, "chef")
    with session_scope(db) as session:
        users.create_user(session, username="karim", role="viewer", password=PASSWORD)
    with pytest.raises(UserError, match="CTI"), session_scope(db) as session:
        users.change_role(session, actor=admin, username="karim", role="cti_editor", cti=None)
    with session_scope(db) as session:
        users.change_role(session, actor=admin, username="karim", role="cti_editor", cti="CETIA")
    assert _account(db, "karim").cti_acronym == "CETIA"
    with pytest.raises(UserError, match="dernier administrateur"), session_scope(db) as session:
        users.change_role(session, actor=admin, username="chef", role="viewer", cti=None)


def test_reset_password_gives_a_working_random_password_and_ends_sessions(db: Engine) -> None:
    with session_scope(db) as session:
        result = sign_in(session, username="chef", password=PASSWORD, address="10.0.0.1")
    assert result.token
    with session_scope(db) as session:
        password = users.reset_password(session, actor=_account(db, "chef"), username="chef")
    assert len(password) >= 12
    with session_scope(db) as session:
        assert tokens.load_session(session, result.token, idle=IDLE).reason == "ended"
        user = session.exec(select(User).where(User.username == "chef")).one()
        assert verify_password(user.password_hash, password)


def test_sessions_expire_after_inactivity(db: Engine) -> None:
    with session_scope(db) as session:
        token = sign_in(session, username="chef", password=PASSWORD, address="").token
    assert token
    later = utcnow() + IDLE + timedelta(seconds=1)
    with session_scope(db) as session:
        assert tokens.load_session(session, token, idle=IDLE).account is not None
        assert tokens.load_session(session, token, idle=IDLE, now=later).reason == "expired"
    with session_scope(db) as session:
        assert tokens.load_session(session, token, idle=IDLE).reason == "ended"
        assert session.exec(select(AuthSession)).one().end_reason == "expired"


def test_only_the_token_hash_is_stored(db: Engine) -> None:
    with session_scope(db) as session:
        token = sign_in(session, username="chef", password=PASSWORD, address="").token
    assert token
    with Session(db) as session:
        stored = session.exec(select(AuthSession.token_hash)).one()
    assert token not in stored and len(stored) == 64


def test_throttle_counts_a_window_and_then_forgets(db: Engine) -> None:
    start = utcnow() - timedelta(minutes=1)
    with session_scope(db) as session:
        for n in range(throttle.ACCOUNT_LIMIT):
            limits = throttle.limits_for(username="chef", address=f"10.0.0.{n}", usual=False)
            assert throttle.reserve(session, limits, now=start) == 0
    with session_scope(db) as session:
        limits = throttle.limits_for(username="Chef", address="10.9.9.9", usual=False)
        wait = throttle.wait_seconds(session, limits, now=start + timedelta(seconds=1))
        assert 1 <= wait <= 60
        later = start + throttle.FORGET
        assert throttle.wait_seconds(session, limits, now=later) == 0


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """A migrated database with the reference facts, which the command line points at."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    assert main(["init-db"]) == 0 and main(["seed"]) == 0
    return make_engine(url)


def test_demo_accounts_are_random_shown_once_and_never_in_production(
    cli_db: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DASHBOARD_ENV", "production")
    assert main(["demo-accounts"]) == 2
    assert "production" in capsys.readouterr().err
    with Session(cli_db) as session:
        assert session.exec(select(User)).first() is None
    monkeypatch.setenv("DASHBOARD_ENV", "development")
    assert main(["demo-accounts"]) == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()[1:]]
    assert {line[1] for line in lines} == {"viewer", "analyst", "cti_editor", "admin"}
    passwords = [line[2] for line in lines]
    assert len(set(passwords)) == 4 and all(len(p) >= 12 for p in passwords)
    with session_scope(cli_db) as session:
        name, password = lines[0][0], passwords[0]
        assert sign_in(session, username=name, password=password, address="").token
    assert main(["demo-accounts"]) == 0
    second = capsys.readouterr().out
    assert not any(p in second for p in passwords)


def test_disable_and_enable_from_the_command_line(
    cli_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    args = ["create-user", "amina", "--role", "viewer", "--full-name", "Amina E."]
    assert main([*args, "--password-stdin"]) == 0
    with session_scope(cli_db) as session:
        token = sign_in(session, username="amina", password=PASSWORD, address="").token
    assert token
    assert main(["disable-user", "amina"]) == 0
    with session_scope(cli_db) as session:
        assert tokens.load_session(session, token, idle=IDLE).account is None
        assert sign_in(session, username="amina", password=PASSWORD, address="").token is None
    assert main(["enable-user", "amina"]) == 0
    with session_scope(cli_db) as session:
        assert sign_in(session, username="amina", password=PASSWORD, address="").token
        user = session.exec(select(User).where(User.username == "amina")).one()
        assert user.full_name == "Amina E."
