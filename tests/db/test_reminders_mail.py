"""E-mail: reminders and reports reach a local SMTP server in French; failures kept, retried."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy.engine import Engine

from dashboard.__main__ import main
from dashboard.config import Settings
from dashboard.domain.periods import Period
from dashboard.services import mailer
from dashboard.services.errors import UserError
from dashboard.services.reminders import report_lines, run_reminders
from tests.db.calendar_support import (
    day,
    make_person,
    notifications,
    outbox,
    seed_calendar,
    validate_history,
)


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses the addresses it is told to."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted"


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, **smtp_options: Any) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **smtp_options)
    controller.start()
    return controller, inbox


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    """A local SMTP server on a free port, stopped after the test."""
    port = free_port()
    controller, inbox = start_server(port)
    yield port, inbox
    controller.stop()


def config(port: int, extra: str = "") -> mailer.SmtpConfig:
    parsed = mailer.parse_smtp_url(f"smtp://127.0.0.1:{port}?from=plan-cti@mcinet.gov.ma{extra}")
    assert parsed is not None
    return parsed


@pytest.fixture
def overdue_plan(any_engine: Engine) -> dict[str, int]:
    """2025-T4 left empty by CETIA and CTTH; an editor of each, with an address."""
    ids = seed_calendar(any_engine)
    validate_history(any_engine, ids, upto=Period(2025, 3))
    make_person(any_engine, "amina", "cti_editor", "CETIA", email="amina@cetia.ma")
    make_person(any_engine, "karim", "cti_editor", "CTTH", email="karim@ctth.ma")
    make_person(any_engine, "sans-adresse", "cti_editor", "CTTH")
    return ids


def test_reminders_arrive_in_french_once(
    any_engine: Engine, overdue_plan: dict[str, int], smtp_server: tuple[int, Inbox]
) -> None:
    port, inbox = smtp_server
    report = run_reminders(
        engine=any_engine, today=day("2026-01-20"), smtp=config(port), base_url="https://cti.ma/"
    )
    assert report.ok and report.mail.sent == 2 and report.queued == 2
    assert report.without_address == 1  # the person without an address still has it in-app
    assert len(notifications(any_engine)) == 3

    by_to = {m["To"]: m for m in inbox.messages}
    message = by_to["amina@cetia.ma"]
    assert message["Subject"] == "[Plan CTI] Saisie en retard : CETIA 2025-T4"
    assert "plan-cti@mcinet.gov.ma" in message["From"]
    body = message.get_content()
    assert body.startswith("Bonjour Amina,")
    assert "en retard de 5 jours (échéance du 15 janvier 2026)" in body
    assert "Ouvrir : https://cti.ma/updates" in body
    assert ("plan-cti@mcinet.gov.ma", ["amina@cetia.ma"]) in inbox.envelopes
    assert all(
        row.status == "sent" and row.sent_at and row.attempts == 1 for row in outbox(any_engine)
    )

    again = run_reminders(engine=any_engine, today=day("2026-01-21"), smtp=config(port))
    assert again.ok and again.mail.sent == 0 and len(inbox.messages) == 2  # never twice


def test_without_smtp_reminders_work_and_nothing_is_queued(
    any_engine: Engine, overdue_plan: dict[str, int]
) -> None:
    report = run_reminders(engine=any_engine, today=day("2026-01-20"), smtp=None)
    assert report.ok and sum(report.created.values()) == 3
    assert outbox(any_engine) == []
    assert "SMTP_URL non configuré" in "\n".join(report_lines(report))


def test_a_failed_connection_is_kept_reported_and_retried_on_the_next_run(
    any_engine: Engine, overdue_plan: dict[str, int]
) -> None:
    port = free_port()  # nothing listens there yet
    first = run_reminders(engine=any_engine, today=day("2026-01-20"), smtp=config(port))
    assert not first.ok and first.mail.failed == 2 and first.mail.sent == 0
    rows = outbox(any_engine)
    assert [(r.status, r.attempts) for r in rows] == [("pending", 1), ("pending", 1)]
    assert all("injoignable" in r.last_error for r in rows)
    lines = "\n".join(report_lines(first))
    assert "nouvel essai au prochain passage" in lines and "amina@cetia.ma" in lines

    controller, inbox = start_server(port)
    try:
        second = run_reminders(engine=any_engine, today=day("2026-01-21"), smtp=config(port))
    finally:
        controller.stop()
    assert second.ok and second.mail.sent == 2 and sum(second.created.values()) == 0
    assert sorted(m["To"] for m in inbox.messages) == ["amina@cetia.ma", "karim@ctth.ma"]
    assert [(r.status, r.attempts, r.last_error) for r in outbox(any_engine)] == [
        ("sent", 2, ""),
        ("sent", 2, ""),
    ]


def test_an_address_refused_for_good_is_abandoned_and_the_others_go(
    any_engine: Engine, overdue_plan: dict[str, int], smtp_server: tuple[int, Inbox]
) -> None:
    port, inbox = smtp_server
    inbox.refuse.add("karim@ctth.ma")
    report = run_reminders(engine=any_engine, today=day("2026-01-20"), smtp=config(port))
    assert report.mail.sent == 1 and report.mail.abandoned == 1 and not report.ok
    refused = next(r for r in outbox(any_engine) if r.to_address == "karim@ctth.ma")
    assert refused.status == "abandoned" and "550" in refused.last_error
    again = run_reminders(engine=any_engine, today=day("2026-01-21"), smtp=config(port))
    assert again.ok and again.mail.sent == 0  # an abandoned e-mail is not retried


def test_login_with_a_percent_encoded_password(
    any_engine: Engine, overdue_plan: dict[str, int]
) -> None:
    seen: list[tuple[str, str]] = []

    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        seen.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=data.password == b"p@ss:w/rd")

    port = free_port()
    controller, inbox = start_server(port, authenticator=check, auth_require_tls=False)
    try:
        smtp = mailer.parse_smtp_url(f"smtp://robot%40cti.ma:p%40ss%3Aw%2Frd@127.0.0.1:{port}")
        assert smtp is not None and smtp.sender == "robot@cti.ma"
        assert "p@ss" not in repr(smtp)  # the password never shows in logs or errors
        report = run_reminders(engine=any_engine, today=day("2026-01-20"), smtp=smtp)
    finally:
        controller.stop()
    assert report.ok and len(inbox.messages) == 2
    assert seen == [("robot@cti.ma", "p@ss:w/rd")]


def test_a_report_is_mailed_with_its_attachment(
    any_engine: Engine, settings: Settings, smtp_server: tuple[int, Inbox]
) -> None:
    port, inbox = smtp_server
    with_smtp = Settings(**{**settings.__dict__, "smtp_url": f"smtp://127.0.0.1:{port}"})
    report = mailer.send_report_mail(
        engine=any_engine,
        settings=with_smtp,
        to="direction@mcinet.gov.ma; dg@mcinet.gov.ma",
        attachment=("rapport-2025.pdf", "application/pdf", b"%PDF-1.7 fictif"),
    )
    assert report.sent == 2 and not report.failures
    message = inbox.messages[0]
    assert message["Subject"] == "[Plan CTI] Rapport de suivi du plan CTI"
    assert "Veuillez trouver ci-joint le rapport" in message.get_body().get_content()  # type: ignore[union-attr]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "rapport-2025.pdf"
    assert attachment.get_content() == b"%PDF-1.7 fictif"
    with pytest.raises(UserError, match="SMTP_URL n'est pas configuré"):
        mailer.send_report_mail(
            engine=any_engine, settings=settings, to="a@b.ma", attachment=("r.pdf", "a/b", b"")
        )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", None),
        ("smtp://mail.gov.ma", ("mail.gov.ma", 25, False, False, "plan-cti@mail.gov.ma")),
        (
            "smtp://u:p@mail.gov.ma:587?starttls=1",
            ("mail.gov.ma", 587, False, True, "plan-cti@mail.gov.ma"),
        ),
        ("smtps://a%40b.ma:x@mail.gov.ma", ("mail.gov.ma", 465, True, False, "a@b.ma")),
    ],
)
def test_smtp_url_forms(url: str, expected: tuple[Any, ...] | None) -> None:
    parsed = mailer.parse_smtp_url(url)
    if expected is None:
        assert parsed is None
    else:
        assert parsed is not None
        assert (
            parsed.host,
            parsed.port,
            parsed.use_ssl,
            parsed.starttls,
            parsed.sender,
        ) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.gov.ma", "le schéma doit être smtp ou smtps"),
        ("smtp://:25", "le nom du serveur manque"),
        ("smtp://mail.gov.ma:99999", "le port"),
        ("smtp://mail.gov.ma?from=pas-une-adresse", "expéditeur"),
    ],
)
def test_a_bad_smtp_url_says_what_is_wrong(url: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        mailer.parse_smtp_url(url)


def test_addresses_are_checked() -> None:
    assert mailer.parse_addresses("a@b.ma, c@d.ma;a@b.ma") == ["a@b.ma", "c@d.ma"]
    with pytest.raises(UserError, match="Adresse e-mail invalide « pas-une-adresse »"):
        mailer.parse_addresses("a@b.ma pas-une-adresse")


# The command line: output, exit codes, and the retry across runs.


@pytest.fixture
def cli_db(engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Engine:
    """Point the command line at the demo database, with a CETIA editor who has an address."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.delenv("SMTP_URL", raising=False)
    make_person(engine, "amina", "cti_editor", "CETIA", email="amina@cetia.ma")
    return engine


