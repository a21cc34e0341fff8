"""Every page answers in French too (the French catalog is merged later: only the language
of the page is checked here)."""

from engage.priorities.models import Stage
from tests.helpers import sign_in


def test_every_page_answers_in_french(app, client, auth, build):
    exercise_id = build.exercise(stage=Stage.PROCESSING, title_fr="Titre", title_en="")
    submission = build.submission(exercise_id, build.participant(), language="fr")
    question_id = build.question(exercise_id, submission_ids=[submission])
    comment_id = build.comment(question_id, build.participant())
    base = f"/fr/priorities/{exercise_id}"
    sign_in(auth, build.moderator_id)
    pages = ["/fr/priorities/", "/fr/priorities/new", base, base + "/edit", base + "/manage",
             base + "/submissions", base + "/questions", base + "/questions/new",
             f"{base}/questions/{question_id}", f"{base}/questions/{question_id}/edit",
             f"{base}/moderate/comment/{comment_id}", f"{base}/moderate/submission/{submission}"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="fr">' in response.text, path
        assert response.text.count("<h1") == 1, path
    build.stage(exercise_id, Stage.INTERIM_RANKING)
    for path in (base + "/ranking", base + "/results"):
        response = client.get(path)
        assert response.status_code == 200 and '<html lang="fr">' in response.text, path
    build.stage(exercise_id, Stage.FINAL_WORKSHOP)
    assert '<html lang="fr">' in client.get(base + "/workshop").text
    auth.sign_out(lang="fr")
    sign_in(auth, build.participant())
    response = client.get(f"{base}/report/comment/{comment_id}")
    assert response.status_code == 200 and '<html lang="fr">' in response.text
