"""The monitoring pages served from each worker's cache stay exact after any write."""

from __future__ import annotations

from typing import Any

from dash import Dash
from sqlalchemy import text
from sqlalchemy.engine import Engine

from dashboard.db.engine import make_engine
from dashboard.services.cache import RenderCache
from dashboard.services.context import EXTENSION
from tests.web.conftest import open_page


def _cache(app: Dash) -> RenderCache:
    cache: RenderCache = app.server.extensions[EXTENSION]["render_cache"]
    return cache


def test_a_page_seen_twice_is_served_from_the_cache(app: Dash, signed_in: Any) -> None:
    client = signed_in("analyst")
    first = open_page(app, client, "/ctis")
    hits = _cache(app).hits
    assert open_page(app, client, "/ctis") == first
    assert _cache(app).hits == hits + 1


def test_a_write_by_another_worker_shows_at_once(app: Dash, signed_in: Any, engine: Engine) -> None:
    client = signed_in("analyst")
    assert "Centre Zeta Renomme" not in open_page(app, client, "/ctis/CETIA")
    # Another process (a second gunicorn worker, the command line) writes through its own
    # connection: this worker's cache must not serve the old page.
    other = make_engine(engine.url.render_as_string(hide_password=False))
    with other.begin() as conn:
        conn.execute(text("UPDATE cti SET name = 'Centre Zeta Renomme' WHERE acronym = 'CETIA'"))
    other.dispose()
    assert "Centre Zeta Renomme" in open_page(app, client, "/ctis/CETIA")


def test_filters_and_languages_have_their_own_entries(app: Dash, signed_in: Any) -> None:
    client = signed_in("analyst")
    french = open_page(app, client, "/axes")
    client.get("/axes?lang=en")
    english = open_page(app, client, "/axes")
    assert english != french
    hits = _cache(app).hits
    client.get("/axes?lang=fr")
    assert open_page(app, client, "/axes") == french, "kept beside the English page"
    assert _cache(app).hits == hits + 1
    assert open_page(app, client, "/axes", "?year=2023") != english


def test_no_cache_builds_every_time(app: Dash, signed_in: Any) -> None:
    cache = _cache(app)
    cache.max_entries = 0
    client = signed_in("analyst")
    open_page(app, client, "/baseline")
    open_page(app, client, "/baseline")
    assert len(cache) == 0 and cache.hits == 0


def test_the_calendar_reuses_its_states_until_the_data_changes(
    app: Dash, signed_in: Any, engine: Engine
) -> None:
    client = signed_in("analyst")
    open_page(app, client, "/calendar")
    hits = _cache(app).hits
    open_page(app, client, "/calendar")
    assert _cache(app).hits > hits, "the states computed for the first view are reused"
    misses = _cache(app).misses
    with engine.begin() as conn:
        conn.execute(text("UPDATE progressupdate SET comment = comment || '.' WHERE id = 1"))
    open_page(app, client, "/calendar")
    assert _cache(app).misses > misses, "a changed value recomputes them"


def test_no_update_reaches_dash_as_it_is(app: Dash, signed_in: Any) -> None:
    import dash

    from dashboard.services.page_cache import cached_content

    @cached_content("test.no_update")
    def nothing() -> Any:
        return dash.no_update

    signed_in("analyst")
    with app.server.test_request_context():
        assert nothing() is dash.no_update
        assert nothing() is dash.no_update
    assert len(_cache(app)) == 0
