"""The sign-in page, sign-out and a health check: plain Flask views outside Dash."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from sqlalchemy.exc import OperationalError

from dashboard.auth.csrf import csrf_ok, csrf_token
from dashboard.auth.session import SessionUser, current_account, current_token
from dashboard.auth.signin import BAD_CREDENTIALS, TOO_MANY, sign_in, sign_out
from dashboard.components.callback_errors import BUSY, database_problem
from dashboard.db.engine import session_scope
from dashboard.i18n import _, current_lang, direction
from dashboard.i18n.web import PICKED_KEY, SESSION_KEY, adopt_account_language
from dashboard.services.context import current_engine, current_settings

bp = Blueprint(
    "auth",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/auth-static",
)
# Views the guard lets through without a signed-in user.
OPEN_ENDPOINTS = frozenset(
    {"auth.login", "auth.login_post", "auth.logout", "auth.logout_post", "auth.static"}
    | {"auth.healthz"}
)
MAX_PASSWORD = 1024  # argon2 hashes anything, but a megabyte-long password is only a load attack


def safe_next(target: str | None) -> str:
    """Return target when it is a path on this site, else "/" (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    if parts.path in ("/login", "/logout"):
        return "/"
    return target


def _fresh_session() -> None:
    """Drop everything in the cookie but the chosen language (new identity, new CSRF token)."""
    kept = {key: session[key] for key in (SESSION_KEY, PICKED_KEY) if key in session}
    session.clear()
    session.update(kept)


def _page(*, error: str = "", notice: str = "", status: int = 200, username: str = "") -> Response:
    lang = current_lang()
    html = render_template(
        "login.html",
        _=_,
        lang=lang,
        dir=direction(lang),
        csrf_token=csrf_token(),
        next=safe_next(request.values.get("next")),
        error=error,
        notice=notice,
        username=username,
    )
    return Response(html, status=status, mimetype="text/html")


def _notice() -> str:
    if request.args.get("out"):
        return _("Vous êtes déconnecté.")
    if request.args.get("expired"):
        minutes = current_settings().session_minutes
        return _(
            "Votre session a pris fin (inactivité de plus de {minutes} min, ou compte modifié) :"
            " reconnectez-vous.",
            minutes=minutes,
        )
    return ""


@bp.get("/login")
def login() -> Response:
    """Show the sign-in form (or go on to the app when already signed in)."""
    if current_account() is not None:
        return redirect(safe_next(request.args.get("next")))  # type: ignore[return-value]
    return _page(notice=_notice())


@bp.post("/login")
def login_post() -> Response:
    """Check the form; sign in and go to `next`, or show one generic message."""
    username = request.form.get("username", "")[:200]
    password = request.form.get("password", "")
    if not csrf_ok():
        return _page(
            error=_("Le formulaire a expiré : saisissez à nouveau vos identifiants."),
            status=400,
            username=username,
        )
    if not username.strip() or not password or len(password) > MAX_PASSWORD:
        return _page(error=_(BAD_CREDENTIALS), status=401, username=username)
    try:
        with session_scope(current_engine()) as db:
            result = sign_in(
                db, username=username, password=password, address=request.remote_addr or ""
            )
    except OperationalError as exc:
        if database_problem(exc) != BUSY:  # anything else: the error page, and the log
            raise
        # Many sign-ins at once (a flood of attempts) can keep SQLite's write lock busy.
        error = _("La base est occupée : réessayez dans un instant.")
        return _page(error=error, status=503, username=username)
    if result.token is None or result.account is None:
        if result.status == 429:
            error = _(TOO_MANY, minutes=result.wait_minutes)
        else:
            error = _(BAD_CREDENTIALS)
        return _page(error=error, status=result.status, username=username)
    target = safe_next(request.form.get("next"))
    _fresh_session()
    csrf_token()  # in the cookie now, for the header's sign-out form (see logout_post)
    login_user(SessionUser(result.account, result.token))
    adopt_account_language(result.account)
    return redirect(target)  # type: ignore[return-value]


def _logout_page(*, error: str = "", status: int = 200) -> Response:
    lang = current_lang()
    html = render_template(
        "logout.html", _=_, lang=lang, dir=direction(lang), csrf_token=csrf_token(), error=error
    )
    return Response(html, status=status, mimetype="text/html")


@bp.get("/logout")
def logout() -> Response:
    """Ask to confirm the sign-out: a link followed from another site must not sign out."""
    if current_account() is None:
        return redirect(url_for("auth.login"))  # type: ignore[return-value]
    return _logout_page()


@bp.post("/logout")
def logout_post() -> Response:
    """Sign out: end the server-side session, clear the cookie, back to the sign-in page.

    Like the sign-in form: the guard has refused a request from another site (Origin), and
    the form's token must match the cookie's. Without it the confirmation page comes back.
    """
    token = current_token()
    if token is None:
        return redirect(url_for("auth.login"))  # type: ignore[return-value]
    if not csrf_ok():
        error = _("Le formulaire a expiré : confirmez la déconnexion.")
        return _logout_page(error=error, status=400)
    with session_scope(current_engine()) as db:
        sign_out(db, token=token, account=current_account(), address=request.remote_addr or "")
    logout_user()
    _fresh_session()
    return redirect(url_for("auth.login", out=1))  # type: ignore[return-value]


@bp.get("/healthz")
def healthz() -> Response:
    """Answer "ok" for load balancers and monitoring (no data, no session needed)."""
    return Response("ok", mimetype="text/plain")
