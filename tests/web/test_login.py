"""Sign-in and sign-out: one generic message, safe redirects, sessions that really end, audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.db.engine import session_scope
from dashboard.db.models import AuditEvent, AuthSession, User, utcnow
from dashboard.services.users import disable_user, set_password
from tests.web.conftest import PASSWORD, create_account, csrf_token, login, logout

GENERIC = "Identifiant ou mot de passe incorrect."


def _events(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as session:
        query = select(AuditEvent).where(AuditEvent.action == action)
        return list(session.exec(query.order_by(AuditEvent.id)).all())


def test_sign_in_goes_to_next_and_is_audited(client: FlaskClient, engine: Engine) -> None:
    create_account(engine, "amina", "analyst")
    response = login(client, "Amina", next="/audit?x=1")  # names ignore case
    assert response.status_code == 302
    assert response.headers["Location"] == "/audit?x=1"
    assert client.get("/_dash-layout").status_code == 200
    [event] = _events(engine, "auth.login")
    assert (event.username, event.outcome, event.address) == ("amina", "ok", "127.0.0.1")
    assert event.user_id is not None
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == "amina")).one()
        assert user.last_login_at is not None


def test_wrong_password_unknown_user_and_disabled_account_look_the_same(
    client: FlaskClient, engine: Engine
) -> None:
    create_account(engine, "amina", "viewer")
    create_account(engine, "ancien", "viewer")
    with session_scope(engine) as session:
        disable_user(session, username="ancien")
    answers = [
        login(client, "amina", "mauvais-mot-de-passe"),
        login(client, "personne", "mauvais-mot-de-passe"),
        login(client, "ancien", PASSWORD),
    ]
    for response in answers:
        assert response.status_code == 401
        page = response.get_data(as_text=True)
        assert GENERIC in page
        assert "désactivé" not in page and "inconnu" not in page
    assert client.get("/_dash-layout").status_code == 401
    failures = _events(engine, "auth.login")
    assert [e.outcome for e in failures] == ["failed"] * 3
    assert [e.username for e in failures] == ["amina", "personne", "ancien"]
    assert failures[0].user_id is not None and failures[1].user_id is None


def test_next_pointing_elsewhere_goes_home(client: FlaskClient, engine: Engine) -> None:
    create_account(engine, "amina", "viewer")
    response = login(client, "amina", next="https://evil.example/phish")
    assert response.headers["Location"] == "/"


def test_sign_in_page_keeps_next_from_the_guard(client: FlaskClient) -> None:
    page = client.get("/login?next=/ctis/CETIA").get_data(as_text=True)
    assert 'name="next" value="/ctis/CETIA"' in page
    page = client.get("/login?next=//evil.example").get_data(as_text=True)
    assert 'name="next" value="/"' in page


def test_form_without_its_csrf_token_is_refused(client: FlaskClient, engine: Engine) -> None:
    create_account(engine, "amina", "viewer")
    client.get("/login")
    response = client.post("/login", data={"username": "amina", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/_dash-layout").status_code == 401
    response = client.post(
        "/login", data={"username": "amina", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 400


def test_sign_in_renews_the_session(client: FlaskClient, engine: Engine) -> None:
    create_account(engine, "amina", "viewer")
    csrf_token(client)
    with client.session_transaction() as anonymous:
        before = dict(anonymous)
    login(client, "amina")
    with client.session_transaction() as signed:
        # Nothing from the anonymous session survives, and the cookie holds a new token.
        assert signed.get("csrf_token") != before["csrf_token"]
        assert signed["_user_id"] and "_user_id" not in before


def test_sign_out_ends_the_session_on_the_server(client: FlaskClient, engine: Engine) -> None:
    create_account(engine, "amina", "viewer")
    login(client, "amina")
    cookie = client.get_cookie("cti_session")
    assert cookie is not None
    stolen = cookie.value
    response = logout(client)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/_dash-layout").status_code == 401
    # Replaying the cookie from before sign-out does not bring the session back.
    client.set_cookie("cti_session", stolen)
    assert client.get("/_dash-layout").status_code == 401
    [event] = _events(engine, "auth.logout")
    assert event.username == "amina"
    with Session(engine) as session:
        row = session.exec(select(AuthSession)).one()
        assert row.ended_at is not None and row.end_reason == "logout"


def test_get_logout_only_asks_to_confirm(client: FlaskClient, engine: Engine) -> None:
    """A link (or an image) another site points at /logout does not sign anyone out."""
    create_account(engine, "amina", "viewer")
    login(client, "amina")
    assert client.get("/logout").status_code == 200
    assert client.get("/_dash-layout").status_code == 200


def _age_sessions(engine: Engine, minutes: int) -> None:
    with session_scope(engine) as session:
        for row in session.exec(select(AuthSession)).all():
            row.last_seen_at = utcnow() - timedelta(minutes=minutes)
            session.add(row)


def test_session_expires_after_inactivity(
    client: FlaskClient, engine: Engine, settings: Settings
) -> None:
    create_account(engine, "amina", "viewer")
    login(client, "amina")
    _age_sessions(engine, settings.session_minutes - 1)
    assert client.get("/_dash-layout").status_code == 200  # still within the limit
    _age_sessions(engine, settings.session_minutes + 1)
    response = client.get("/audit", headers={"Accept": "text/html"})
    assert response.status_code == 302
    assert "expired=1" in response.headers["Location"]
    assert client.get("/_dash-layout").status_code == 401
    notice = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "reconnectez-vous" in notice
    with Session(engine) as session:
        assert session.exec(select(AuthSession)).one().end_reason == "expired"


def test_activity_keeps_the_session_alive(client: FlaskClient, engine: Engine) -> None:
    create_account(engine, "amina", "viewer")
    login(client, "amina")
    _age_sessions(engine, 5)
    assert client.get("/_dash-layout").status_code == 200
    with Session(engine) as session:
        seen = session.exec(select(AuthSession)).one().last_seen_at
    assert utcnow() - seen.replace(tzinfo=seen.tzinfo or utcnow().tzinfo) < timedelta(minutes=1)


def test_disabling_an_account_ends_its_sessions(client: FlaskClient, engine: Engine) -> None:
    create_account(engine, "amina", "viewer")
    login(client, "amina")
    assert client.get("/_dash-layout").status_code == 200
    with session_scope(engine) as session:
        disable_user(session, username="amina")
    assert client.get("/_dash-layout").status_code == 401


def test_a_new_password_ends_existing_sessions(client: FlaskClient, engine: Engine) -> None:
    create_account(engine, "amina", "viewer")
    login(client, "amina")
    with session_scope(engine) as session:
        set_password(session, username="amina", password="un-autre-mot-de-passe")
    assert client.get("/_dash-layout").status_code == 401
    assert login(client, "amina", "un-autre-mot-de-passe").status_code == 302


def test_session_cookie_flags(client: FlaskClient, engine: Engine) -> None:
    create_account(engine, "amina", "viewer")
    response = login(client, "amina")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("cti_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development over plain http
    assert "Expires" not in cookie  # a browser-session cookie: gone when the browser closes


def test_session_cookie_is_secure_in_production(settings: Settings, engine: Engine) -> None:
    app = create_app(replace(settings, environment="production"), engine=engine)
    create_account(engine, "amina", "viewer")
    client = app.server.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # production runs behind HTTPS
    response = login(client, "amina")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-cti_session=") and "Secure" in cookie and "Path=/" in cookie
    assert client.get("/_dash-layout", base_url="https://localhost").status_code == 200
    assert "max-age" in response.headers["Strict-Transport-Security"]
    assert app.server.debug is False


def test_already_signed_in_user_skips_the_form(client: FlaskClient, engine: Engine) -> None:
    create_account(engine, "amina", "viewer")
    login(client, "amina")
    response = client.get("/login?next=/audit")
    assert response.status_code == 302 and response.headers["Location"] == "/audit"


def test_sign_in_page_speaks_the_chosen_language(client: FlaskClient) -> None:
    french = client.get("/login").get_data(as_text=True)
    assert 'lang="fr"' in french and "Se connecter" in french
    arabic = client.get("/login?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic
