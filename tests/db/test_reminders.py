"""Reminder rules on both backends: who is told what, once, and never about validated periods."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from dashboard.db.engine import session_scope
from dashboard.db.models import AuditEvent, Notification
from dashboard.domain.calendar import ReminderKind
from dashboard.domain.periods import Period
from dashboard.services import notifications
from dashboard.services.errors import NotFoundError
from dashboard.services.reminders import due_reminders, run_reminders
from tests.db.calendar_support import (
    Q4,
    add_value,
    day,
    make_person,
    seed_calendar,
    validate_history,
)
from tests.db.calendar_support import notifications as stored


@pytest.fixture
def plan(any_engine: Engine) -> dict[str, int]:
    """A small plan whose history is validated up to 2025-T3; 2025-T4 is the open period."""
    ids = seed_calendar(any_engine)
    validate_history(any_engine, ids, upto=Period(2025, 3))
    return ids


def _run(engine: Engine, today: str) -> dict[str, int]:
    report = run_reminders(engine=engine, today=day(today), smtp=None)
    assert report.ok
    return dict(report.created)


def test_editors_hear_of_a_period_coming_due_then_once_that_it_is_overdue(
    any_engine: Engine, plan: dict[str, int]
) -> None:
    cetia = make_person(any_engine, "amina", "cti_editor", "CETIA")
    ctth = make_person(any_engine, "karim", "cti_editor", "CTTH")
    away = make_person(any_engine, "parti", "cti_editor", "CETIA", active=False)
    viewer = make_person(any_engine, "lecteur", "viewer")
    make_person(any_engine, "analyste", "analyst")

    assert _run(any_engine, "2026-01-07") == {}  # eight days before 15 January: too early
    assert _run(any_engine, "2026-01-08") == {"period_due_soon": 2}
    assert _run(any_engine, "2026-01-08") == {}  # a second run repeats nothing
    assert _run(any_engine, "2026-01-12") == {}
    assert _run(any_engine, "2026-01-16") == {"period_overdue": 2}
    assert _run(any_engine, "2026-02-20") == {}  # overdue is said once per period

    mine = stored(any_engine, cetia.id)
    assert [n.kind for n in mine] == ["period_due_soon", "period_overdue"]
    assert "CETIA pour 2025-T4 sont attendues au plus tard le 15 janvier 2026" in mine[0].text
    assert "2 indicateurs sur 2 restent à soumettre" in mine[0].text
    assert "en retard de 1 jour (échéance du 15 janvier 2026)" in mine[1].text
    assert [n.period for n in stored(any_engine, ctth.id)] == ["2025-T4", "2025-T4"]
    assert stored(any_engine, away.id) == [] and stored(any_engine, viewer.id) == []


def test_nothing_about_a_validated_period(any_engine: Engine, plan: dict[str, int]) -> None:
    make_person(any_engine, "amina", "cti_editor", "CETIA")
    make_person(any_engine, "analyste", "analyst")
    for code in ("CETIA-01", "CETIA-02", "CTTH-01"):
        add_value(any_engine, plan[code], Q4, "rejected", reason="unité erronée")
        add_value(any_engine, plan[code], Q4, "validated")
    assert _run(any_engine, "2026-01-10") == {}
    assert _run(any_engine, "2026-03-01") == {}
    assert stored(any_engine) == []


def test_analysts_hear_of_values_waiting_and_editors_stop_once_all_is_submitted(
    any_engine: Engine, plan: dict[str, int]
) -> None:
    editor = make_person(any_engine, "amina", "cti_editor", "CETIA")
    analyst = make_person(any_engine, "analyste", "analyst")
    second = make_person(any_engine, "analyste2", "analyst")
    admin = make_person(any_engine, "admin", "admin")
    add_value(any_engine, plan["CETIA-01"], Q4, "submitted")
    add_value(any_engine, plan["CETIA-02"], Q4, "submitted")

    assert _run(any_engine, "2026-01-20") == {"to_validate": 2}
    assert _run(any_engine, "2026-01-21") == {}
    texts = [n.text for n in stored(any_engine, analyst.id)]
    assert texts == ["2 valeurs de CETIA pour 2025-T4 attendent votre validation."]
    assert len(stored(any_engine, second.id)) == 1
    assert stored(any_engine, editor.id) == []  # everything submitted: CETIA is not late
    assert stored(any_engine, admin.id) == []


def test_a_returned_value_goes_to_its_author_with_the_reason(
    any_engine: Engine, plan: dict[str, int]
) -> None:
    author = make_person(any_engine, "amina", "cti_editor", "CETIA")
    colleague = make_person(any_engine, "samir", "cti_editor", "CETIA")
    add_value(any_engine, plan["CETIA-02"], Q4, "submitted")
    returned = add_value(
        any_engine, plan["CETIA-01"], Q4, "rejected", by=author.id, reason="Valeur cumulée"
    )
    assert _run(any_engine, "2026-01-05")["value_returned"] == 1
    mine = stored(any_engine, author.id)
    assert [n.kind for n in mine] == ["value_returned"]
    assert "« Valeur cumulée »" in mine[0].text and "CETIA-01" in mine[0].text
    assert mine[0].dedupe_key == f"value_returned:u{author.id}:v{returned}"
    assert stored(any_engine, colleague.id) == []
    assert _run(any_engine, "2026-01-06") == {}

    # Entered again: no longer "returned", and the reminder is not repeated.
    add_value(any_engine, plan["CETIA-01"], Q4, "draft", by=author.id)
    with Session(any_engine) as session:
        kinds = {r.kind for r in due_reminders(session, today=day("2026-01-06"))}
    assert ReminderKind.VALUE_RETURNED not in kinds


def test_a_value_whose_author_left_goes_to_the_cti_editors(
    any_engine: Engine, plan: dict[str, int]
) -> None:
    gone = make_person(any_engine, "parti", "cti_editor", "CETIA", active=False)
    editor = make_person(any_engine, "amina", "cti_editor", "CETIA")
    add_value(any_engine, plan["CETIA-01"], Q4, "rejected", by=gone.id, reason="Source absente")
    _run(any_engine, "2026-01-02")
    assert [n.kind for n in stored(any_engine, editor.id)] == ["value_returned"]
    assert stored(any_engine, gone.id) == []


def test_the_key_of_a_reminder_is_unique_in_the_database(
    any_engine: Engine, plan: dict[str, int]
) -> None:
    editor = make_person(any_engine, "amina", "cti_editor", "CETIA")
    _run(any_engine, "2026-01-16")
    first = stored(any_engine, editor.id)[0]
    with pytest.raises(IntegrityError), session_scope(any_engine) as session:
        session.add(
            Notification(
                user_id=editor.id, kind="period_overdue", text="x", dedupe_key=first.dedupe_key
            )
        )
    # A run that missed the other's insert still stores nothing twice (ON CONFLICT DO NOTHING).
    with session_scope(any_engine) as session:
        with Session(any_engine) as reader:
            reminders = due_reminders(reader, today=day("2026-01-16"))
        values = {"user_id": editor.id, "kind": "period_overdue", "text": "x", "params": "{}"}
        values |= {"link": "", "period": "", "dedupe_key": reminders[0].dedupe_key}
        assert notifications._insert_ignoring_duplicates(session, values) is None
    assert len(stored(any_engine, editor.id)) == 1


def test_every_run_is_recorded(any_engine: Engine, plan: dict[str, int]) -> None:
    make_person(any_engine, "amina", "cti_editor", "CETIA")
    _run(any_engine, "2026-01-16")
    with Session(any_engine) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "remind.run")).all()
    assert len(events) == 1
    assert '"period_overdue": 1' in events[0].after and events[0].outcome == "ok"


def test_each_person_marks_their_own_reminders_read_or_unread(
    any_engine: Engine, plan: dict[str, int]
) -> None:
    editor = make_person(any_engine, "amina", "cti_editor", "CETIA")
    other = make_person(any_engine, "karim", "cti_editor", "CTTH")
    _run(any_engine, "2026-01-08")
    _run(any_engine, "2026-01-16")
    assert notifications.unread_count(engine=any_engine, user_id=editor.id) == 2
    with session_scope(any_engine) as session:
        rows = notifications.list_for(session, account=editor)
        assert [r.kind for r in rows] == ["period_overdue", "period_due_soon"]  # newest first
        assert rows[0].title == "Saisie en retard : CETIA 2025-T4"
        assert notifications.toggle_read(session, account=editor, notification_id=rows[0].id)
    assert notifications.unread_count(engine=any_engine, user_id=editor.id) == 1
    with session_scope(any_engine) as session:
        assert not notifications.toggle_read(session, account=editor, notification_id=rows[0].id)
        with pytest.raises(NotFoundError, match="Rappel introuvable"):
            notifications.mark_read(session, account=other, notification_id=rows[0].id)
    with session_scope(any_engine) as session:
        assert notifications.mark_all_read(session, account=editor) == 2
    assert notifications.unread_count(engine=any_engine, user_id=editor.id) == 0
    assert notifications.unread_count(engine=any_engine, user_id=other.id) == 2
