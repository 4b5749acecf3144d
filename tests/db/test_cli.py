"""The command line: each command works, and bad input exits non-zero with one line."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from dashboard.__main__ import main
from dashboard.db.engine import make_engine
from dashboard.db.models import AuditEvent, User


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the command line at a new SQLite file in a temporary folder."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    return url


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_commands_before_init_db_say_what_to_do(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "init-db" in err


def test_init_seed_and_create_user(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init-db"]) == 0
    assert main(["seed"]) == 0
    _stdin(monkeypatch, "un-mot-de-passe-long\n")
    assert (
        main(["create-user", "amina", "--role", "cti_editor", "--cti", "cetia", "--password-stdin"])
        == 0
    )
    with Session(make_engine(db_url)) as session:
        user = session.exec(select(User).where(User.username == "amina")).one()
        assert user.role == "cti_editor" and user.cti_id is not None
        assert user.password_hash.startswith("$argon2")
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "user.create")).one()


@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        (
            ["create-user", "x1y", "--role", "cti_editor", "--cti", "NOPE"],
            "long-password-1\n",
            "CTI inconnu",
        ),
        (["create-user", "x1y", "--role", "cti_editor"], "long-password-1\n", "--cti"),
        (["create-user", "x1y", "--role", "viewer"], "court\n", "10 caractères"),
        (["create-user", "a b", "--role", "viewer"], "long-password-1\n", "Identifiant invalide"),
        (["set-password", "personne"], "long-password-1\n", "Aucun compte"),
        (["disable-user", "personne"], "", "Aucun compte"),
        (["seed", "--demo", "--scale", "0"], "", "--scale"),
    ],
)
def test_bad_arguments_exit_non_zero_with_one_line(
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: str,
    expected: str,
) -> None:
    assert main(["init-db"]) == 0
    assert main(["seed"]) == 0
    capsys.readouterr()
    _stdin(monkeypatch, stdin)
    if args[0] in ("create-user", "set-password"):
        args = [*args, "--password-stdin"]
    assert main(args) != 0
    err = capsys.readouterr().err.strip()
    assert expected in err and err.count("\n") == 0 and "Traceback" not in err


def test_unknown_role_is_refused_by_the_parser(db_url: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["create-user", "bob", "--role", "boss", "--password-stdin"])
    assert exc.value.code == 2


def test_unreachable_database_is_one_line_without_traceback(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        "DASHBOARD_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 40,
    }
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "init-db"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "injoignable" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("serve", "init-db", "seed", "create-user", "set-password", "disable-user"):
        assert command in out


def test_backup_and_restore_commands(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init-db"]) == 0
    assert main(["seed"]) == 0
    archive = tmp_path / "sauvegarde.zip"
    assert main(["backup", "--out", str(archive)]) == 0
    assert archive.exists()
    assert main(["restore", str(archive)]) == 0
    capsys.readouterr()
    assert main(["backup", "--out", str(tmp_path / "absent" / "x.zip")]) == 2
    assert main(["restore", str(tmp_path / "absent.zip")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "Dossier introuvable" in err[0] and "introuvable" in err[1]
