"""A value returned by an analyst is in its editor's bell at once, with the reason (19.10)."""

from __future__ import annotations

import dataclasses
from datetime import date

from flask import Flask
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.config import Settings
from dashboard.db.engine import session_scope
from dashboard.db.models import EmailOutbox, Notification, User
from dashboard.services import notifications
from dashboard.services.context import EXTENSION
from dashboard.services.progress import save_progress
from dashboard.services.progress_workflow import reject_progress
from dashboard.services.reminders import run_reminders
from dashboard.services.users import disable_user
from tests.db.entry_support import FREE_PERIOD, TODAY, indicator_of, make_account


def _submit_and_return(engine: Engine, editor, analyst, reason: str) -> int:  # type: ignore[no-untyped-def]
    indicator = indicator_of(engine, "CETIA", "entreprises")
    with session_scope(engine) as session:
        entry = save_progress(
            session=session,
            account=editor,
            indicator_id=indicator.id,
            value=14,
            period=FREE_PERIOD,
            today=TODAY,
            submit=True,
        ).entry
        update_id, version = entry.id, entry.version
    assert update_id is not None
    with session_scope(engine) as session:
        reject_progress(
            session=session, account=analyst, update_id=update_id, version=version, reason=reason
        )
    return update_id


def test_a_returned_value_is_in_its_editors_bell_at_once_and_said_once(engine: Engine) -> None:
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    colleague = make_account(engine, "saisie-cetia-2", "cti_editor", "CETIA")
    analyst = make_account(engine, "analyste", "analyst")
    assert notifications.unread_count(engine=engine, user_id=editor.id) == 0

    update_id = _submit_and_return(engine, editor, analyst, "Chiffre cumulé, pas trimestriel")

    # No `remind` run in between: the bell counts it and the list says why.
    assert notifications.unread_count(engine=engine, user_id=editor.id) == 1
    with Session(engine) as session:
        [row] = notifications.list_for(session, account=editor)
    assert row.kind == "value_returned" and row.link == "/updates"
    assert "CETIA-" in row.title and "2024" in row.title
    assert "« Chiffre cumulé, pas trimestriel »" in row.text and "14" in row.text
    # The author is told, not the other editors of the CTI.
    assert notifications.unread_count(engine=engine, user_id=colleague.id) == 0
    # The next `remind` run knows it was given: nothing twice.
    report = run_reminders(engine=engine, today=date(2026, 11, 30), smtp=None)
    assert report.created.get("value_returned", 0) == 0
    with Session(engine) as session:
        keys = session.exec(
            select(Notification.dedupe_key).where(Notification.user_id == editor.id)
        ).all()
    assert keys.count(f"value_returned:u{editor.id}:v{update_id}") == 1


def test_a_value_whose_author_left_goes_to_the_ctis_editors(engine: Engine) -> None:
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    colleague = make_account(engine, "saisie-cetia-2", "cti_editor", "CETIA")
    other_cti = make_account(engine, "saisie-ctth", "cti_editor", "CTTH")
    analyst = make_account(engine, "analyste", "analyst")
    indicator = indicator_of(engine, "CETIA", "entreprises")
    with session_scope(engine) as session:
        entry = save_progress(
            session=session,
            account=editor,
            indicator_id=indicator.id,
            value=14,
            period=FREE_PERIOD,
            today=TODAY,
            submit=True,
        ).entry
        update_id, version = entry.id, entry.version
    with session_scope(engine) as session:
        disable_user(session, username="saisie-cetia")
    with session_scope(engine) as session:
        reject_progress(
            session=session, account=analyst, update_id=update_id, version=version, reason="Source"
        )
    assert notifications.unread_count(engine=engine, user_id=colleague.id) == 1
    assert notifications.unread_count(engine=engine, user_id=other_cti.id) == 0


def test_the_e_mail_of_a_returned_value_is_queued_when_the_app_sends_mail(
    engine: Engine, settings: Settings
) -> None:
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    analyst = make_account(engine, "analyste", "analyst")
    with session_scope(engine) as session:
        user = session.get(User, editor.id)
        assert user is not None
        user.email = "amina@cti.example.ma"
        session.add(user)
    app = Flask(__name__)
    app.extensions[EXTENSION] = {
        "engine": engine,
        "settings": dataclasses.replace(settings, smtp_url="smtp://mail.example.ma:25"),
    }
    with app.app_context():
        _submit_and_return(engine, editor, analyst, "Pièce manquante")
    with Session(engine) as session:
        mails = session.exec(select(EmailOutbox)).all()
    assert [m.to_address for m in mails] == ["amina@cti.example.ma"]
    assert "Pièce manquante" in mails[0].body
