"""Accounts, their signed-in sessions, the audit trail and sign-in throttling."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from dashboard.db.models.common import Role, in_list, utcnow


class User(SQLModel, table=True):
    """A person who signs in, with a role and, for CTI staff, a CTI."""

    __table_args__ = (CheckConstraint(in_list("role", Role), name="user_role"),)
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=80)
    full_name: str = ""
    email: str = ""
    password_hash: str
    role: str
    cti_id: int | None = Field(default=None, foreign_key="cti.id")
    is_active: bool = True
    language: str = "fr"
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None
    version: int = 1


class AuditEvent(SQLModel, table=True):
    """Who did what, when, from which value to which; refusals included."""

    __table_args__ = (
        Index("audit_at", "at"),
        Index("audit_entity", "entity", "entity_id"),
        # The audit page's filters list the names and actions: read from these indexes.
        Index("audit_username", "username"),
        Index("audit_action", "action"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    username: str = ""
    action: str = Field(max_length=60)
    entity: str = ""
    entity_id: str = ""
    before: str = ""
    after: str = ""
    outcome: str = "ok"
    address: str = ""
    detail: str = ""


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins counted under one key (an account, an address, or both together).

    One row per key, so that counting an attempt is one locked update that every gunicorn
    worker sees (auth/throttle.py): reading a count and writing it after the password hash let
    parallel attempts all pass. `version` moves on every write (compare-and-set).
    """

    __table_args__ = (Index("login_throttle_last_at", "last_at"),)
    key: str = Field(primary_key=True, max_length=200)
    failures: int = 0
    last_at: datetime = Field(default_factory=utcnow)
    version: int = 0


class AuthSession(SQLModel, table=True):
    """A signed-in browser session, kept server-side so that sign-out or disabling ends it.

    The browser holds a random token; only its SHA-256 is stored, so a copy of the database
    does not let anyone take over a session.
    """

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    end_reason: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=64)
