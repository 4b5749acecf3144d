"""One demo account per role, with random passwords printed once (never in production)."""

from __future__ import annotations

import secrets

from sqlmodel import Session, select

from dashboard.db.models import User
from dashboard.i18n import N_
from dashboard.services.users import create_user

# Full names are French message ids: stored in French, shown in the reader's language.
DEMO_ACCOUNTS = (
    ("admin", "admin", None, N_("Administrateur (démo)")),
    ("analyste", "analyst", None, N_("Analyste du ministère (démo)")),
    ("lecteur", "viewer", None, N_("Lecteur (démo)")),
    ("cetia", "cti_editor", "CETIA", N_("Saisie CETIA (démo)")),
)


def create_demo_accounts(session: Session) -> list[tuple[str, str, str]]:
    """Create the demo accounts when no account exists; return (name, role, password)."""
    if session.exec(select(User.id)).first() is not None:
        return []
    created = []
    for username, role, cti, full_name in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        create_user(
            session, username=username, role=role, password=password, cti=cti, full_name=full_name
        )
        created.append((username, role, password))
    return created
