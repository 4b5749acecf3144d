"""Sign-in in a real browser; user text shown as text; no Content-Security-Policy violation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from sqlalchemy.engine import Engine

from dashboard.db.engine import session_scope
from dashboard.services.users import disable_user
from tests.browser.conftest import create_account, sign_in

pytestmark = pytest.mark.browser

XSS_NAME = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
# Record CSP violations from the first script on, before any page script runs.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def watched(page: Page) -> Iterator[tuple[Page, list[str]]]:
    """The page, with console errors collected (CSP refusals are reported there too)."""
    errors: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", keep)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script(WATCH_CSP)
    yield page, errors


def _settled(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    expect(page.locator("#_pages_content")).not_to_be_empty()


def test_sign_in_through_the_form_then_out(
    watched: tuple[Page, list[str]], live_server: str, engine: Engine
) -> None:
    page, errors = watched
    create_account(engine, "amina", "analyst", full_name="Amina El Idrissi")
    page.goto(f"{live_server}/audit")
    assert page.url.startswith(f"{live_server}/login?next=/audit")
    expect(page.locator("h1")).to_contain_text("plan de développement des CTI")
    page.fill("input[name=username]", "amina")
    page.fill("input[name=password]", "mauvais-mot-de-passe")
    page.click("button[type=submit]")
    expect(page.locator("#login-error")).to_have_text("Identifiant ou mot de passe incorrect.")
    # The refused form comes back with status 401, which Chromium notes in the console.
    assert len(errors) == 1 and "401" in errors[0]
    errors.clear()
    sign_in(page, live_server, "amina", next_path="/admin/users")
    expect(page.locator("#admin-users-denied")).to_be_visible()  # an analyst: no accounts page
    page.goto(f"{live_server}/login?next=/audit")  # already signed in: straight on
    _settled(page)
    assert page.url == f"{live_server}/audit"
    expect(page.get_by_role("heading", name="Journal d'audit")).to_be_visible()
    expect(page.get_by_text("Amina El Idrissi").first).to_be_visible()
    # A link from elsewhere only asks; the header's button (a form, styled as the link it
    # was: white text and outline on the blue bar, no button face) signs out.
    page.goto(f"{live_server}/logout")
    expect(page.locator("h1")).to_have_text("Se déconnecter du tableau de bord ?")
    page.go_back()
    _settled(page)
    button = page.locator("#shell-user button.cti-logout")
    look = button.evaluate(
        """b => { const s = getComputedStyle(b), box = getComputedStyle(b.closest('#shell-user'));
        return [s.backgroundColor, s.color, s.fontSize, s.borderTopStyle, s.cursor,
                s.fontFamily === box.fontFamily]; }"""
    )
    assert look == ["rgba(0, 0, 0, 0)", "rgb(255, 255, 255)", "12px", "solid", "pointer", True]
    button.click()
    expect(page.locator(".notice")).to_have_text("Vous êtes déconnecté.")
    page.goto(f"{live_server}/audit")
    assert "/login" in page.url
    assert errors == []
    assert page.evaluate("window.__csp") == []


def test_user_text_is_shown_as_text_and_never_runs(
    watched: tuple[Page, list[str]], live_server: str, engine: Engine
) -> None:
    page, errors = watched
    create_account(engine, "chef", "admin")
    create_account(engine, "piege", "viewer", full_name=XSS_NAME)
    # A sign-in attempt whose name is markup: it lands in the audit trail as typed.
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", XSS_NAME)
    page.fill("input[name=password]", "peu-importe-ici")
    page.click("button[type=submit]")
    expect(page.locator("#login-username")).to_have_value(XSS_NAME)
    errors.clear()  # the refused form's 401, noted by Chromium
    sign_in(page, live_server, "chef", next_path="/admin/users")
    _settled(page)
    cell = page.locator("#admin-users-grid .ag-cell", has_text="<script>window.__xss=1</script>")
    expect(cell).to_have_text(XSS_NAME)
    page.goto(f"{live_server}/audit")
    _settled(page)
    grid = page.locator("#audit-grid")
    expect(grid.locator(".ag-cell", has_text="onerror").first).to_be_visible()
    assert page.locator("#audit-grid img").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert errors == []
    assert page.evaluate("window.__csp") == []


def test_pages_render_under_the_csp_without_errors(
    watched: tuple[Page, list[str]], live_server: str, engine: Engine
) -> None:
    page, errors = watched
    create_account(engine, "chef", "admin")
    sign_in(page, live_server, "chef", next_path="/admin/users")
    for path, heading in (
        ("/admin/users", "Comptes utilisateurs"),
        ("/audit", "Journal d'audit"),
        ("/", None),
    ):
        page.goto(f"{live_server}{path}")
        _settled(page)
        if heading:
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
        if page.locator(".dash-graph").count():
            # Plotly draws its charts with no 'unsafe-eval' in the policy.
            expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
        assert page.evaluate("window.__csp") == [], path
        assert errors == [], path


def test_viewer_sees_a_refusal_on_admin_pages(
    watched: tuple[Page, list[str]], live_server: str, engine: Engine
) -> None:
    page, errors = watched
    create_account(engine, "lecteur", "viewer")
    sign_in(page, live_server, "lecteur", next_path="/audit")
    for path, page_id in (("/admin/users", "admin-users"), ("/audit", "audit")):
        page.goto(f"{live_server}{path}")
        expect(page.locator(f"#{page_id}-denied")).to_contain_text("Accès refusé")
    assert errors == []


def test_a_session_ended_on_the_server_sends_the_page_back_to_sign_in(
    page: Page, live_server: str, engine: Engine
) -> None:
    create_account(engine, "amina", "analyst")
    sign_in(page, live_server, "amina", next_path="/audit")
    _settled(page)
    with session_scope(engine) as session:
        disable_user(session, username="amina")
    # The next callback gets 401; the page reloads and the guard shows the sign-in form.
    page.locator("#audit-outcome-select").click()
    page.get_by_role("option", name="Échec").click()
    page.wait_for_url(f"{live_server}/login**")
    expect(page.locator(".notice")).to_contain_text("reconnectez-vous")
