"""Install sign-in, the request guard and security headers on the Flask server."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.engine import Engine

from dashboard.config import Settings


def init_auth(server: Flask, settings: Settings, engine: Engine) -> None:
    """Install authentication on the server (being built: see the accounts issue)."""