def test_remind_command_exit_codes(
    cli_db: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{port}")
    assert main(["remind", "--today", "2026-11-29"]) == 1  # the server is down
    out, err = capsys.readouterr()
    assert "Rappels du 2026-11-29 : 1 nouveau" in out and "en retard 1" in out
    assert "amina@cetia.ma" in out and "nouvel essai au prochain passage" in out
    assert err.count("\n") == 1 and "réessayé au prochain passage" in err

    controller, inbox = start_server(port)
    try:
        assert main(["remind", "--today", "2026-11-30"]) == 0
    finally:
        controller.stop()
    out = capsys.readouterr().out
    assert "0 nouveau" in out and "1 envoyé, 0 en échec" in out
    assert [m["To"] for m in inbox.messages] == ["amina@cetia.ma"]
    assert "CETIA pour 2025-T4" in inbox.messages[0].get_content()


@pytest.mark.parametrize(
    ("args", "env", "reason"),
    [
        (["remind", "--today", "29/11/2026"], "", "attendu une date AAAA-MM-JJ"),
        (["remind"], "ftp://mail", "SMTP_URL invalide"),
    ],
)
def test_remind_command_bad_input(
    cli_db: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    env: str,
    reason: str,
) -> None:
    monkeypatch.setenv("SMTP_URL", env)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and reason in err
    assert notifications(cli_db) == []


def test_remind_command_without_smtp(cli_db: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["remind", "--today", "2026-11-29"]) == 0
    assert "SMTP_URL non configuré" in capsys.readouterr().out
    assert [n.kind for n in notifications(cli_db)] == ["period_overdue"]
