"""Accounts: create, change role or CTI, reset a password, disable (command line and admin page).

Every change takes an `actor`: a signed-in Account (checked with `require`, so only admins
get through), or COMMAND_LINE for the server's operator. None, an anonymous caller, is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from dashboard.auth import tokens
from dashboard.auth.account import COMMAND_LINE, Account, Actor, CommandLine
from dashboard.auth.passwords import hash_password, new_password, password_problem
from dashboard.auth.permissions import ROLE_NAMES, Action, require
from dashboard.db.models import Cti, Role, User
from dashboard.domain.text import clean_text
from dashboard.i18n import _
from dashboard.services import audit
from dashboard.services.errors import NotFoundError, UserError

USERNAME_RE = re.compile(r"^[a-zA-Z0-9._@-]{3,80}$")
ROLES = tuple(r.value for r in Role)
FULL_NAME_MAX = 120


@dataclass(frozen=True)
class UserRow:
    """One line of the accounts list."""

    username: str
    full_name: str
    role: str
    cti: str
    is_active: bool
    last_login: str
    created: str


def _authorise(session: Session, actor: Actor | None, detail: str) -> None:
    """Let the command line through; check a web caller may manage accounts."""
    if isinstance(actor, CommandLine):
        return
    require(actor, Action.MANAGE_USERS, session=session, detail=detail)


def _who(actor: Actor | None) -> tuple[int | None, str]:
    """Return the user id and name the audit trail records for the actor."""
    if isinstance(actor, Account):
        return actor.id, actor.username
    return None, actor.username if actor else "anonyme"


def _cti_id(session: Session, role: str, cti: str | None) -> int | None:
    """Resolve and check the CTI of an account against its role."""
    if role == Role.CTI_EDITOR and not cti:
        raise UserError(
            _("Un compte cti_editor doit être rattaché à un CTI : choisissez-le (--cti SIGLE).")
        )
    if not cti:
        return None
    if role != Role.CTI_EDITOR:
        raise UserError(
            _("Seul un compte cti_editor est rattaché à un CTI : retirez le CTI (--cti).")
        )
    row = session.exec(select(Cti).where(Cti.acronym == cti.strip().upper())).first()
    if row is None:
        known = ", ".join(session.exec(select(Cti.acronym).order_by(Cti.acronym)).all())
        raise NotFoundError(_("CTI inconnu « {cti} ». CTI connus : {known}.", cti=cti, known=known))
    return row.id


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(
            _(
                "Rôle inconnu « {role} » : choisissez viewer, analyst, cti_editor ou admin.",
                role=role,
            )
        )


def _cti_acronym(session: Session, cti_id: int | None) -> str | None:
    cti = session.get(Cti, cti_id) if cti_id is not None else None
    return cti.acronym if cti else None


def create_user(
    session: Session,
    *,
    username: str,
    role: str,
    password: str,
    cti: str | None = None,
    full_name: str = "",
    actor: Actor | None = COMMAND_LINE,
) -> User:
    """Create an account after checking the caller, name, role, CTI and password."""
    _authorise(session, actor, f"créer le compte {username}")
    username = username.strip()
    if not USERNAME_RE.match(username):
        raise UserError(
            _("Identifiant invalide : 3 à 80 caractères parmi lettres, chiffres, . _ @ -.")
        )
    _check_role(role)
    if find_user(session, username) is not None:
        raise UserError(_("L'identifiant « {name} » existe déjà.", name=username))
    problem = password_problem(password)
    if problem:
        raise UserError(problem)
    full_name = clean_text(full_name)  # no bidi control may reorder a name on screen
    if len(full_name) > FULL_NAME_MAX:
        raise UserError(
            _("Nom complet trop long : {maximum} caractères au plus.", maximum=FULL_NAME_MAX)
        )
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
        user_id=_who(actor)[0],
        username=_who(actor)[1],
        entity="user",
        entity_id=user.id,
        after={
            "username": username,
            "full_name": full_name,
            "role": role,
            "cti": _cti_acronym(session, user.cti_id),
        },
    )
    return user


def create_with_random_password(
    session: Session,
    *,
    actor: Actor | None,
    username: str,
    role: str,
    cti: str | None = None,
    full_name: str = "",
) -> tuple[User, str]:
    """Create an account with a random password; return it to show once."""
    password = new_password()
    user = create_user(
        session,
        username=username,
        role=role,
        password=password,
        cti=cti,
        full_name=full_name,
        actor=actor,
    )
    return user, password


def find_user(session: Session, username: str) -> User | None:
    """Return the account with this name, ignoring case, or None."""
    name = username.strip().lower()
    return session.exec(select(User).where(func.lower(User.username) == name)).first()


def get_user(session: Session, username: str) -> User:
    """Return the account with this name or say it does not exist."""
    user = find_user(session, username)
    if user is None:
        raise NotFoundError(_("Aucun compte « {name} ».", name=username))
    return user


def _active_admins(session: Session) -> int:
    query = select(func.count()).where(col(User.role) == Role.ADMIN, col(User.is_active))
    return int(session.exec(query).one())


def _keep_an_admin(session: Session, user: User, *, losing: bool) -> None:
    """Refuse a change that would leave no active administrator."""
    if losing and user.role == Role.ADMIN and user.is_active and _active_admins(session) <= 1:
        raise UserError(
            _("Impossible : c'est le dernier administrateur actif. Créez-en un autre d'abord.")
        )


def set_password(
    session: Session, *, username: str, password: str, actor: Actor | None = COMMAND_LINE
) -> User:
    """Replace an account's password and end its open sessions."""
    _authorise(session, actor, f"changer le mot de passe de {username}")
    user = get_user(session, username)
    problem = password_problem(password)
    if problem:
        raise UserError(problem)
    user.password_hash = hash_password(password)
    user.version += 1
    session.add(user)
    assert user.id is not None
    tokens.end_user_sessions(session, user_id=user.id, reason="password")
    audit.record(
        session,
        action="user.set_password",
        user_id=_who(actor)[0],
        username=_who(actor)[1],
        entity="user",
        entity_id=user.id,
        detail=f"mot de passe de {user.username} changé ; sessions ouvertes fermées",
    )
    return user


