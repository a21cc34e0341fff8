"""Fixtures of the My space tests: a request context in English, and the people and
notifications the tests share (built through the areas' own services)."""

import pytest
from flask_babel import force_locale

from engage.extensions import db
from tests.space.matrix import register


@pytest.fixture
def app_context(app):
    """An application context in English, inside a request (url_for needs one)."""
    with app.test_request_context("/en/"), force_locale("en"):
        yield
        db.session.rollback()


register()  # My space's rows of the authorization matrix (tests/security)


class Replied:
    """A person whose contribution got `replies` replies (notifications made by the real
    service), and the ids the tests look for."""

    def __init__(self, app, replies: int = 2, language: str = "en",
                 email: str = "author@example.org"):
        from engage.consultations import participation
        from tests.factories import consultations as builders
        from tests.factories.users import user

        with app.test_request_context("/en/"), force_locale("en"):
            author = user(language=language, email=email, display_name="Camille Author")
            consultation = builders.consultation("open")
            contribution = builders.contribution(consultation, author, "Fatigue lasts.")
            replies_made = [participation.post_reply(
                user(display_name=f"Replier {n}"), contribution, f"Reply {n}")[0]
                for n in range(replies)]
            db.session.commit()
            self.email = email
            self.user_id = author.id
            self.consultation_id = consultation.id
            self.contribution_id = contribution.id
            self.reply_ids = [reply.id for reply in replies_made]


@pytest.fixture
def replied(app):
    """A factory of people with replies: `replied(replies=2, language="en")`."""
    return lambda **fields: Replied(app, **fields)
