"""What the load-test scripts share: the pages each role browses, the accounts, the database."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from dashboard.db.engine import make_engine, session_scope  # noqa: E402
from dashboard.db.migrate import upgrade  # noqa: E402

TODAY = date(2026, 11, 29)  # the demo is seen after the plan, as in the tests and the bench
PAYLOADS = Path(__file__).resolve().parent / "payloads.json"
CTIS = ("CETIA", "CETIEV", "CERIMME", "CTTH", "CETEMCO", "CTPC", "CERIC", "CMTC", "CTIBA")
# The pages people of each role open (a CTI editor's own CTI is CETIA when recording).
PAGES = {
    "viewer": ["/", "/axes", "/axes/2", "/ctis", "/ctis/CETIA", "/baseline", "/budget",
               "/reports"],
    "analyst": ["/", "/axes", "/axes/4", "/ctis", "/ctis/CETIEV", "/baseline", "/budget",
                "/updates", "/updates/validation", "/calendar", "/audit", "/reports"],
    "cti_editor": ["/", "/axes/1", "/ctis", "/ctis/CETIA", "/updates", "/calendar", "/budget"],
}  # fmt: skip
ROLE_SHARES = (("viewer", 0.6), ("analyst", 0.2), ("cti_editor", 0.2))


def accounts(count: int, prefix: str = "charge") -> list[tuple[str, str, str | None]]:
    """Return (name, role, CTI) for ``count`` accounts: 60 % viewers, 20 % analysts and editors."""
    result: list[tuple[str, str, str | None]] = []
    quotas = [(role, round(count * share)) for role, share in ROLE_SHARES]
    quotas[0] = (quotas[0][0], count - sum(n for _, n in quotas[1:]))
    for role, quota in quotas:
        for _ in range(quota):
            number = len(result) + 1
            cti = "CETIA" if role == "cti_editor" else None  # the pages recorded are CETIA's
            result.append((f"{prefix}-{number:02d}", role, cti))
    return result


def prepare_database(url: str, *, scale: int = 1) -> None:
    """Migrate an empty database and load the reference facts and the demo data."""
    from dashboard.services.demo import seed_demo
    from dashboard.services.reference import seed_reference

    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        seed_reference(session)
    with session_scope(engine) as session:
        seed_demo(session, today=TODAY, scale=scale)
    engine.dispose()


def create_accounts(url: str, people: list[tuple[str, str, str | None]], password: str) -> None:
    """Create the accounts (as the command line would)."""
    from dashboard.services.users import create_user

    engine = make_engine(url)
    with session_scope(engine) as session:
        for name, role, cti in people:
            create_user(session, username=name, role=role, password=password, cti=cti)
    engine.dispose()
