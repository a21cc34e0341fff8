"""Version counters (engage.core.versions): a write bumps the scopes of what it changes, in
its own transaction, and nothing else; every table says what its writes change."""

import pytest
from sqlalchemy import text, update

from engage.accounts.models import User
from engage.consultations.models import Consultation, Contribution, ContributionSupport
from engage.core import versions
from engage.core.db import utcnow
from engage.extensions import db
from tests.factories import consultations as builders
from tests.factories import stored
from tests.helpers import bumped_scopes, cache_versions


def _bumped(app, change) -> set[str]:
    with app.app_context():
        return bumped_scopes(change)


@pytest.fixture(autouse=True)
def _caches_on(app, monkeypatch):
    # An application that keeps nothing bumps nothing (versions._kept_anywhere).
    monkeypatch.setitem(app.config, "AGGREGATE_CACHE_SECONDS", 30)


@pytest.fixture
def world(app, factory):
    author, supporter = factory.user(), factory.user()
    with stored(app):
        shown, other = builders.consultation(status="open"), builders.consultation(status="open")
        contribution = builders.contribution(shown, db.session.get(User, author))
        ids = {"shown": shown.id, "other": other.id, "contribution": contribution.id,
               "author": author, "supporter": supporter}
    return ids


def test_every_table_says_what_its_writes_change(app):
    with app.app_context():
        unregistered = {table.name for table in db.metadata.sorted_tables
                        if table.name not in versions.registered_tables()}
    assert unregistered == set()


def test_a_support_bumps_its_consultation_and_the_supporter_only(app, world):
    def support():
        db.session.add(ContributionSupport(contribution_id=world["contribution"],
                                           user_id=world["supporter"]))

    assert _bumped(app, support) == {f"consultation:{world['shown']}", "supports",
                                     f"user:{world['supporter']}"}


def test_a_contribution_bumps_its_consultation_and_the_lists(app, world):
    def contribute():
        builders.contribution(db.session.get(Consultation, world["shown"]),
                              db.session.get(User, world["supporter"]), body="Encore.")

    assert _bumped(app, contribute) == {
        f"consultation:{world['shown']}", "consultations", "contributions", "moderation",
        f"user:{world['supporter']}"}


def test_signing_in_changes_only_the_persons_own_pages(app, world):
    def sign_in():
        db.session.get(User, world["author"]).last_sign_in_at = utcnow()

    def rename():
        db.session.get(User, world["author"]).display_name = "Un autre nom"

    assert _bumped(app, sign_in) == {f"user:{world['author']}"}
    assert _bumped(app, rename) == {f"user:{world['author']}", "site"}


def test_a_statement_bumps_the_wildcard_and_raw_sql_everything(app, world):
    def hide_all():
        db.session.execute(update(Contribution).values(open_report_count=0))

    def raw():
        db.session.execute(text("UPDATE consultations SET updated_at = updated_at"))

    assert _bumped(app, hide_all) == {"consultation:*", "consultations", "contributions",
                                      "moderation"}
    assert _bumped(app, raw) == {"site"}


def test_a_rolled_back_write_bumps_nothing_and_a_savepoint_keeps_the_rest(app, world):
    with app.app_context():
        before = cache_versions()
        db.session.get(Consultation, world["other"]).status  # noqa: B018 - loaded
        builders.contribution(db.session.get(Consultation, world["other"]),
                              db.session.get(User, world["author"]), body="Annulée.")
        db.session.flush()
        db.session.rollback()
        db.session.commit()
        assert cache_versions() == before
    shown = f"consultation:{world['shown']}"

    def write_then_undo_a_part():
        builders.contribution(db.session.get(Consultation, world["shown"]),
                              db.session.get(User, world["author"]), body="Gardée.")
        db.session.flush()
        with db.session.begin_nested() as savepoint:
            db.session.get(User, world["supporter"]).display_name = "Annulé"
            db.session.flush()
            savepoint.rollback()

    assert shown in _bumped(app, write_then_undo_a_part)


def test_a_reader_reads_the_versions_with_site_and_the_wildcards(app, world):
    with app.test_request_context():
        read = dict(versions.current([versions.consultation(world["shown"])]))
    assert set(read) == {"site", "consultation:*", f"consultation:{world['shown']}"}
    assert read[f"consultation:{world['shown']}"] >= 1  # its creation bumped it
