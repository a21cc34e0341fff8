"""The summary editor that helps to cite: the citation picker (search, theme, "not cited
yet", "Insert [#id]" without JavaScript), the coverage figures and the readability label in
the page's language, through the test client.

The world (tests.factories.summaries.citable_consultation): `travel` (theme Transport),
`tired` (tagged Fatigue by a moderator), `reply` (a reply to `travel`), then `hidden`,
`pending` and `deleted` contributions that cannot be cited; the consultation's themes are
Transport, Fatigue and Work.
"""

import re

import pytest
from werkzeug.datastructures import MultiDict

from engage.core.errors import DomainError
from engage.extensions import db
from engage.moderation.models import ContributionTheme
from engage.summaries import citations, services
from engage.summaries.models import Summary
from engage.summaries.queries import PICKER_STEP, CitationFilter
from tests.factories import stored
from tests.factories.consultations import consultation, contribution
from tests.factories.summaries import citable_consultation
from tests.factories.users import user
from tests.helpers import csrf_token, hidden_value, main_part, sign_in_new


def make(app, extra: int = 0, texts=None):
    """The world, its summary saved with `texts` ("{travel}" names a contribution's id;
    "{stranger}" is a contribution of another consultation)."""
    with stored(app):
        moderator, item, summary, themes, items = citable_consultation(extra)
        stranger = contribution(consultation("closed"), user("participant"), "Elsewhere",
                                language="en")
        ids = {"stranger": stranger.id, **{name: c.id for name, c in items.items()}}
        if texts:
            services.save(moderator, summary, {code: text.format(**ids)
                                               for code, text in texts.items()})
        return {"summary_id": summary.id, "consultation_id": item.id, **ids,
                "theme_ids": {name: t.id for name, t in themes.items()}}


def editor_url(data, lang="en"):
    return f"/{lang}/summaries/{data['summary_id']}/edit"


def picker_part(html: str) -> str:
    start = html.index('id="citation-picker"')
    return html[start:html.index("</section>", start)]


def listed(html: str) -> list[int]:
    """The contributions the picker offers, in order, read from their Insert buttons."""
    return [int(n) for n in re.findall(r'name="insert" value="(\d+)"', picker_part(html))]


def textarea(html: str, code: str) -> str:
    match = re.search(rf'<textarea[^>]*name="body_{code}"[^>]*>\r?\n?(.*?)</textarea>', html,
                      re.S)
    assert match, f"no textarea body_{code}"
    return match.group(1)


def editor_form(page, **fields):
    form = {"csrf_token": csrf_token(page), "version": hidden_value(page, "version"),
            "body_fr": "Texte en cours.", "body_en": "Text being written"}
    form.update(fields)
    return form


# The picker


def test_the_picker_lists_the_visible_contributions_and_replies_of_the_consultation(
        app, client, auth):
    data = make(app)
    sign_in_new(app, auth, "moderator")
    page = client.get(editor_url(data))
    assert page.status_code == 200
    html = main_part(page.text)
    # Oldest first; hidden, pending, deleted ones and other consultations' are not offered.
    assert listed(html) == [data["travel"], data["tired"], data["reply"]]
    picker = picker_part(html)
    assert "3 contributions found." in picker
    assert f"Insert [#{data['travel']}]" in picker
    assert "The hospital is far away: travel costs should be paid back." in picker
    assert f"Reply to [#{data['travel']}]" in picker
    # The excerpt describes the Insert button: read out on focus.
    assert (f'aria-describedby="cite-{data["tired"]}-text"' in picker
            and f'id="cite-{data["tired"]}-text" lang="en"' in picker)
    # The themes, the author's and the moderators'.
    item = picker[picker.index(f'id="cite-{data["tired"]}"'):]
    assert '<span class="badge">Tiredness</span>' in item[:item.index("</li>")]
    # Enter in the search field presses the picker's button, not "Save the draft".
    form = html[html.index('class="summary-editor"'):]
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert 'name="action" value="filter"' in first_button


