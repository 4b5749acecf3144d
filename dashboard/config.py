"""Settings read once from the environment, in one typed place."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dashboard.domain.indicators import StatusThresholds

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
LANGUAGES = ("fr", "en", "ar")

log = logging.getLogger(__name__)


class ConfigError(ValueError):
    """A configuration value is unusable; the message says which and how to fix it."""


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} n'est pas un nombre.") from exc


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} n'est pas un entier.") from exc


def _date_env(name: str) -> date | None:
    raw = os.environ.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} : attendu une date AAAA-MM-JJ.") from exc


def _local_secret_key(path: Path) -> str:
    """Return a key kept outside git for local runs, creating it on first use.

    Several gunicorn workers start at once: each writes a candidate key to its own file and
    links it into place, which only one can do; the others read the winner's. Every worker
    thus signs cookies with the same key (one key each would reject the others' cookies).
    """
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    handle = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(secrets.token_hex(32))
    try:
        os.link(candidate, path)  # atomic, and fails if another process got there first
    except FileExistsError:
        pass
    else:
        log.warning(
            "SECRET_KEY absent : clé locale générée dans %s (à définir en production).", path
        )
    finally:
        candidate.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8").strip()


@dataclass(frozen=True)
class Settings:
    """Everything the application reads from its environment."""

    database_url: str
    secret_key: str
    lang: str = "fr"
    environment: str = "development"
    data_dir: Path = DATA_DIR
    thresholds: StatusThresholds = field(default_factory=StatusThresholds)
    session_minutes: int = 60
    evidence_dir: Path = DATA_DIR / "evidence"
    smtp_url: str = ""
    fixed_today: date | None = None
    trusted_proxies: int = 0
    # Pages kept in each worker's memory, keyed by the data version (services/cache.py).
    render_cache_entries: int = 256
    render_cache_mb: int = 64

    def today(self) -> date:
        """Return today's date, or the fixed date set for demos and tests (DASHBOARD_TODAY)."""
        return self.fixed_today or date.today()

    @property
    def is_production(self) -> bool:
        """Tell whether this is a production deployment (no demo accounts, no debug)."""
        return self.environment == "production"

    @property
    def is_sqlite(self) -> bool:
        """Tell whether the database is SQLite."""
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Build settings from environment variables, with explicit overrides for tests."""
        data_dir = Path(os.environ.get("DASHBOARD_DATA_DIR", str(DATA_DIR)))
        environment = os.environ.get("DASHBOARD_ENV", "development")
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'cti.db'}"
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgres://")
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        key = os.environ.get("SECRET_KEY", "")
        if not key:
            if environment == "production":
                raise ConfigError("SECRET_KEY est obligatoire en production.")
            key = _local_secret_key(data_dir / ".secret_key")
        lang = os.environ.get("DASHBOARD_LANG", "fr")
        if lang not in LANGUAGES:
            raise ConfigError(f"DASHBOARD_LANG={lang!r} : choisissez fr, en ou ar.")
        values: dict[str, object] = {
            "database_url": url,
            "secret_key": key,
            "lang": lang,
            "environment": environment,
            "data_dir": data_dir,
            "thresholds": StatusThresholds(
                on_track=_float_env("STATUS_ON_TRACK", 0.95),
                watch=_float_env("STATUS_WATCH", 0.80),
            ),
            "session_minutes": _int_env("SESSION_MINUTES", 60),
            "evidence_dir": Path(os.environ.get("EVIDENCE_DIR", str(data_dir / "evidence"))),
            "smtp_url": os.environ.get("SMTP_URL", ""),
            "fixed_today": _date_env("DASHBOARD_TODAY"),
            "trusted_proxies": _int_env("TRUSTED_PROXIES", 0),
            "render_cache_entries": _int_env("RENDER_CACHE_ENTRIES", 256),
            "render_cache_mb": _int_env("RENDER_CACHE_MB", 64),
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
