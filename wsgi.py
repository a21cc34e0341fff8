"""The WSGI entry point: `gunicorn wsgi:app`."""

from engage import create_app

app = create_app()