def test_search_by_words_or_by_number_keeps_the_text_being_edited(app, client, auth):
    data = make(app)
    sign_in_new(app, auth, "moderator")
    page = client.get(editor_url(data))
    found = client.post(editor_url(data), data=editor_form(
        page, q="train", action="filter", body_en="My unsaved words"))
    assert found.status_code == 200
    assert listed(found.text) == [data["reply"]]
    assert textarea(found.text, "en") == "My unsaved words"
    assert 'value="train"' in picker_part(found.text)
    by_number = client.post(editor_url(data), data=editor_form(
        page, q=f"[#{data['tired']}]", action="filter"))
    assert listed(by_number.text) == [data["tired"]]
    # A hidden contribution is not found, even by its words.
    hidden = client.post(editor_url(data), data=editor_form(page, q="hidden", action="filter"))
    assert listed(hidden.text) == []
    assert "No contribution matches." in picker_part(hidden.text)
    # The same filter in the query string.
    linked = client.get(f"{editor_url(data)}?q=chemotherapy")
    assert listed(linked.text) == [data["tired"]]


def test_theme_filter_uses_the_authors_theme_and_the_moderators_tags(app, client, auth):
    data = make(app)
    sign_in_new(app, auth, "moderator")
    themes = data["theme_ids"]
    assert listed(client.get(f"{editor_url(data)}?theme={themes['transport']}").text) == [
        data["travel"]]
    assert listed(client.get(f"{editor_url(data)}?theme={themes['fatigue']}").text) == [
        data["tired"]]
    assert listed(client.get(f"{editor_url(data)}?theme={themes['work']}").text) == []
    # A theme of no use here is ignored: every contribution is listed.
    assert len(listed(client.get(f"{editor_url(data)}?theme=999999").text)) == 3
    page = client.get(f"{editor_url(data)}?theme={themes['fatigue']}")
    assert f'<option value="{themes["fatigue"]}" selected>Tiredness</option>' in page.text


def test_not_cited_yet_follows_the_text_of_the_chosen_language(app, client, auth):
    data = make(app, texts={"fr": "Le trajet [#{travel}].", "en": "Tired [#{tired}]."})
    sign_in_new(app, auth, "moderator")
    page = client.get(f"{editor_url(data)}?uncited=1&into=fr")
    assert listed(page.text) == [data["tired"], data["reply"]]
    page = client.get(f"{editor_url(data)}?uncited=1&into=en")
    assert listed(page.text) == [data["travel"], data["reply"]]
    # The text being edited counts, not the saved one.
    posted = client.post(editor_url(data), data=editor_form(
        page, body_en=f"Tired [#{data['tired']}], by train [#{data['reply']}].",
        uncited="1", into="en", action="filter"))
    assert listed(posted.text) == [data["travel"]]
    # Without the filter, the cited ones are marked.
    every = client.get(f"{editor_url(data)}?into=fr")
    picker = picker_part(every.text)
    travel = picker[picker.index(f'id="cite-{data["travel"]}"'):]
    tired = picker[picker.index(f'id="cite-{data["tired"]}"'):]
    assert 'data-citation-cited>Cited</span>' in travel[:travel.index("</li>")]
    assert 'data-citation-cited hidden>Cited</span>' in tired[:tired.index("</li>")]


def test_show_more_adds_contributions_and_keeps_the_text(app, client, auth):
    data = make(app, extra=PICKER_STEP)  # 3 + 10 citable contributions
    sign_in_new(app, auth, "moderator")
    page = client.get(editor_url(data))
    assert len(listed(page.text)) == 10
    picker = picker_part(page.text)
    assert "13 contributions found. The first 10 are shown." in picker
    # "Show more" opens the page at the first contribution it adds.
    assert f'formaction="/en/summaries/{data["summary_id"]}/edit#cite-{data["extra7"]}"' \
        in picker
    more = client.post(editor_url(data), data=editor_form(
        page, action="more", shown="10", body_fr="Mon texte"))
    assert more.status_code == 200
    assert len(listed(more.text)) == 13
    assert "Show more contributions" not in more.text
    assert textarea(more.text, "fr") == "Mon texte"
    # A new search starts again from the first ten.
    again = client.post(editor_url(data), data=editor_form(
        page, action="filter", shown="20", q="extra"))
    assert len(listed(again.text)) == 10


