"""The WSGI entry point: `gunicorn --config deploy/gunicorn.conf.py wsgi:app`.

With the deployed configuration (`preload_app`), gunicorn's master imports this once and
forks its workers from it: the warm-up below is done once and shared by every worker.
"""

from engage import create_served_app
from engage.core.warmup import warm_up
from engage.extensions import db

app = create_served_app()
# In production the costly libraries and the templates are loaded now, not in the first
# requests (engage/core/warmup.py). Development servers and the tests' instances start
# without it.
if app.config["ENV_NAME"] == "production":
    warm_up(app)
# Workers must not share the master's database connections (the migration check opened one).
with app.app_context():
    db.engine.dispose()
