"""Pages issue a fixed number of SQL queries, whatever the number of participants."""

import pytest

from engage.priorities.models import QuestionStatus, Stage
from tests.factories.priorities import PATIENTS, PROFESSIONALS
from tests.helpers import sign_in


def populate(build, exercise_id, participants, questions):
    """`participants` people who each sent a question, ranked and commented."""
    kept = build.questions(exercise_id, questions)
    build.question(exercise_id, status=QuestionStatus.OUT_OF_SCOPE, en={"reason": "Legal"})
    for index in range(participants):
        user_id = build.participant()
        group = PATIENTS if index % 3 else PROFESSIONALS
        submission = build.submission(exercise_id, user_id, group=group)
        build.comment(kept[index % len(kept)], user_id, f"Comment {index}")
        order = [kept[(index + k) % len(kept)] for k in range(min(10, len(kept)))]
        build.ranking(exercise_id, user_id, order, group=group)
        if index == 0:
            build.question(exercise_id, submission_ids=[submission])
    return kept


def count(client, count_queries, path):
    client.get(path)  # warm up
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200, path
    return counter.count


PAGES = {
    "ranking": ("/ranking", Stage.INTERIM_RANKING, "participant"),
    "results": ("/results", Stage.PUBLISHED, "visitor"),
    "results preview": ("/results", Stage.INTERIM_RANKING, "moderator"),
    "exercise": ("", Stage.INTERIM_RANKING, "participant"),
    "questions": ("/questions", Stage.INTERIM_RANKING, "visitor"),
    "question": ("/questions/1", Stage.INTERIM_RANKING, "moderator"),
    "submissions": ("/submissions?show=all", Stage.PROCESSING, "moderator"),
    "manage": ("/manage", Stage.INTERIM_RANKING, "moderator"),
    "workshop": ("/workshop", Stage.FINAL_WORKSHOP, "moderator"),
    "index": ("INDEX", Stage.GATHERING, "visitor"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_query_count_does_not_grow_with_participants(app, client, auth, build, count_queries,
                                                     name):
    path, stage, who = PAGES[name]
    counts = []
    for participants, questions in ((3, 5), (15, 20)):
        exercise_id = build.exercise(stage=Stage.INTERIM_RANKING)
        kept = populate(build, exercise_id, participants, questions)
        if stage == Stage.FINAL_WORKSHOP or stage == Stage.PUBLISHED:
            from engage.extensions import db
            from engage.priorities.models import Exercise
            from engage.priorities.services.exercises import _freeze_interim_results

            with app.test_request_context("/en/"):
                _freeze_interim_results(db.session.get(Exercise, exercise_id))
                db.session.commit()
            for place, question_id in enumerate(kept[:10], start=1):
                with app.app_context():
                    from engage.priorities.models import IndicativeQuestion

                    db.session.get(IndicativeQuestion, question_id).final_rank = place
                    db.session.commit()
        build.stage(exercise_id, stage)
        if who == "participant":
            sign_in(auth, build.participant())
        elif who == "moderator":
            sign_in(auth, build.moderator_id)
        target = "/en/priorities/" if path == "INDEX" else (
            f"/en/priorities/{exercise_id}" + path.replace("/questions/1", f"/questions/{kept[0]}"))
        counts.append(count(client, count_queries, target))
        if who != "visitor":
            auth.sign_out()
    assert counts[0] == counts[1], f"{name}: {counts}"