# Insert without JavaScript


def test_insert_adds_the_citation_at_the_end_of_the_chosen_text_without_saving(
        app, client, auth):
    data = make(app)
    sign_in_new(app, auth, "moderator")
    page = client.get(editor_url(data))
    inserted = client.post(editor_url(data), data=editor_form(
        page, into="en", insert=str(data["reply"]), q="train", uncited="1"))
    assert inserted.status_code == 200
    assert textarea(inserted.text, "en") == f"Text being written [#{data['reply']}]"
    assert textarea(inserted.text, "fr") == "Texte en cours."
    html = main_part(inserted.text)
    assert (f'id="citation-added" tabindex="-1">[#{data["reply"]}] added at the end of the '
            f"English text.</p>") in html
    # The filter stays; the contribution is cited now, so "not cited yet" leaves it out.
    assert 'value="train"' in picker_part(html) and listed(html) == []
    # The coverage and the preview follow the text being edited.
    assert "1 contribution cited." in html[html.index('id="coverage-en"'):]
    with app.app_context():  # nothing saved
        assert db.session.get(Summary, data["summary_id"]).body("en") == ""
    # A text ending with a space or a line break gets no extra space.
    again = client.post(editor_url(data), data=editor_form(
        page, into="fr", body_fr="Ligne\r\n", insert=str(data["travel"])))
    assert textarea(again.text, "fr") == f"Ligne\r\n[#{data['travel']}]"
    # Saving the form afterwards saves the citation.
    saved = client.post(editor_url(data), data=editor_form(
        inserted, body_en=textarea(inserted.text, "en"), action="save", into="en"))
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(
        f"/en/summaries/{data['summary_id']}/edit?into=en#readability")
    with app.app_context():
        assert db.session.get(Summary, data["summary_id"]).body("en") == \
            f"Text being written [#{data['reply']}]"


@pytest.mark.parametrize("target", ["hidden", "pending", "deleted", "stranger", "missing",
                                    "not-a-number"])
def test_insert_refuses_what_cannot_be_cited_and_keeps_the_text(app, client, auth, target):
    data = make(app)
    sign_in_new(app, auth, "moderator")
    page = client.get(editor_url(data))
    value = {"missing": "999999", "not-a-number": "abc"}.get(target) or str(data[target])
    refused = client.post(editor_url(data), data=editor_form(
        page, into="en", insert=value, body_en="Keep me"))
    assert refused.status_code == 422
    html = main_part(refused.text)
    summary = html[html.index('id="error-summary"'):]
    assert ("Summary (English): This contribution cannot be cited: it is not a visible "
            "contribution of this consultation.") in summary[:summary.index("</div>")]
    assert textarea(refused.text, "en") == "Keep me"
    # The page opens at the error summary: no anchor of the picker to jump to.
    assert 'id="citation-added"' not in html and 'id="citation-results"' not in html


def test_insert_refuses_a_text_that_would_be_too_long(app, client, auth):
    data = make(app)
    sign_in_new(app, auth, "moderator")
    page = client.get(editor_url(data))
    full = "a" * 29997  # " [#1]" and more: over 30,000
    refused = client.post(editor_url(data), data=editor_form(
        page, into="fr", body_fr=full, insert=str(data["travel"])))
    assert refused.status_code == 422
    assert "The summary is too long: at most 30000 characters." in refused.text
    assert textarea(refused.text, "fr") == full


def test_insert_needs_the_csrf_token(app, client, auth):
    data = make(app)
    sign_in_new(app, auth, "moderator")
    page = client.get(editor_url(data))
    form = editor_form(page, insert=str(data["travel"]))
    del form["csrf_token"]
    assert client.post(editor_url(data), data=form).status_code == 400


