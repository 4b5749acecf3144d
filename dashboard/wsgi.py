"""WSGI entry point for production: `gunicorn dashboard.wsgi:server`."""

from dashboard.app import create_app, settle_for_serving

app = create_app()
server = app.server
settle_for_serving()
