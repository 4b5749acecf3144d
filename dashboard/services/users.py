"""Accounts: create, change password, disable (command line and admin page)."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from dashboard.auth.passwords import hash_password, password_problem
from dashboard.db.models import Cti, Role, User
from dashboard.services import audit
from dashboard.services.errors import NotFoundError, UserError

USERNAME_RE = re.compile(r"^[a-zA-Z0-9._@-]{3,80}$")


def _cti_id(session: Session, role: str, cti: str | None) -> int | None:
    """Resolve and check the CTI of an account against its role."""
    if role == Role.CTI_EDITOR and not cti:
        raise UserError("Un compte cti_editor doit être rattaché à un CTI : ajoutez --cti SIGLE.")
    if not cti:
        return None
    if role != Role.CTI_EDITOR:
        raise UserError("Seul un compte cti_editor est rattaché à un CTI : retirez --cti.")
    row = session.exec(select(Cti).where(Cti.acronym == cti.upper())).first()
    if row is None:
        known = ", ".join(session.exec(select(Cti.acronym).order_by(Cti.acronym)).all())
        raise NotFoundError(f"CTI inconnu « {cti} ». CTI connus : {known}.")
    return row.id


def create_user(
    session: Session,
    *,
    username: str,
    role: str,
    password: str,
    cti: str | None = None,
    full_name: str = "",
    actor: User | None = None,
) -> User:
    """Create an account after checking name, role, CTI and password."""
    if not USERNAME_RE.match(username):
        raise UserError(
            "Identifiant invalide : 3 à 80 caractères parmi lettres, chiffres, . _ @ -."
        )
    if role not in {r.value for r in Role}:
        raise UserError(
            f"Rôle inconnu « {role} » : choisissez viewer, analyst, cti_editor ou admin."
        )
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise UserError(f"L'identifiant « {username} » existe déjà.")
    problem = password_problem(password)
    if problem:
        raise UserError(problem)
    user = User(
        username=username,
        role=role,
        cti_id=_cti_id(session, role, cti),
        full_name=full_name,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        action="user.create",
        user_id=actor.id if actor else None,
        username=actor.username if actor else "cli",
        entity="user",
        entity_id=user.id,
        after={"username": username, "role": role, "cti": cti},
    )
    return user


def get_user(session: Session, username: str) -> User:
    """Return the account with this name or say it does not exist."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFoundError(f"Aucun compte « {username} ».")
    return user


def set_password(session: Session, *, username: str, password: str, actor: str = "cli") -> User:
    """Replace an account's password."""
    user = get_user(session, username)
    problem = password_problem(password)
    if problem:
        raise UserError(problem)
    user.password_hash = hash_password(password)
    user.version += 1
    session.add(user)
    audit.record(
        session, action="user.set_password", username=actor, entity="user", entity_id=user.id
    )
    return user


def disable_user(session: Session, *, username: str, actor: str = "cli") -> User:
    """Disable an account so it can no longer sign in."""
    user = get_user(session, username)
    before = user.is_active
    user.is_active = False
    user.version += 1
    session.add(user)
    audit.record(
        session,
        action="user.disable",
        username=actor,
        entity="user",
        entity_id=user.id,
        before={"is_active": before},
        after={"is_active": False},
    )
    return user
