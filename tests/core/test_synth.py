"""`flask engage synth`: synthetic data in every area, consistent, searchable, deterministic."""

import hashlib

from sqlalchemy import func, select

from engage.accounts.models import User
from engage.consultations.models import Consultation, Contribution, ContributionSupport
from engage.core.moderated import Report, ReportStatus
from engage.extensions import db
from engage.priorities.models import IndicativeQuestion, Ranking
from engage.reviews.models import Application, Review
from engage.summaries.models import Summary
from engage.synth import MODERATOR_EMAIL, PARTICIPANT_EMAIL, SYNTH_PASSWORD, Sizes
from engage.synth.pages import main_pages
from tests.conftest import empty_tables
from tests.helpers import Auth

SCALE = 0.01


def _synth(runner, scale=SCALE, seed=None):
    args = ["engage", "synth", "--scale", str(scale)]
    if seed is not None:
        args += ["--seed", str(seed)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_synth_fills_every_area_in_proportion(app, runner):
    output = _synth(runner)
    assert "rows at scale 0.01" in output
    sizes = Sizes.at(SCALE)
    with app.app_context():
        assert _count(User) == sizes.users
        assert _count(Consultation) == sizes.consultations
        assert _count(Contribution, Contribution.parent_id.is_(None)) == sizes.contributions
        assert _count(Contribution, Contribution.parent_id.is_not(None)) == sizes.replies
        assert _count(ContributionSupport) > 0
        assert _count(Report) > 0
        assert _count(Summary) > 0
        assert _count(IndicativeQuestion) == 2 * sizes.questions
        assert _count(Ranking) == 2 * sizes.rankings
        assert _count(Application) == sizes.calls * sizes.applications
        assert _count(Review) == 3 * sizes.calls * sizes.applications


def test_synth_keeps_the_counters_consistent(app, runner):
    _synth(runner)
    with app.app_context():
        supports = (select(func.count(ContributionSupport.id))
                    .where(ContributionSupport.contribution_id == Contribution.id)
                    .scalar_subquery())
        assert _count(Contribution, Contribution.support_count != supports) == 0
        open_reports = (select(func.count(Report.id))
                        .where(Report.target_type == "contribution",
                               Report.target_id == Contribution.id,
                               Report.status == ReportStatus.OPEN)
                        .scalar_subquery())
        assert _count(Contribution, Contribution.open_report_count != open_reports) == 0
        # At the threshold (3 open reports) an item is hidden until a moderator looks at it.
        assert _count(Contribution, Contribution.open_report_count >= 3,
                      Contribution.moderation_status == "published") == 0
        # New rows get the next ids (PostgreSQL's sequences follow the inserted ids).
        factory_user = User(email="new@example.org", display_name="New", password_hash="x",
                            privacy_consent_at=func.now())
        db.session.add(factory_user)
        db.session.flush()
        assert factory_user.id == Sizes.at(SCALE).users + 1
        db.session.rollback()


def test_search_finds_synthetic_contributions(app, runner, client):
    _synth(runner)
    response = client.get("/en/consultations/search?q=fatigue")
    assert response.status_code == 200
    assert response.text.count("<mark>") >= 5


def test_the_main_pages_answer(app, runner, client):
    _synth(runner)
    with app.app_context():
        pages = main_pages("en")
    assert len(pages) >= 12
    clients = {None: client, "participant": app.test_client(), "moderator": app.test_client()}
    Auth(app, clients["participant"]).sign_in(PARTICIPANT_EMAIL, SYNTH_PASSWORD)
    Auth(app, clients["moderator"]).sign_in(MODERATOR_EMAIL, SYNTH_PASSWORD)
    for page in pages:
        response = clients[page.who].get(page.path)
        assert response.status_code == 200, (page, response.status_code)
    assert client.get("/fr/").status_code == 200


def _fingerprint(app) -> str:
    with app.app_context():
        rows = db.session.execute(
            select(Contribution.id, Contribution.author_id, Contribution.body,
                   Contribution.support_count).order_by(Contribution.id)
        ).all()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_same_seed_gives_the_same_data(app, runner):
    _synth(runner, scale=0.005, seed=7)
    first = _fingerprint(app)
    empty_tables(app)
    _synth(runner, scale=0.005, seed=7)
    assert _fingerprint(app) == first
    empty_tables(app)
    _synth(runner, scale=0.005, seed=8)
    assert _fingerprint(app) != first


def test_synth_refuses_a_database_with_accounts(app, runner, factory):
    factory.user()
    result = runner.invoke(args=["engage", "synth", "--scale", "0.01"])
    assert result.exit_code != 0
    assert "empty database" in result.output
