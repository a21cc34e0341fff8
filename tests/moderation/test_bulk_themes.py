"""Themes in bulk: a consultation's contributions filtered, and one action (give, replace,
remove a theme) on many of them, through the routes and the service."""

import json
import re

import pytest
from sqlalchemy import select

from engage.consultations.models import Consultation, Contribution, Theme
from engage.core.errors import DomainError
from engage.extensions import db
from engage.moderation import queries
from engage.moderation.models import AuditAction, AuditEntry, ContributionTheme
from engage.moderation.services.themes import change_themes
from tests.factories.moderation import more_contributions, themes_world
from tests.helpers import csrf_token, main_part, sign_in

PAGE = "/{lang}/moderation/consultations/{consultation_id}/themes"
BULK = "/{lang}/moderation/consultations/{consultation_id}/themes/bulk"


@pytest.fixture
def data(app, client, auth):
    """The world of tests.factories.moderation.themes_world, a moderator signed in."""
    world = themes_world(app)
    sign_in(auth, world["moderator_id"])
    return world


def url(template: str, data: dict, lang: str = "en", query: str = "") -> str:
    return template.format(lang=lang, consultation_id=data["consultation_id"]) + query


def listed(page) -> list[int]:
    return [int(i) for i in re.findall(r'name="bulk-contributions" value="(\d+)"', page.text)]


def ticked(page) -> list[int]:
    return [int(i) for i in re.findall(
        r'name="bulk-contributions" value="(\d+)" id="[^"]+" aria-describedby="[^"]+" checked',
        page.text)]


def ids(data: dict, *names: str) -> list[int]:
    return [data[name] for name in names]


def themes_of(app, contribution_id: int) -> list[int]:
    with app.app_context():
        item = db.session.get(Contribution, contribution_id)
        tagged = set(db.session.scalars(select(ContributionTheme.theme_id).where(
            ContributionTheme.contribution_id == contribution_id)))
        return sorted(tagged | ({item.theme_id} if item.theme_id else set()))


def tag_entries(app) -> list[tuple[int, list, list]]:
    """(contribution, themes before, themes after) of every "themes changed" audit entry."""
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == AuditAction.TAG).order_by(AuditEntry.target_id))
        return [(e.target_id, json.loads(e.before)["themes"], json.loads(e.after)["themes"])
                for e in entries]


def bulk_data(page, *, contributions=(), scope="selected", action="add", theme="",
              replacement="", filters=None, number=1, expected=None) -> dict:
    """The bulk form as the page sent it, with the moderator's choices."""
    return {
        "bulk-csrf_token": csrf_token(page, "bulk"),
        "bulk-contributions": [str(i) for i in contributions], "bulk-scope": scope,
        "bulk-action": action, "bulk-theme": str(theme), "bulk-replacement": str(replacement),
        "bulk-expected_total": expected if expected is not None else re.search(
            r'name="bulk-expected_total" value="(\d+)"', page.text).group(1),
        "page": str(number), **(filters or {}),
    }


# The list


def test_each_contribution_has_a_box_labelled_by_its_author_and_an_excerpt(app, client, data):
    page = client.get(url(PAGE, data))
    assert page.status_code == 200
    # Not the deleted one, nor the one of another consultation; oldest first.
    assert listed(page) == ids(data, "work", "work_again", "back_to_work", "fatigue",
                               "position", "pending", "hidden")
    main = main_part(page.text)
    sam = data["back_to_work"]
    assert (f'<label for="bulk-contribution-{sam}"><strong>#{sam} – Sam</strong><br>\n'
            "            <span>Going back to work part-time helped me a lot.</span></label>"
            ) in main
    assert f'aria-describedby="themes-of-{sam}"' in main
    assert re.search(rf'<p class="meta" id="themes-of-{sam}">Themes: <span class="badge">Work'
                     r"</span>", main)
    assert re.search(rf'id="themes-of-{data["fatigue"]}">Themes: <span class="badge">Fatigue',
                     main)  # the author's own choice
    assert f'id="themes-of-{data["work"]}">Themes: none yet</p>' in main
    assert f"<strong>#{data['position']} – Ensemble contre le cancer</strong>" in main
    assert '<span lang="fr">Le retour au travail à temps partiel m’a aidée.</span>' in main
    assert 'name="bulk-csrf_token"' in main
    assert not ticked(page)


