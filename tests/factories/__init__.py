"""Test data, one module per area: users, consultations, priorities, reviews, moderation,
summaries (and the API's world in `api`).

Each module holds plain builder functions and, where an area needs one, a pytest fixture.
Two shapes, as the areas grew them:

- builder functions (`users.user`, `consultations.consultation`, ...) work inside an
  application context, flush and return the object; `stored(app)` opens the context and
  commits at its end;
- builder objects behind fixtures (`factory`, priorities' `build`, reviews' `world`) open
  their own context, commit and return ids.

`tests/conftest.py` registers `tests.factories.users` (fixtures `factory`, `auth`) for
every test; an area's conftest imports the fixture of its own module.
"""

from contextlib import contextmanager

from engage.extensions import db


@contextmanager
def stored(app):
    """Build objects in an application context and commit them."""
    with app.app_context():
        yield
        db.session.commit()


def detached(app, model, object_id):
    """A detached copy of a row (None if there is none), its simple columns loaded."""
    with app.app_context():
        item = db.session.get(model, object_id)
        if item is not None:
            db.session.expunge(item)
        return item