def reset_password(session: Session, *, actor: Actor | None, username: str) -> str:
    """Give an account a new random password (shown once) and end its open sessions."""
    password = new_password()
    set_password(session, username=username, password=password, actor=actor)
    return password


def set_active(
    session: Session, *, username: str, active: bool, actor: Actor | None = COMMAND_LINE
) -> User:
    """Disable (ending its sessions) or re-enable an account."""
    verb = "réactiver" if active else "désactiver"
    _authorise(session, actor, f"{verb} le compte {username}")
    user = get_user(session, username)
    if isinstance(actor, Account) and actor.id == user.id and not active:
        raise UserError(_("Vous ne pouvez pas désactiver votre propre compte."))
    _keep_an_admin(session, user, losing=not active)
    before = user.is_active
    user.is_active = active
    user.version += 1
    session.add(user)
    assert user.id is not None
    if not active:
        tokens.end_user_sessions(session, user_id=user.id, reason="disabled")
    audit.record(
        session,
        action="user.enable" if active else "user.disable",
        user_id=_who(actor)[0],
        username=_who(actor)[1],
        entity="user",
        entity_id=user.id,
        before={"is_active": before},
        after={"is_active": active},
    )
    return user


def disable_user(session: Session, *, username: str, actor: Actor | None = COMMAND_LINE) -> User:
    """Disable an account so it can no longer sign in; its open sessions end."""
    return set_active(session, username=username, active=False, actor=actor)


def change_role(
    session: Session, *, actor: Actor | None, username: str, role: str, cti: str | None
) -> User:
    """Change an account's role and CTI (a cti_editor needs a CTI, other roles none)."""
    _authorise(session, actor, f"changer le rôle de {username}")
    user = get_user(session, username)
    _check_role(role)
    _keep_an_admin(session, user, losing=role != Role.ADMIN)
    before = {"role": user.role, "cti": _cti_acronym(session, user.cti_id)}
    user.cti_id = _cti_id(session, role, cti)
    user.role = role
    user.version += 1
    session.add(user)
    audit.record(
        session,
        action="user.change_role",
        user_id=_who(actor)[0],
        username=_who(actor)[1],
        entity="user",
        entity_id=user.id,
        before=before,
        after={"role": role, "cti": _cti_acronym(session, user.cti_id)},
    )
    return user


def list_users(session: Session, *, actor: Actor | None) -> list[UserRow]:
    """Return every account, sorted by name, for the administration page."""
    _authorise(session, actor, "liste des comptes")
    acronyms = dict(session.exec(select(Cti.id, Cti.acronym)).all())
    users = session.exec(select(User).order_by(func.lower(User.username))).all()
    return [
        UserRow(
            username=u.username,
            full_name=u.full_name,
            role=u.role,
            cti=acronyms.get(u.cti_id, "") if u.cti_id is not None else "",
            is_active=u.is_active,
            last_login=u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "",
            created=u.created_at.strftime("%Y-%m-%d"),
        )
        for u in users
    ]


def cti_acronyms(session: Session) -> list[str]:
    """Return the CTI acronyms an account can be attached to."""
    return list(session.exec(select(Cti.acronym).order_by(Cti.acronym)).all())


ROLE_LABELS: dict[str, str] = dict(ROLE_NAMES)


def grid_rows(rows: list[UserRow]) -> list[dict[str, object]]:
    """Turn account rows into grid records (French labels beside the codes)."""
    return [
        {
            "username": r.username,
            "full_name": r.full_name,
            "role": r.role,
            "role_label": _(ROLE_LABELS.get(r.role, r.role)),
            "cti": r.cti,
            "is_active": r.is_active,
            "active_label": _("Actif") if r.is_active else _("Désactivé"),
            "last_login": r.last_login,
            "created": r.created,
        }
        for r in rows
    ]
