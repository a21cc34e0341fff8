"""Research priorities: published exercises, their questions in result order, figures."""


def test_only_exercises_with_published_results_are_listed(api, world):
    body = api.get("/api/v1/priorities").get_json()
    assert [item["id"] for item in body["data"]] == [world["exercise_id"]]
    for url in (f"/api/v1/priorities/{world['unpublished_exercise_id']}",
                f"/api/v1/priorities/{world['unpublished_exercise_id']}/questions"):
        assert api.get(url).status_code == 404


def test_an_exercise_has_its_groups_and_figures(api, world):
    exercise = api.get(f"/api/v1/priorities/{world['exercise_id']}?lang=en").get_json()
    assert exercise["stage"] == "published"
    assert exercise["translations"] == {"en": {"title": "Priorités publiées",
                                               "description": "Description",
                                               "scope": "Scope"}}
    assert [(g["id"], g["code"], g["labels"]) for g in exercise["groups"]] == [
        (world["patients_group"], "patients_carers", {"en": "Patients and carers"}),
        (world["professionals_group"], "health_professionals",
         {"en": "Health professionals"})]
    figures = exercise["figures"]
    assert (figures["submissions"], figures["rankers"], figures["comments"],
            figures["shortlisted"]) == (1, 3, 1, 2)
    assert figures["questions"] == {"kept": 3, "out_of_scope": 1, "already_answered": 0}
    # 1 person sent questions and 3 ranked: too few for any figure per group.
    assert figures["by_group"] == [
        {"group_id": world["patients_group"], "group_ids": [world["patients_group"]],
         "submissions": None, "submitters": None, "rankers": None},
        {"group_id": world["professionals_group"],
         "group_ids": [world["professionals_group"]],
         "submissions": None, "submitters": None, "rankers": None}]


def test_questions_come_in_result_order_with_their_scores(api, world):
    q1, q2, q3, q4 = world["priority_question_ids"]
    body = api.get(f"/api/v1/priorities/{world['exercise_id']}/questions").get_json()
    questions = body["data"]
    # The workshop's top first (q1 then q3), then the interim order, then the rest.
    assert [q["id"] for q in questions] == [q1, q3, q2, q4]
    first, third = questions[0], questions[1]
    assert (first["final_rank"], first["interim_rank"], first["shortlisted"]) == (1, 2, True)
    assert (third["final_rank"], third["interim_rank"]) == (2, 1)
    assert third["points_by_group"] == []  # 3 rankings in all: no points per group
    assert abs(third["interim_score"] - 54 / 92) < 1e-9
    assert questions[3]["status"] == "out_of_scope" and questions[3]["points_by_group"] == []
    assert first["translations"]["en"]["population"] == "Adults"


def test_questions_filtered_by_status(api, world):
    body = api.get(f"/api/v1/priorities/{world['exercise_id']}/questions"
                   "?status=out_of_scope").get_json()
    assert [q["number"] for q in body["data"]] == [4]


def test_page_links_ignore_a_query_argument_named_like_the_path_or_url_for(api, world):
    # The page links were built with url_for(**view_args, **query): a query argument named
    # like a path argument (or url_for's own `_external`) was a TypeError, a 500.
    exercise_id = world["exercise_id"]
    url = f"/api/v1/priorities/{exercise_id}/questions"
    for query in ("?exercise_id=999999", "?_external=0", "?_anchor=x&status=out_of_scope"):
        response = api.get(url + query)
        assert response.status_code == 200, (query, response.text)
        links = response.get_json()["links"]
        assert links["self"].split("?")[0].endswith(url), links
        assert "999999" not in links["self"] and "_anchor" not in links["self"]
        assert "#" not in links["self"]
