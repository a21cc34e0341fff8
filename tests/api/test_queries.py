"""Each API page runs the same number of SQL queries whatever the amount of data."""

import pytest
from flask_babel import force_locale

from engage.accounts.models import ParticipantType
from engage.consultations.models import ConsultationResponse
from engage.core.db import utcnow
from engage.extensions import db
from engage.moderation.models import ContributionTheme
from engage.priorities import services as priorities
from engage.priorities.models import (
    IndicativeQuestion,
    QuestionTranslation,
    Ranking,
    RankingEntry,
    Stage,
)
from engage.summaries import services as summaries
from tests.factories import consultations as builders

_made = {"n": 0}


def add_content(app, count: int) -> dict:
    """`count` of everything: consultations with questions, contributions with themes,
    tags, associations and replies, published summaries, published exercises."""
    with app.test_request_context("/en/"), force_locale("en"):
        moderator, reviewer = builders.user("moderator"), builders.user("moderator")
        for _ in range(count):
            _made["n"] += 1
            n = _made["n"]
            theme = builders.theme(f"Thème {n}", f"Theme {n}")
            tag = builders.theme(f"Étiquette {n}", None)
            consultation = builders.consultation("closed", with_questions=True, themes=[theme],
                                                 author=moderator)
            author = builders.user("participant", pseudonym=f"Pseudo {n}", use_pseudonym=True,
                                   participant_type=ParticipantType.PATIENT)
            representative = builders.user("representative")
            association = builders.association(f"Association {n}", representative)
            first = builders.contribution(consultation, author, f"Text {n}", theme_id=theme.id)
            position = builders.contribution(consultation, representative, f"Position {n}",
                                             association_id=association.id)
            builders.contribution(consultation, representative, "Reply", parent_id=first.id)
            db.session.add(ContributionTheme(contribution_id=position.id, theme_id=tag.id))
            db.session.add(ConsultationResponse(consultation_id=consultation.id,
                                                user_id=author.id, submitted_at=utcnow()))
            summary, _created = summaries.start(moderator, consultation)
            summaries.save(moderator, summary, {"fr": f"Synthèse [#{first.id}]",
                                                "en": f"Summary [#{first.id}]"})
            summaries.submit(moderator, summary)
            summaries.approve(reviewer, summary)
            exercise = priorities.create_exercise(
                moderator, texts={"fr": {"title": f"Exercice {n}", "description": "",
                                         "scope": ""}})
            questions = [IndicativeQuestion(exercise_id=exercise.id, number=number,
                                            translations=[QuestionTranslation(
                                                language="fr", text=f"Q{number}")])
                         for number in (1, 2)]
            db.session.add_all(questions)
            db.session.flush()
            db.session.add(Ranking(exercise_id=exercise.id, user_id=author.id,
                                   group_id=exercise.groups[0].id,
                                   entries=[RankingEntry(question_id=q.id, position=p)
                                            for p, q in enumerate(questions, start=1)]))
            exercise.stage = Stage.PUBLISHED
        db.session.commit()
        return {"exercise_id": exercise.id, "consultation_id": consultation.id}


URLS = [
    "/api/v1/consultations?per_page=100",
    "/api/v1/consultations?per_page=100&lang=en",
    "/api/v1/contributions?per_page=100",
    "/api/v1/contributions?per_page=100&theme=1",
    "/api/v1/summaries?per_page=100",
    "/api/v1/priorities?per_page=100",
    "/api/v1/themes?per_page=100",
    "/api/v1/participation",
]


@pytest.mark.parametrize("url", URLS)
def test_a_list_costs_the_same_queries_for_more_data(api, app, count_queries, url):
    add_content(app, 1)
    with count_queries() as small:
        assert api.get(url).status_code == 200
    add_content(app, 4)
    with count_queries() as large:
        response = api.get(url)
    assert response.status_code == 200
    assert large.count == small.count, large.statements


def test_the_questions_of_an_exercise_cost_the_same_queries_for_more_data(api, app,
                                                                         count_queries):
    ids = add_content(app, 1)
    url = f"/api/v1/priorities/{ids['exercise_id']}/questions?per_page=100"
    with count_queries() as small:
        assert api.get(url).status_code == 200
    with app.app_context():
        db.session.add_all([IndicativeQuestion(exercise_id=ids["exercise_id"], number=number,
                                               translations=[QuestionTranslation(
                                                   language="en", text=f"Q{number}")])
                            for number in range(3, 20)])
        db.session.commit()
    with count_queries() as large:
        body = api.get(url).get_json()
    assert len(body["data"]) == 19
    assert large.count == small.count