FILTERS = [
    ("q=travail", ["work", "work_again", "position", "hidden"]),
    ("q=TRAVAIL+retour", ["work", "work_again", "position", "hidden"]),
    ("theme={work_theme}", ["back_to_work"]),
    ("theme={fatigue_theme}", ["fatigue"]),
    ("theme=none", ["work", "work_again", "position", "pending", "hidden"]),
    ("status=pending", ["pending"]),
    ("status=hidden", ["hidden"]),
    ("date_from=2025-03-01&date_to=2025-04-02", ["back_to_work", "fatigue", "position"]),
    ("date_from=2025-04-10", ["pending", "hidden"]),
    ("association={association_id}", ["position"]),
    ("q=travail&status=published", ["work", "work_again", "position"]),
]


@pytest.mark.parametrize(("query", "names"), FILTERS, ids=[q for q, _n in FILTERS])
def test_filters(client, data, query, names):
    page = client.get(url(PAGE, data, query="?" + query.format(**data)))
    assert page.status_code == 200
    assert listed(page) == ids(data, *names)
    total = len(names)
    assert f'<h2 id="contributions">{total} contribution{"s" if total > 1 else ""} ' \
           f'match{"" if total > 1 else "es"} the filters</h2>' in page.text
    # The bulk form carries the filters, for "all those matching" and for coming back.
    for name, value in (part.split("=") for part in query.format(**data).split("&")):
        assert f'<input type="hidden" name="{name}" value="{value.replace("+", " ")}">' \
            in page.text


def test_a_wrong_filter_is_shown_with_its_error_and_left_out(client, data):
    page = client.get(url(PAGE, data, query="?date_from=2025-13-40&status=pending"
                                            "&theme=999999"))
    assert page.status_code == 422
    main = main_part(page.text)
    assert 'id="error-summary"' in main and "autofocus" in main
    assert ("Written from: Please give a date as year-month-day, for example 2025-03-31."
            in main)
    assert "Theme: Please choose a theme from the list." in main
    assert 'id="date_from" name="date_from" type="date" value="2025-13-40"' in main  # kept
    assert listed(page) == [data["pending"]]  # the valid filter still applies
    page = client.get(url(PAGE, data, query="?date_from=2025-04-01&date_to=2025-03-01"))
    assert page.status_code == 422
    assert "Written until: The end date must be on or after the start date." in page.text
    assert listed(page) == ids(data, "position", "pending", "hidden")  # from 1 April on


def test_a_wrong_filter_is_explained_in_french(client, data):
    page = client.get(url(PAGE, data, lang="fr", query="?date_from=2025-13-40"))
    assert page.status_code == 422
    assert ("Écrites à partir du\u00a0: Veuillez saisir une date sous la forme "
            "année-mois-jour, par exemple 2025-03-31." in page.text)


def test_select_all_on_this_page_without_javascript(client, data):
    page = client.get(url(PAGE, data, query="?status=published"))
    link = re.search(r'<p class="select-all-fallback"><a href="([^"]+)">Select all on this page',
                     page.text).group(1).replace("&amp;", "&")
    assert link.endswith("?select=page&status=published#contributions")
    page = client.get(link.split("#")[0])
    assert ticked(page) == listed(page) == ids(data, "work", "work_again", "back_to_work",
                                               "fatigue", "position")
    assert "js/bulk-themes.js" in page.text  # the enhancement: a box that ticks them all


