"""WSGI entry point for production: `gunicorn dashboard.wsgi:server`."""

from dashboard.app import create_app

app = create_app()
server = app.server
