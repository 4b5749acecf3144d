"""The language over HTTP: ?lang= on any page, the HTML document's lang, dir and title, the
choice kept in the session and stored on the account, errors in the reader's language."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.models import User
from tests.web.conftest import create_account, login, logout


def _language(engine: Engine, username: str) -> str:
    with Session(engine) as session:
        return session.exec(select(User).where(User.username == username)).one().language


def test_the_page_document_carries_the_language_direction_and_title(signed_in: Any) -> None:
    client: FlaskClient = signed_in("viewer")
    french = client.get("/axes").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in french
    assert "<title>Axes stratégiques · Plan CTI</title>" in french
    arabic = client.get("/axes?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "<title>المحاور الاستراتيجية · مخطط المراكز التقنية</title>" in arabic
    # The session keeps the choice for the next pages, which carry no ?lang=.
    next_page = client.get("/ctis/CETIA").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in next_page
    assert "<title>CETIA · عقد الأهداف · مخطط المراكز التقنية</title>" in next_page


def test_a_switch_while_signed_in_is_stored_on_the_account(
    client: FlaskClient, engine: Engine
) -> None:
    create_account(engine, "amina", "analyst")
    login(client, "amina")
    client.get("/?lang=en")
    assert _language(engine, "amina") == "en"
    logout(client)
    # Another browser: no session, the account's language applies from the sign-in on.
    other = client.application.test_client()
    login(other, "amina")
    page = other.get("/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page and "<title>Overview · CTI plan</title>" in page


def test_a_choice_made_on_the_sign_in_page_wins_and_is_stored(
    client: FlaskClient, engine: Engine
) -> None:
    create_account(engine, "karim", "viewer")
    client.get("/login?lang=ar")
    login(client, "karim")
    assert _language(engine, "karim") == "ar"
    assert 'dir="rtl"' in client.get("/").get_data(as_text=True)


def test_an_unknown_language_is_ignored(client: FlaskClient) -> None:
    page = client.get("/login?lang=xx").get_data(as_text=True)
    assert 'lang="fr"' in page and "Se connecter" in page


def test_errors_speak_the_language(signed_in: Any) -> None:
    client: FlaskClient = signed_in("viewer")
    client.get("/login?lang=en")
    response = client.get("/assets/nowhere.css", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "This address does not exist." in response.get_data(as_text=True)