def test_pages_keep_the_filters(app, client, data, monkeypatch):
    monkeypatch.setattr(queries, "THEMES_PER_PAGE", 2)
    page = client.get(url(PAGE, data, query="?q=travail"))
    assert listed(page) == ids(data, "work", "work_again")
    assert "<legend>Contributions 1 to 2</legend>" in page.text
    assert re.search(r'href="/en/moderation/consultations/\d+/themes\?page=2&amp;q=travail"'
                     r' rel="next"', page.text)
    page = client.get(url(PAGE, data, query="?q=travail&page=2"))
    assert listed(page) == ids(data, "position", "hidden")
    assert "<legend>Contributions 3 to 4</legend>" in page.text


def test_the_list_costs_the_same_queries_whatever_its_length(app, client, data, count_queries):
    query = f"?theme={data['work_theme']}"
    with count_queries() as counter:
        assert client.get(url(PAGE, data, query=query)).status_code == 200
    small = counter.count
    more_contributions(app, data["consultation_id"], 30, data["work_theme"])
    with count_queries() as counter:
        page = client.get(url(PAGE, data, query=query))
    assert len(listed(page)) == 31
    assert counter.count == small


# The action on many contributions


def test_give_a_theme_to_the_ticked_contributions(app, client, data):
    page = client.get(url(PAGE, data, query="?q=travail"))
    response = client.post(url(BULK, data), data=bulk_data(
        page, contributions=ids(data, "work", "work_again", "back_to_work"),
        theme=data["work_theme"], filters={"q": "travail"}))
    assert response.status_code == 302
    assert response.headers["Location"] == url(PAGE, data, query="?q=travail")
    page = client.get(response.headers["Location"])
    assert "The theme “Work” is given to 2 contributions." in page.text
    work = data["work_theme"]
    assert themes_of(app, data["work"]) == themes_of(app, data["work_again"]) == [work]
    assert themes_of(app, data["back_to_work"]) == [work]  # had it already
    assert tag_entries(app) == [(data["work"], [], [work]), (data["work_again"], [], [work])]
    with app.app_context():
        consultation = db.session.get(Consultation, data["consultation_id"])
        assert work in [t.id for t in consultation.themes]


def test_replace_a_theme_on_all_the_contributions_matching_the_filters(app, client, data):
    page = client.get(url(PAGE, data))
    response = client.post(url(BULK, data), data=bulk_data(
        page, scope="filter", action="replace", theme=data["fatigue_theme"],
        replacement=data["travel_theme"]), follow_redirects=True)
    assert "“Fatigue” is replaced by “Travel” on 1 contribution." in response.text
    assert themes_of(app, data["fatigue"]) == [data["travel_theme"]]
    with app.app_context():  # the author's choice gave way to the moderators' theme
        assert db.session.get(Contribution, data["fatigue"]).theme_id is None
    assert tag_entries(app) == [(data["fatigue"], [data["fatigue_theme"]],
                                 [data["travel_theme"]])]


def test_all_matching_reaches_past_the_page(app, client, data, monkeypatch):
    monkeypatch.setattr(queries, "THEMES_PER_PAGE", 2)
    page = client.get(url(PAGE, data, query="?q=travail"))
    assert len(listed(page)) == 2
    assert "All 4 contributions matching the filters" in page.text
    response = client.post(url(BULK, data), data=bulk_data(
        page, scope="filter", theme=data["travel_theme"], filters={"q": "travail"}),
        follow_redirects=True)
    assert "The theme “Travel” is given to 4 contributions." in response.text
    assert [target for target, _before, _after in tag_entries(app)] == \
        ids(data, "work", "work_again", "position", "hidden")


def test_remove_a_theme(app, client, data):
    page = client.get(url(PAGE, data))
    response = client.post(url(BULK, data), data=bulk_data(
        page, contributions=ids(data, "back_to_work", "fatigue", "work"), action="remove",
        theme=data["work_theme"], number=1), follow_redirects=True)
    assert "The theme “Work” is removed from 1 contribution." in response.text
    assert themes_of(app, data["back_to_work"]) == []
    assert themes_of(app, data["fatigue"]) == [data["fatigue_theme"]]
    assert tag_entries(app) == [(data["back_to_work"], [data["work_theme"]], [])]


