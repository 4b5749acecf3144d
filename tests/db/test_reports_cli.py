"""`python -m dashboard report`: a file on success; a one-line French reason and a non-zero exit."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine

from dashboard.__main__ import main
from dashboard.services.errors import UserError
from dashboard.services.reports import check_request
from tests.conftest import DEMO_TODAY


@pytest.fixture
def cli_env(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """Point the command line at the demo database, on the demo date."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DASHBOARD_TODAY", DEMO_TODAY.isoformat())
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.delenv("SMTP_URL", raising=False)
    return engine


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith("Erreur : ") and "\n" not in err, err
    return err


def test_report_writes_the_workbook(cli_env: Engine, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "rapport.xlsx"
    assert main(["report", "--format", "xlsx", "--out", str(out), "--cti", "cetia"]) == 0
    assert "Rapport écrit" in capsys.readouterr().out
    assert openpyxl.load_workbook(out)["Synthèse"]["A2"].value == "Plan CTI 2022-2025 · CETIA"


def test_report_writes_the_pdf(cli_env: Engine, tmp_path: Path) -> None:
    out = tmp_path / "rapport.pdf"
    assert (
        main(["report", "--format", "pdf", "--out", str(out), "--cti", "CMTC", "--year", "2023"])
        == 0
    )
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--cti", "XYZ"], "CTI inconnu « XYZ »"),
        (["--year", "2019"], "hors du plan 2022-2025"),
        (["--year", "deux-mille"], "Année invalide"),
        (["--year", "2024", "--quarter", "7"], "Trimestre invalide"),
        (["--mail-to", "pas-une-adresse"], "Adresse e-mail invalide"),
        (["--mail-to", "direction@industrie.gov.ma"], "SMTP_URL n'est pas configuré"),
    ],
)
def test_bad_requests_exit_non_zero_with_a_reason(
    cli_env: Engine, tmp_path: Path, capsys: Any, args: list[str], words: str
) -> None:
    out = tmp_path / "rapport.xlsx"
    assert main(["report", "--format", "xlsx", "--out", str(out), *args]) == 2
    assert words in _one_line_error(capsys)
    assert not out.exists()


@pytest.mark.parametrize(
    ("out", "words"),
    [
        ("absent/rapport.pdf", "Dossier introuvable"),
        ("rapport.xlsx", "un rapport pdf s'écrit dans un fichier .pdf"),
        (".", "est un dossier"),
    ],
)
def test_unusable_output_paths_are_refused_before_any_work(
    cli_env: Engine, tmp_path: Path, capsys: Any, out: str, words: str
) -> None:
    assert main(["report", "--format", "pdf", "--out", str(tmp_path / out)]) == 2
    assert words in _one_line_error(capsys)


def test_an_unwritable_path_is_refused(cli_env: Engine, capsys: Any) -> None:
    # /proc takes no new file, whoever runs the tests (root included).
    assert main(["report", "--format", "xlsx", "--out", "/proc/rapport.xlsx"]) == 2
    assert "Écriture impossible dans /proc/rapport.xlsx" in _one_line_error(capsys)


def test_a_year_not_begun_is_refused(engine: Engine) -> None:
    with pytest.raises(UserError, match="pas encore commencée"):
        check_request(engine=engine, today=DEMO_TODAY.replace(year=2023), fmt="pdf", year=2024)
    with pytest.raises(UserError, match="n'a pas encore commencé"):
        check_request(
            engine=engine, today=DEMO_TODAY.replace(year=2024, month=2), fmt="pdf", quarter=3
        )


class Inbox:
    """An aiosmtpd handler that keeps the messages it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        await asyncio.sleep(0)
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A local SMTP server, set as SMTP_URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{port}")
    yield inbox
    controller.stop()


def test_mail_to_sends_the_report_as_an_attachment(
    cli_env: Engine, smtp: Inbox, tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "rapport.xlsx"
    to = "direction@industrie.gov.ma, facet@industrie.gov.ma"
    assert main(["report", "--format", "xlsx", "--out", str(out), "--mail-to", to]) == 0
    assert "Courriels envoyés : 2" in capsys.readouterr().out
    assert len(smtp.messages) == 2
    parts = [p for p in smtp.messages[0].walk() if p.get_filename()]
    assert [p.get_filename() for p in parts] == ["rapport-cti-national-2025-20261129.xlsx"]
    assert parts[0].get_payload(decode=True) == out.read_bytes()
