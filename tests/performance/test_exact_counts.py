"""Counts stay exact under a stream of writes, across instances (issue 18, item 3).

One instance takes the writes as browsers send them (signed-in POSTs: 4 supports or
withdrawals in 5, 1 new contribution); another, sharing the database and the Redis store,
serves the pages with both caches on. After each acknowledged write, the second instance's
consultation page and list card must count what `COUNT(*)` counts, and the contribution's
support count must be the number of its supports: 200 times, on both databases.
"""

import random
import re
import secrets

from sqlalchemy import func, select

from engage.accounts.models import User
from engage.consultations.models import Contribution, ContributionSupport
from engage.core import shared_store
from engage.extensions import db
from tests.conftest import build_app, redis_url
from tests.factories import consultations as builders
from tests.factories import stored
from tests.helpers import Auth, csrf_token

WRITES = 200
WRITERS = 6
CACHES = {"PAGE_CACHE_SECONDS": 30, "AGGREGATE_CACHE_SECONDS": 300}
CARD_COUNT = re.compile(r"(\d+) contributions?")
SUPPORTS = re.compile(r'<p class="support-count">\s*(\d+) supports?<')


def _instance(app):
    return build_app(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=redis_url(), **CACHES)


def _dispose(instance) -> None:
    with instance.app_context():
        db.session.remove()
        db.engine.dispose()


def _counted(consultation_id: int, contribution_id: int) -> tuple[int, int]:
    contributions = db.session.scalar(
        select(func.count()).select_from(Contribution).where(
            Contribution.consultation_id == consultation_id, Contribution.parent_id.is_(None),
            Contribution.association_id.is_(None), Contribution.visible_clause()))
    supports = db.session.scalar(select(func.count()).select_from(ContributionSupport).where(
        ContributionSupport.contribution_id == contribution_id))
    return contributions, supports


def _supports_shown(page: str) -> int:
    found = SUPPORTS.search(page)
    assert found, "no support count on the contribution's page"
    return int(found.group(1))


def test_counts_are_exact_after_every_write(app, factory):
    author = factory.user()
    with stored(app):
        consultation = builders.consultation(status="open")
        first = builders.contribution(consultation, db.session.get(User, author))
        consultation_id, contribution_ids = consultation.id, [first.id]
    writer, reader = _instance(app), _instance(app)
    try:
        with reader.app_context():
            shared_store.of().clear()
        writers = []
        for _ in range(WRITERS):
            client = writer.test_client()
            Auth(writer, client, factory).sign_in_as(language="en")
            token = csrf_token(client.get(f"/en/consultations/{consultation_id}"))
            writers.append((client, token, set()))
        visitor = reader.test_client()
        base = f"/en/consultations/{consultation_id}"
        visitor.get(base), visitor.get("/en/consultations/")  # kept before the first write
        chance = random.Random(18)
        stale = []
        for number in range(WRITES):
            client, token, supported = writers[number % WRITERS]
            if number % 5 == 4:
                response = client.post(f"{base}/contributions", data={
                    "body": f"Contribution numéro {number}.", "csrf_token": token,
                    "submission_key": secrets.token_hex(16)})
                target = contribution_ids[0]
            else:
                target = chance.choice(contribution_ids)
                action = "withdraw-support" if target in supported else "support"
                response = client.post(f"{base}/contributions/{target}/{action}",
                                       data={"csrf_token": token})
                supported.symmetric_difference_update({target})
            assert response.status_code == 302, response.text
            with writer.app_context():
                contribution_ids = list(db.session.scalars(select(Contribution.id).where(
                    Contribution.consultation_id == consultation_id)))
                contributions, supports = _counted(consultation_id, target)
            page = visitor.get(base).text
            card = visitor.get("/en/consultations/").text
            thread = visitor.get(f"{base}/contributions/{target}").text
            shown = (int(CARD_COUNT.search(page).group(1)), int(CARD_COUNT.search(card).group(1)),
                     _supports_shown(thread))
            if shown != (contributions, contributions, supports):
                stale.append((number, shown, (contributions, supports)))
        assert stale == []
        assert len(contribution_ids) == 1 + WRITES // 5
    finally:
        _dispose(writer)
        _dispose(reader)