def test_nothing_to_change_says_so(app, client, data):
    page = client.get(url(PAGE, data))
    response = client.post(url(BULK, data), data=bulk_data(
        page, contributions=[data["work"]], action="remove", theme=data["work_theme"]),
        follow_redirects=True)
    assert "Nothing changed: these contributions already had these themes." in response.text
    assert tag_entries(app) == []


def test_the_flash_speaks_french(app, client, data):
    page = client.get(url(PAGE, data, lang="fr"))
    response = client.post(url(BULK, data, lang="fr"), data=bulk_data(
        page, contributions=ids(data, "work", "work_again"), theme=data["work_theme"]),
        follow_redirects=True)
    assert "Le thème «\u00a0Travail\u00a0» est donné à 2 contributions." in response.text


def test_no_contribution_ticked_is_explained_on_the_form_and_keeps_the_input(app, client,
                                                                              data):
    page = client.get(url(PAGE, data, query="?q=travail"))
    response = client.post(url(BULK, data), data=bulk_data(
        page, action="replace", theme=data["work_theme"], filters={"q": "travail"}))
    assert response.status_code == 422
    main = main_part(response.text)
    assert ("Contributions: Please tick at least one contribution, or choose all the "
            "contributions matching the filters.") in main
    assert "Replace it by (to replace a theme): Please choose the theme that replaces it." in main
    assert 'href="#bulk-contributions"' in main and 'id="bulk-contributions"' in main
    assert f'<option selected value="{data["work_theme"]}">Work</option>' in main
    assert 'checked id="bulk-action-1" name="bulk-action" required type="radio" ' \
           'value="replace"' in main
    assert '<input type="hidden" name="q" value="travail">' in main
    assert listed(response) == ids(data, "work", "work_again", "position", "hidden")
    assert 'action="/en/moderation/consultations/' in main and '/themes/bulk#error-summary"' in main


def test_bad_choices_are_refused_on_the_form(app, client, data):
    page = client.get(url(PAGE, data))
    cases = [
        ({"action": "replace", "theme": data["work_theme"], "replacement": data["work_theme"]},
         "Replace it by (to replace a theme): Please choose two different themes."),
        ({"theme": ""}, "Theme: Please choose a theme."),
        ({"theme": 999999}, "Theme: Please choose a theme from the list."),
        ({"action": "erase", "theme": data["work_theme"]}, "Action: Not a valid choice."),
    ]
    for choices, message in cases:
        response = client.post(url(BULK, data), data=bulk_data(
            page, contributions=[data["work"]], **choices))
        assert response.status_code == 422, message
        assert message in main_part(response.text)
        assert f'value="{data["work"]}" id="bulk-contribution-{data["work"]}" ' \
               f'aria-describedby="themes-of-{data["work"]}" checked' in response.text
    assert tag_entries(app) == []


def test_a_contribution_of_another_consultation_refuses_the_whole_action(app, client, data):
    page = client.get(url(PAGE, data))
    for intruder in (data["elsewhere_id"], data["deleted"]):
        response = client.post(url(BULK, data), data=bulk_data(
            page, contributions=[data["work"], intruder], theme=data["work_theme"]))
        assert response.status_code == 422
        assert (f"Contribution #{intruder} is not a contribution of this consultation, or it "
                "was deleted. Nothing was changed.") in response.text
    assert themes_of(app, data["work"]) == []
    assert themes_of(app, data["elsewhere_id"]) == []
    assert tag_entries(app) == []


def test_numbers_and_dates_out_of_range_are_no_500(app, client, data):
    page = client.get(url(PAGE, data, query="?date_from=0001-01-01&date_to=9999-12-31"))
    assert page.status_code == 200 and len(listed(page)) == 7
    response = client.post(url(BULK, data), data=bulk_data(
        page, contributions=["99999999999999999999"], theme=data["work_theme"],
        number="99999999999999999999"))
    assert response.status_code == 422
    assert "Contributions: Invalid choice(s)" in response.text
    assert tag_entries(app) == []