def test_only_moderators_use_the_picker_and_only_on_a_draft(app, client, auth):
    data = make(app, texts={"fr": "Texte [#{travel}].", "en": "Text [#{travel}]."})
    form = {"version": "2", "body_fr": "x", "body_en": "y", "insert": str(data["tired"])}
    token = csrf_token(client.get("/en/account/sign-in"))
    for visitor in (client.get(editor_url(data)),
                    client.post(editor_url(data), data={**form, "csrf_token": token})):
        assert visitor.status_code == 302 and "/account/sign-in" in visitor.headers["Location"]
    sign_in_new(app, auth, "participant")
    page = client.get("/en/")
    assert client.get(editor_url(data)).status_code == 403
    assert client.post(editor_url(data), data={**form, "csrf_token": csrf_token(page)}) \
        .status_code == 403
    auth.sign_out()
    sign_in_new(app, auth, "moderator")
    with stored(app):
        services.submit(user("moderator"), db.session.get(Summary, data["summary_id"]))
    page = client.get(editor_url(data))
    assert page.status_code == 200 and 'id="citation-picker"' not in page.text
    assert "1 contribution cited." in page.text  # the coverage stays
    refused = client.post(editor_url(data), data={**form, "csrf_token": csrf_token(page)},
                          follow_redirects=True)
    assert "Only a draft can be changed: send it back to draft first." in refused.text
    with app.app_context():
        assert "tired" not in db.session.get(Summary, data["summary_id"]).body("en")


# Coverage figures


def test_coverage_counts_only_known_and_visible_citations(app, client, auth):
    data = make(app, texts={
        "fr": "Loin [#{travel}] [#{travel}]. Fatigue [#{tired}]. Inconnue [#999999]. "
              "Masquée [#{hidden}]. Ailleurs [#{stranger}]. Supprimée [#{deleted}].",
        "en": "By train [#{reply}].",
    })
    sign_in_new(app, auth, "moderator")
    html = main_part(client.get(editor_url(data)).text)
    french = html[html.index('id="coverage-fr"'):html.index('id="coverage-en"')]
    english = html[html.index('id="coverage-en"'):]
    english = english[:english.index("</div>")]
    # travel and tired: 2 (not 6 with the repeated, unknown, hidden and deleted ones).
    assert "2 contributions cited." in french
    assert "Themes covered: 2 of 3." in french
    assert "No contribution cited from these themes: Work." in french
    assert (f"Unknown in this consultation, not linked: [#999999], [#{data['stranger']}]"
            in " ".join(french.split()))
    assert (f"Hidden, awaiting moderation or deleted, not linked: [#{data['hidden']}], "
            f"[#{data['deleted']}]") in " ".join(french.split())
    # A reply without a theme: one contribution, no theme.
    assert "1 contribution cited." in english
    assert "Themes covered: 0 of 3." in english
    assert "No contribution cited from these themes: Transport, Tiredness, Work." in english
    assert "not linked" not in english


def test_every_theme_covered(app, client, auth):
    data = make(app)
    with stored(app):
        db.session.add(ContributionTheme(contribution_id=data["reply"],
                                         theme_id=data["theme_ids"]["work"]))
        summary = db.session.get(Summary, data["summary_id"])
        text = f"[#{data['travel']}] [#{data['tired']}] [#{data['reply']}]"
        services.save(user("moderator"), summary, {"fr": text, "en": text})
    sign_in_new(app, auth, "moderator")
    html = main_part(client.get(editor_url(data)).text)
    french = html[html.index('id="coverage-fr"'):html.index('id="coverage-en"')]
    assert "3 contributions cited." in french
    assert "Themes covered: 3 of 3." in french
    assert "Every theme has at least one contribution cited." in french


# Readability label in the page's language


