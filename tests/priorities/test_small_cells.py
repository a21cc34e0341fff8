"""No published figure of an exercise describes fewer than 5 people: with 1, 4, 5 and 6
people ranking, in the results page, the CSV of the questions and the API."""

import re

import pytest

from engage.priorities.models import Stage
from tests.api.conftest import api  # noqa: F401 (the fixture: every answer checked by the spec)
from tests.factories.priorities import PATIENTS, PROFESSIONALS
from tests.priorities.test_views_ranking import read_csv, url


def exercise_ranked_by(build, patients: int, professionals: int = 0):
    exercise_id = build.exercise(stage=Stage.PUBLISHED, workshop_size=10)
    questions = build.questions(exercise_id, 12)
    for _ in range(patients):
        build.ranking(exercise_id, build.participant(), questions[:10])
    for _ in range(professionals):
        build.ranking(exercise_id, build.participant(), questions[2:12], group=PROFESSIONALS)
    return exercise_id


def header_cells(html: str, region: str) -> list[str]:
    table = re.search(rf'aria-label="{region}">(.*?)</table>', html, re.S).group(1)
    head = re.search(r"<thead>(.*?)</thead>", table, re.S).group(1)
    return [text_of(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]


def text_of(cell: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def rankers_row(html: str) -> list[str]:
    row = re.search(r'<th scope="row">People who ranked the questions</th>(.*?)</tr>', html,
                    re.S).group(1)
    return [text_of(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]


@pytest.mark.parametrize("people", [1, 4])
def test_under_5_rankings_no_interim_figure_is_published(client, api, build, people):  # noqa: F811
    exercise_id = exercise_ranked_by(build, patients=people)
    html = client.get(url(exercise_id, "/results")).text
    assert "Fewer than 5 people have ranked the questions" in html
    assert '<svg class="chart"' not in html and "Interim results per group" not in html
    # The participation table gives neither the group's count nor the total.
    assert rankers_row(html) == ["– not given: fewer than 5 people"] * 2 + ["fewer than 5"]
    assert f">{people}<" not in html.split("Who took part")[1].split("</table>")[0]

    rows = read_csv(client.get(url(exercise_id, "/export/questions.csv")))
    header = rows[0]
    columns = [header.index(name) for name in (
        "interim_rank", "interim_score", "points: Patients and carers",
        "share: Patients and carers")]
    assert all(row[column] == "" for row in rows[1:] for column in columns)

    questions = api.get(f"/api/v1/priorities/{exercise_id}/questions").get_json()["data"]
    assert questions and all(q["points_by_group"] == [] for q in questions)
    figures = api.get(f"/api/v1/priorities/{exercise_id}").get_json()["figures"]
    assert figures["rankers"] == people  # the total, as on the page's "Total" heading row
    assert all(entry["rankers"] is None for entry in figures["by_group"])


def test_5_rankings_in_one_group_are_published_for_that_group(client, api, build):  # noqa: F811
    exercise_id = exercise_ranked_by(build, patients=5)
    html = client.get(url(exercise_id, "/results")).text
    assert html.count('<svg class="chart"') == 2  # combined, and the one group
    assert header_cells(html, "Interim results per group") == [
        "Interim place", "Question", "Patients and carers 5 rankings", "Combined score"]
    assert rankers_row(html) == ["5", "0", "5"]
    rows = read_csv(client.get(url(exercise_id, "/export/questions.csv")))
    first = rows[1]
    assert first[rows[0].index("points: Patients and carers")] == "50"  # 5 × 10 points
    assert first[rows[0].index("interim_rank")] == "1"


def test_a_group_of_1_is_counted_with_the_smallest_other(client, api, build):  # noqa: F811
    groups = build.groups(exercise_id := exercise_ranked_by(build, patients=6, professionals=1))
    html = client.get(url(exercise_id, "/results")).text
    together = "Patients and carers, Health professionals (counted together)"
    assert html.count('<svg class="chart"') == 2
    assert header_cells(html, "Interim results per group") == [
        "Interim place", "Question", f"{together} 7 rankings", "Combined score"]
    assert header_cells(html, "Participation per stage and per group")[1] == together
    assert rankers_row(html) == ["7", "7"]
    assert "1 ranking" not in html
    assert "counted together, as one group" in html

    header = read_csv(client.get(url(exercise_id, "/export/questions.csv")))[0]
    assert f"points: {together}" in header and "points: Health professionals" not in header

    figures = api.get(f"/api/v1/priorities/{exercise_id}").get_json()["figures"]
    assert figures["by_group"] == [{
        "group_id": None, "group_ids": [groups[PATIENTS], groups[PROFESSIONALS]],
        "submissions": 0, "submitters": 0, "rankers": 7}]
    questions = api.get(f"/api/v1/priorities/{exercise_id}/questions").get_json()["data"]
    first = next(q for q in questions if q["number"] == 3)  # 1st of all 7 rankings... bar one
    assert [entry["group_ids"] for entry in first["points_by_group"]] == [
        [groups[PATIENTS], groups[PROFESSIONALS]]]
    # 6 patients gave it 8 points each, the professional 10: 58 points together.
    assert first["points_by_group"][0]["points"] == 58


def test_6_and_5_rankings_are_two_groups(client, api, build):  # noqa: F811
    groups = build.groups(exercise_id := exercise_ranked_by(build, patients=6, professionals=5))
    html = client.get(url(exercise_id, "/results")).text
    assert html.count('<svg class="chart"') == 3
    assert header_cells(html, "Interim results per group")[2:4] == [
        "Patients and carers 6 rankings", "Health professionals 5 rankings"]
    assert "counted together" not in html
    figures = api.get(f"/api/v1/priorities/{exercise_id}").get_json()["figures"]
    assert [(entry["group_id"], entry["rankers"]) for entry in figures["by_group"]] == [
        (groups[PATIENTS], 6), (groups[PROFESSIONALS], 5)]
