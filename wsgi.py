"""The WSGI entry point: `gunicorn wsgi:app`."""

from engage import create_served_app

app = create_served_app()
