"""French typography on the pages testers read: a non-breaking space (U+00A0) before : ; ? !
comes from the translated string, never from a colon written in a template; counts agree
with their noun (French: singular for 0 and 1; English: for 1 only)."""

import re
from pathlib import Path

import pytest

from engage.accounts.models import Role
from engage.extensions import db
from engage.reviews.models import Assignment, ConflictDeclaration
from engage.reviews.services.calls import DEFAULT_CRITERIA
from tests.factories.reviews import ReviewWorld

NBSP = "\u00a0"
TEXT_COUNT_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "text-count.js"
# A French lay summary whose Kandel–Moles score falls between 60 and 70 ("Plain language").
PLAIN_FRENCH_SUMMARY = (
    "Une infirmière appellera les patients chaque semaine après leur sortie de l’hôpital. "
    "Elle vérifiera leurs symptômes et répondra à leurs questions. Elle les aidera.")


def text_of(html: str) -> str:
    """The text a person reads: tags removed, runs of ordinary white space made one space
    (a non-breaking space is kept: it is what these tests look for)."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", "", html)).strip()


@pytest.fixture
def world(app, factory):
    return ReviewWorld(app, factory)


@pytest.fixture
def moderator(auth):
    return auth.sign_in_as(role=Role.MODERATOR, language="en")


def _care_application(world, **fields):
    call_id = world.call(**fields)
    application_id = world.application(
        call_id, acronym="CARE", title="Une infirmière au téléphone",
        summary_language="fr", lay_summary=PLAIN_FRENCH_SUMMARY)
    return call_id, application_id


# 1. The acronym and the title


@pytest.mark.parametrize(("lang", "joined"), [("fr", "CARE" + NBSP + ": "), ("en", "CARE: ")])
def test_the_acronym_and_the_title_are_joined_by_a_translated_colon(
        client, auth, world, lang, joined):
    _call_id, application_id = _care_application(world)
    reviewer_id = auth.sign_in_as(lay_reviewer=True)
    world.assign(application_id, reviewer_id)
    title = '<span lang="fr">Une infirmière au téléphone</span>'

    cards = client.get(f"/{lang}/reviews/assignments")
    assert cards.status_code == 200
    assert f'<h3 class="card-title">{joined}{title}</h3>' in cards.text

    page = client.get(f"/{lang}/reviews/applications/{application_id}")
    assert page.status_code == 200
    assert f"<h1>{joined}{title}</h1>" in page.text


# 2. The moderator's column of declarations


def _declarations_cell(html: str, reviewer: str) -> str:
    row = html.split(f"<td>{reviewer}", 1)[1].split("</tr>", 1)[0]
    return text_of(row.split("<td>")[2])  # reviewer, assignment, declaration: the third cell


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_declarations_put_their_colon_in_the_translated_string(
        app, client, world, moderator, lang):
    _call_id, application_id = _care_application(world)
    cleared = world.reviewer(display_name="Claire Sansconflit")
    world.assign(application_id, cleared)
    conflicted = world.reviewer(display_name="Corentin Conflit")
    assignment_id = world.assign(application_id, conflicted, cleared=False)
    with app.app_context():
        db.session.add(ConflictDeclaration(
            assignment_id=assignment_id, links=["collaboration"], has_conflict=True,
            details="We co-wrote a paper.", confidentiality_accepted=True))
        db.session.get(Assignment, assignment_id).withdraw_for_conflict()
        db.session.commit()

    page = client.get(f"/{lang}/reviews/applications/{application_id}")
    assert page.status_code == 200
    none = _declarations_cell(page.text, "Claire Sansconflit")
    conflict = _declarations_cell(page.text, "Corentin Conflit")
    if lang == "fr":
        assert re.fullmatch(r"\d{1,2} \w+ \d{4}\u00a0: aucun lien\u00a0; confidentialité acceptée",
                            none), none
        assert re.fullmatch(
            r"\d{1,2} \w+ \d{4}\u00a0: lien d’intérêts déclaré\u00a0: "
            r"J’ai collaboré avec .+ – We co-wrote a paper\.", conflict), conflict
        for cell in (none, conflict):  # no ordinary space (nor none at all) before : ; ? !
            assert not re.search(r"[^\u00a0][:;?!]", cell), cell
    else:
        assert re.fullmatch(r"\w+ \d{1,2}, \d{4}: no link; confidentiality accepted", none), none
        assert re.fullmatch(r"\w+ \d{1,2}, \d{4}: conflict declared: I have worked with .+ – "
                            r"We co-wrote a paper\.", conflict), conflict


# 3. The live count of characters


@pytest.mark.parametrize(("lang", "one", "other"), [
    ("fr", "{count} caractère sur {max}", "{count} caractères sur {max}"),
    ("en", "{count} character out of {max}", "{count} characters out of {max}"),
])
def test_a_text_limit_gives_the_script_a_singular_and_a_plural_count(
        client, auth, lang, one, other):
    auth.sign_in_as(lay_reviewer=True)
    page = client.get(f"/{lang}/reviews/profile")
    assert page.status_code == 200
    field = re.search(r'<textarea[^>]*id="themes"[^>]*>', page.text).group(0)
    assert 'data-text-limit="2000"' in field
    assert f'data-text-count-one="{one}"' in field
    assert f'data-text-count="{other}"' in field
    assert "data-text-over=" in field


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "shown"), [
    ("fr", {"": "0 caractère sur 2\u202f000", "a": "1 caractère sur 2\u202f000",
            "ab": "2 caractères sur 2\u202f000"}),
    ("en", {"": "0 characters out of 2,000", "a": "1 character out of 2,000",
            "ab": "2 characters out of 2,000"}),
])
def test_the_live_count_takes_the_singular_by_the_page_language(live_app, page, lang, shown):
    from engage.reviews.forms import ReviewerProfileForm

    with live_app.test_request_context(f"/{lang}/"):
        live_app.preprocess_request()
        form = ReviewerProfileForm(meta={"csrf": False})
        field = live_app.jinja_env.from_string(
            '{% from "_macros/forms.html" import render_field %}{{ render_field(form.themes) }}'
        ).render(form=form)
    page.set_content(f'<!doctype html><html lang="{lang}"><head><title>Count</title></head>'
                     f"<body><main>{field}</main></body></html>")
    page.add_script_tag(path=str(TEXT_COUNT_JS))
    count = page.locator("p.text-count")
    for typed, expected in shown.items():
        page.fill("textarea#themes", typed)
        if not typed:  # the count shown before any typing
            page.dispatch_event("textarea#themes", "input")
        assert count.text_content() == expected


# 4. Counts that agree with their noun


@pytest.mark.parametrize(("lang", "assigned", "expected"), [
    ("fr", 1, "1 relecteur ou relectrice attribué sur 3."),
    ("fr", 2, "2 relecteurs et relectrices attribués sur 3."),
    ("en", 1, "1 reviewer assigned out of 3."),
    ("en", 2, "2 reviewers assigned out of 3."),
])
def test_the_reviewers_assigned_agree_with_their_number(
        client, world, moderator, lang, assigned, expected):
    _call_id, application_id = _care_application(world, reviews_per_application=3)
    for _ in range(assigned):
        world.assign(application_id, world.reviewer())
    page = client.get(f"/{lang}/reviews/applications/{application_id}")
    assert page.status_code == 200
    assert f"<p>{expected}</p>" in page.text


@pytest.mark.parametrize(("lang", "submitted", "expected"), [
    ("fr", 1, "1 relecture envoyée sur 3 ("),
    ("fr", 2, "2 relectures envoyées sur 3 ("),
    ("en", 1, "1 review submitted out of 3 ("),
    ("en", 2, "2 reviews submitted out of 3 ("),
])
def test_the_reviews_submitted_agree_with_their_number(
        client, world, moderator, lang, submitted, expected):
    call_id, application_id = _care_application(world, reviews_per_application=3)
    for _ in range(submitted):
        world.review(world.assign(application_id, world.reviewer()), 4, 4)
    page = client.get(f"/{lang}/reviews/calls/{call_id}/dashboard")
    assert page.status_code == 200
    assert expected in text_of(page.text)


# 5. The default rubric


def test_the_default_rubric_has_a_non_breaking_space_before_double_punctuation():
    french = [text for criterion in DEFAULT_CRITERIA for text in criterion["fr"]]
    assert len(french) == 2 * len(DEFAULT_CRITERIA)
    wrong = [text for text in french if re.search(r"[^\u00a0][:;?!]", text)
             or re.search(r"«[^\u00a0]|[^\u00a0]»", text)]
    assert not wrong
    assert any(NBSP + "?" in text for text in french)
    assert any(NBSP + ":" in text for text in french)


# 6. The readability panel


@pytest.mark.parametrize(("lang", "level"), [("fr", "langage clair"), ("en", "plain language")])
def test_the_readability_panel_names_the_plain_language_level_once(
        client, world, moderator, lang, level):
    _call_id, application_id = _care_application(world)
    page = client.get(f"/{lang}/reviews/applications/{application_id}")
    assert page.status_code == 200
    score = text_of(re.search(r'<p class="readability-score">(.*?)</p>', page.text, re.S).group(1))
    assert re.search(r"6\d", score), score  # the summary scores between 60 and 70
    assert score.lower().count(level) == 1, score
    if lang == "fr":
        assert score.startswith("Score de Kandel–Moles" + NBSP + ": 6"), score