def test_all_matching_is_refused_if_the_list_changed_since(app, client, data):
    page = client.get(url(PAGE, data))
    response = client.post(url(BULK, data), data=bulk_data(
        page, scope="filter", theme=data["work_theme"], expected="6"))
    assert response.status_code == 422
    assert ("The contributions matching the filters have changed: there are now 7. Nothing "
            "was changed: please check the list and apply again.") in response.text
    assert 'name="bulk-expected_total" value="7"' in response.text
    assert tag_entries(app) == []


def test_without_its_csrf_token_nothing_changes(app, client, data):
    page = client.get(url(PAGE, data))
    form = bulk_data(page, contributions=[data["work"]], theme=data["work_theme"])
    del form["bulk-csrf_token"]
    response = client.post(url(BULK, data), data=form)
    assert response.status_code == 400
    assert "The form had expired. Please go back, reload the page and try again." \
        in response.text
    assert themes_of(app, data["work"]) == []


# The service


@pytest.fixture
def world(app, app_context):
    return themes_world(app)


def _load(data):
    from engage.accounts.models import User

    return (db.session.get(User, data["moderator_id"]),
            db.session.get(Consultation, data["consultation_id"]),
            {name: db.session.get(Theme, data[f"{name}_theme"])
             for name in ("work", "fatigue", "travel")})


def test_the_service_refuses_before_changing_anything(world):
    moderator, consultation, themes = _load(world)
    with pytest.raises(DomainError, match="two different themes"):
        change_themes(moderator, consultation, [world["fatigue"]], "replace", themes["fatigue"],
                      themes["fatigue"])
    with pytest.raises(DomainError, match="theme that replaces it"):
        change_themes(moderator, consultation, [world["fatigue"]], "replace", themes["fatigue"])
    with pytest.raises(DomainError, match="at least one contribution"):
        change_themes(moderator, consultation, [], "add", themes["work"])
    with pytest.raises(DomainError, match="what to do"):
        change_themes(moderator, consultation, [world["work"]], "tag", themes["work"])
    participant = db.session.get(Contribution, world["work"]).author
    with pytest.raises(DomainError, match="Only moderators"):
        change_themes(participant, consultation, [world["work"]], "add", themes["work"])
    assert db.session.scalar(select(AuditEntry.id)) is None


def test_replacing_keeps_a_theme_the_contribution_had_already(world):
    moderator, consultation, themes = _load(world)
    work, travel = world["work_theme"], world["travel_theme"]
    assert change_themes(moderator, consultation, [world["back_to_work"]], "add",
                         themes["travel"]) == 1
    assert change_themes(moderator, consultation, [world["back_to_work"], world["work"]],
                         "replace", themes["work"], themes["travel"]) == 1
    tags = db.session.scalars(select(ContributionTheme.theme_id).where(
        ContributionTheme.contribution_id == world["back_to_work"])).all()
    assert tags == [travel]
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.target_id, e.before_data, e.after_data) for e in entries] == [
        (world["back_to_work"], {"themes": sorted([work])}, {"themes": sorted([work, travel])}),
        (world["back_to_work"], {"themes": sorted([work, travel])}, {"themes": [travel]}),
    ]
    assert {(e.container_kind, e.container_id) for e in entries} == {
        ("consultation", world["consultation_id"])}


def test_the_service_costs_the_same_queries_for_many_contributions(app, world, count_queries):
    few = more_contributions(app, world["consultation_id"], 3, world["fatigue_theme"])
    many = more_contributions(app, world["consultation_id"], 30, world["fatigue_theme"])
    moderator, consultation, themes = _load(world)
    consultation.themes.append(themes["travel"])
    db.session.flush()
    counts = []
    for batch in (few, many):
        with count_queries() as counter:
            assert change_themes(moderator, consultation, batch, "replace", themes["fatigue"],
                                 themes["travel"]) == len(batch)
        counts.append(counter.count)
    # The contributions and their tags (read), the tags added and removed, the audit entries.
    assert counts == [5, 5]
