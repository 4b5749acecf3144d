"""Migration 0013 cleans free text stored before the input cleaning (review of issue 20.7).

Text saved before every entry path cleaned it still held bidi controls, and the grids showed
it raw ("rapport<RLO>fdp.exe" read "rapportexe.pdf"). After the migration the stored text is
the one the entry paths would store today; clean text is left untouched, on both backends.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.engine import session_scope
from dashboard.db.migrate import downgrade, upgrade
from dashboard.db.models import Amendment, BudgetMovement, ProgressUpdate, User
from dashboard.domain.text import BIDI_CONTROLS
from dashboard.services.users import create_user
from tests.db.entry_support import seed_small_plan

RLO, PDF, RLI, PDI, LRM = "\u202e", "\u202c", "\u2067", "\u2069", "\u200e"
HOSTILE = f" rapport{RLO}fdp.exe {RLI}x{PDI}{LRM}\x07"
CLEAN = "rapportfdp.exe x"
ARABIC = "تقرير\u200c الفصل\nligne 2"  # a joiner and a line break are kept


def _texts(engine: Engine) -> list[str]:
    with Session(engine) as session:
        texts: list[str] = []
        for value in session.exec(select(ProgressUpdate)).all():
            texts += [value.comment, value.rejection_reason, value.correction_reason]
        for move in session.exec(select(BudgetMovement)).all():
            texts += [move.reference, move.comment, move.rejection_reason, move.correction_reason]
        texts += [a.reason for a in session.exec(select(Amendment)).all()]
        texts += [u.full_name for u in session.exec(select(User)).all()]
        return texts


def test_migration_0013_cleans_the_stored_free_text(any_engine: Engine) -> None:
    ids = seed_small_plan(any_engine)
    downgrade(any_engine, "0012")
    # Text as an older version stored it: written straight to the tables, uncleaned.
    with session_scope(any_engine) as session:
        for year in range(2022, 2025):  # a few rows, so that a batch holds clean and dirty ones
            session.add(
                ProgressUpdate(
                    indicator_id=ids["firms"],
                    year=year,
                    value=1,
                    comment=HOSTILE,
                    rejection_reason=f"{RLO}Justificatif manquant{PDF}",
                    correction_reason=HOSTILE,
                )
            )
        session.add(ProgressUpdate(indicator_id=ids["firms"], year=2025, value=2, comment=ARABIC))
        session.add(
            BudgetMovement(
                contract_id=ids["contract"],
                axis_id=ids["axis"],
                kind="commitment",
                on_date=date(2023, 5, 2),
                amount_mdh=1,
                reference=f"ENG{RLO}-1",
                comment=HOSTILE,
                rejection_reason=HOSTILE,
                correction_reason=HOSTILE,
            )
        )
        session.add(Amendment(kind="target", ref_id=1, old_value=1, new_value=2, reason=HOSTILE))
        user = create_user(session, username="amina", role="viewer", password="x" * 16)
        user.full_name = HOSTILE
    assert any(c in BIDI_CONTROLS for text in _texts(any_engine) for c in text)

    upgrade(any_engine)

    texts = _texts(any_engine)
    assert not any(c in BIDI_CONTROLS or c == "\x07" for text in texts for c in text)
    with Session(any_engine) as session:
        values = session.exec(select(ProgressUpdate).order_by(col(ProgressUpdate.year))).all()
        movement = session.exec(select(BudgetMovement)).one()
        amendment = session.exec(select(Amendment)).one()
        amina = session.exec(select(User).where(User.username == "amina")).one()
    assert [v.comment for v in values] == [CLEAN, CLEAN, CLEAN, ARABIC]
    assert values[0].rejection_reason == "Justificatif manquant"
    assert values[0].version == 1  # the text is cleaned, not revised
    assert (movement.reference, movement.comment, movement.correction_reason) == (
        "ENG-1",
        CLEAN,
        CLEAN,
    )
    assert amendment.reason == CLEAN and amina.full_name == CLEAN


def test_migration_0013_down_and_up_on_clean_text_changes_nothing(any_engine: Engine) -> None:
    seed_small_plan(any_engine)
    before = _texts(any_engine)
    downgrade(any_engine, "0012")
    assert _texts(any_engine) == before
    upgrade(any_engine)
    assert _texts(any_engine) == before
