"""Consultations, their questionnaire results and participation figures."""

import pytest

from engage.consultations.models import Consultation
from engage.extensions import db


def data(api, url):
    response = api.get(url)
    assert response.status_code == 200, response.text
    return response.get_json()


def ids(body):
    return [item["id"] for item in body["data"]]


def test_only_published_consultations_are_listed(api, world):
    body = data(api, "/api/v1/consultations")
    listed = ids(body)
    assert world["closed_id"] in listed and world["open_id"] in listed
    assert world["draft_id"] not in listed and world["upcoming_id"] not in listed
    assert listed == sorted(listed)
    for key in ("draft_id", "upcoming_id"):
        assert api.get(f"/api/v1/consultations/{world[key]}").status_code == 404


def test_a_consultation_gives_every_translation_or_the_one_asked_for(api, world):
    closed = data(api, f"/api/v1/consultations/{world['closed_id']}")
    assert set(closed["translations"]) == {"fr", "en"}
    assert closed["translations"]["en"]["title"] == "Living after cancer"
    assert closed["translations"]["fr"]["body"] == "Le **texte** en français."
    english = data(api, f"/api/v1/consultations/{world['closed_id']}?lang=en")
    assert set(english["translations"]) == {"en"}
    assert english["themes"] == [{"id": world["health_theme"], "labels": {"en": "Health"}}]
    assert english["links"]["html"].endswith(f"/en/consultations/{world['closed_id']}")
    # A theme written only in French: the French label is the fallback.
    opened = data(api, f"/api/v1/consultations/{world['open_id']}?lang=en")
    assert opened["themes"] == [{"id": world["work_theme"], "labels": {"fr": "Travail"}}]


def test_a_consultation_has_its_figures_and_links(api, world):
    closed = data(api, f"/api/v1/consultations/{world['closed_id']}")
    assert closed["status"] == "summarized"  # its summary is published
    assert closed["figures"] == {"contributions": 4, "responses": 9}
    assert closed["results_available"] is True
    assert closed["summary_id"] == world["summary_id"]
    assert closed["links"]["results"].endswith(f"/api/v1/consultations/{world['closed_id']}"
                                               "/results")
    opened = data(api, f"/api/v1/consultations/{world['open_id']}")
    assert opened["results_available"] is False
    assert opened["links"]["results"] is None and opened["summary_id"] is None
    assert api.get(f"/api/v1/consultations/{world['open_id']}/results").status_code == 404


@pytest.mark.parametrize(("query", "expected"), [
    ("status=open", ["open_id"]),
    ("status=closed", ["unsummarised_id"]),
    ("status=summarized", ["closed_id"]),
    ("status=archived", []),
])
def test_consultations_filtered_by_status(api, world, query, expected):
    assert ids(data(api, f"/api/v1/consultations?{query}")) == [world[k] for k in expected]


def test_consultations_filtered_by_theme(api, world):
    assert ids(data(api, f"/api/v1/consultations?theme={world['health_theme']}")) == \
        [world["closed_id"]]
    assert ids(data(api, f"/api/v1/consultations?theme={world['work_theme']}"
                         "&status=open")) == [world["open_id"]]
    assert ids(data(api, "/api/v1/consultations?theme=99999")) == []


def test_questionnaire_results_count_the_submitted_answers_of_closed_questions(api, world):
    results = data(api, f"/api/v1/consultations/{world['closed_id']}/results?lang=en")
    assert results["responses"] == 9  # the draft is not counted
    kinds = [q["kind"] for q in results["questions"]]
    assert kinds == ["single_choice", "multiple_choice", "scale", "ranking"]  # no free text
    single, multiple, scale, ranking = results["questions"]
    assert single["translations"] == {"en": {"text": "You are?", "hint": "",
                                             "scale_min_label": "", "scale_max_label": ""}}
    # 4 patients, 5 carers: the 4 cannot be shown, nor the 5 (they would give the 4 away).
    assert single["options"] == [] and single["withheld"] is False
    assert single["other"]["count"] == 9 and len(single["other"]["option_ids"]) == 2
    assert multiple["other"] is None
    assert [o["count"] for o in multiple["options"]] == [9, 0, 9]
    assert scale["scale"] == [{"value": 1, "count": 1}, {"value": 2, "count": 2},
                              {"value": 3, "count": 2}, {"value": 4, "count": 2},
                              {"value": 5, "count": 2}]
    assert scale["mean"] == round(29 / 9, 2)
    assert [(o["points"], o["count"]) for o in ranking["options"]] == [
        (27, None), (18, None), (0, None)]
    assert all(q["respondents"] == 9 for q in results["questions"])


def test_results_wait_for_the_consultation_to_close(api, world, app):
    with app.app_context():
        db.session.get(Consultation, world["open_id"]).close()
        db.session.commit()
    assert api.get(f"/api/v1/consultations/{world['open_id']}/results").status_code == 200


def test_participation_merges_cells_under_five_people(api, world):
    figures = data(api, f"/api/v1/consultations/{world['closed_id']}/participation?lang=en")
    assert (figures["contributions"], figures["replies"], figures["positions"],
            figures["responses"], figures["participants"]) == (3, 1, 1, 9, 12)
    assert figures["small_cell_threshold"] == 5
    assert figures["by_role"] == [
        {"key": "patient", "label": "Patient", "count": 7},
        {"key": "other", "label": "Other (groups under 5 people)", "count": 5}]
    assert figures["by_departement"] == [
        {"key": "75", "label": "75 – Paris", "count": 7},
        {"key": "other", "label": "Other (groups under 5 people)", "count": 5}]
    everywhere = data(api, "/api/v1/participation?lang=en")
    assert everywhere["consultation_id"] is None
    assert (everywhere["contributions"], everywhere["replies"], everywhere["participants"]) \
        == (4, 1, 12)
    assert all(cell["count"] >= 5 for cell in everywhere["by_role"])


def test_participation_of_a_draft_is_not_found(api, world):
    assert api.get(f"/api/v1/consultations/{world['draft_id']}/participation").status_code \
        == 404


def test_themes_are_listed(api, world):
    themes = data(api, "/api/v1/themes")["data"]
    assert {"id": world["health_theme"], "labels": {"en": "Health", "fr": "Santé"}} in themes
    assert {"id": world["work_theme"], "labels": {"fr": "Travail"}} in \
        data(api, "/api/v1/themes?lang=en")["data"]