def test_readability_names_the_formula_of_each_text(app, client, auth):
    data = make(app, texts={"fr": "Le chat dort. Il fait beau.", "en": "The cat sat."})
    sign_in_new(app, auth, "moderator")
    english = client.get(editor_url(data)).text
    assert "Reading ease (Kandel–Moles): 130.4" in english
    assert "Flesch reading ease: " in english


def test_the_french_editor_names_the_formulas_in_french(app, client, auth):
    data = make(app, texts={"fr": "Le chat dort. Il fait beau.", "en": "The cat sat."})
    sign_in_new(app, auth, "moderator")
    french = client.get(editor_url(data, "fr")).text
    assert "Flesch reading ease" not in french
    assert "Facilité de lecture (Kandel–Moles)\u00a0: 130,4" in french
    assert "Facilité de lecture de Flesch\u00a0: " in french
    assert f"Insérer [#{data['travel']}]" in french
    assert "Thèmes couverts\u00a0: 0 sur 3." in french


def test_readability_endpoint_labels_in_the_page_language(app, client, auth):
    sign_in_new(app, auth, "moderator")
    token = csrf_token(client.get("/en/summaries/manage"))
    answer = client.post("/en/summaries/readability", json={
        "language": "fr", "text": "Le chat dort."}, headers={"X-CSRFToken": token})
    assert "Reading ease (Kandel–Moles): " in answer.json["html"]


# Queries


def test_the_editor_issues_a_fixed_number_of_queries(app, client, auth, count_queries):
    small = make(app, texts={"fr": "[#{travel}]", "en": "[#{tired}]"})
    large = make(app, extra=25)
    with stored(app):
        summary = db.session.get(Summary, large["summary_id"])
        cited = " ".join(f"[#{large[f'extra{n}']}]" for n in range(12))
        services.save(user("moderator"), summary, {
            "fr": cited + f" [#{large['hidden']}] [#999999]", "en": cited})
    sign_in_new(app, auth, "moderator")
    client.get(editor_url(small))
    with count_queries() as few:
        client.get(editor_url(small))
    with count_queries() as many:
        page = client.get(editor_url(large))
    assert len(listed(page.text)) == 10
    assert "12 contributions cited." in page.text
    assert many.count == few.count


# The parts, one by one


def test_citation_appended_with_a_space_only_where_needed(app_context):
    _moderator, item, _summary, _themes, items = citable_consultation()
    number = items["travel"].id

    def append(text, max_length=100):
        return citations.with_citation_appended(text, number, item.id, max_length)

    assert append("") == f"[#{number}]"
    assert append("End.") == f"End. [#{number}]"
    assert append("End. ") == f"End. [#{number}]"
    assert append("a" * 10, max_length=len(f"aaaaaaaaaa [#{number}]")) == \
        f"aaaaaaaaaa [#{number}]"
    with pytest.raises(DomainError):
        append("a" * 10, max_length=len(f"aaaaaaaaaa [#{number}]") - 1)
    with pytest.raises(DomainError):
        citations.with_citation_appended("", items["hidden"].id, item.id, 100)
    with pytest.raises(DomainError):
        citations.with_citation_appended("", None, item.id, 100)


def test_filter_values_out_of_place_are_ignored():
    values = MultiDict({"into": "de", "theme": "7", "shown": "5000", "uncited": "yes",
                        "q": "  fatigue   work  "})
    wanted = CitationFilter.from_values(values, [3], ("fr", "en"), "en")
    assert wanted == CitationFilter(into="en", query="fatigue work", theme_id=None,
                                    uncited=False, shown=100)
    wanted = CitationFilter.from_values(MultiDict({"theme": "3", "uncited": "1",
                                                   "shown": "x"}), [3], ("fr", "en"), "it")
    assert wanted == CitationFilter(into="fr", theme_id=3, uncited=True, shown=10)
    assert wanted.as_args() == {"into": "fr", "theme": 3, "uncited": "1"}
    assert wanted.more().shown == 20 and wanted.more().first_page().shown == 10
