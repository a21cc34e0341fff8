"""Summaries: published ones only, with the network's response and their citations."""


def test_only_published_summaries_are_listed(api, world):
    body = api.get("/api/v1/summaries").get_json()
    assert [item["id"] for item in body["data"]] == [world["summary_id"]]
    assert api.get(f"/api/v1/summaries/{world['draft_summary_id']}").status_code == 404


def test_a_summary_gives_its_texts_response_and_public_citations(api, world):
    summary = api.get(f"/api/v1/summaries/{world['summary_id']}").get_json()
    assert summary["consultation_id"] == world["closed_id"]
    assert summary["translations"]["en"] == {
        "body": f"Patients want trials nearby [#{world['first_id']}].",
        "response": "We will act."}
    assert summary["translations"]["fr"]["response"] == "Nous agirons."
    assert summary["response_on"] is not None and summary["published_at"] is not None
    # The hidden contribution it cites is not listed.
    assert summary["cited_contributions"] == [world["first_id"]]
    assert summary["links"]["html"].endswith(f"/fr/summaries/{world['summary_id']}")
    french = api.get(f"/api/v1/summaries/{world['summary_id']}?lang=fr").get_json()
    assert set(french["translations"]) == {"fr"}


def test_summaries_filtered_by_consultation(api, world):
    def listed(consultation):
        body = api.get(f"/api/v1/summaries?consultation={consultation}").get_json()
        return [item["id"] for item in body["data"]]

    assert listed(world["closed_id"]) == [world["summary_id"]]
    assert listed(world["unsummarised_id"]) == []
