"""Association positions: one per association and consultation. "Post as" offers only the
associations the person may still speak for, the page says which have spoken before the
form is filled, and a position is edited as the association's."""

import re

import pytest
from sqlalchemy import select

from engage.accounts.models import Association, Membership, MembershipStatus
from engage.consultations.models import Contribution
from engage.core.moderated import ModerationStatus
from engage.extensions import db
from tests.factories import consultations as builders
from tests.factories import stored
from tests.helpers import count_in, hidden_value, main_part, post, sign_in

TEXTS = {
    "en": {"spoken": "Your association Ensemble has already given its position in this "
                     "consultation.",
           "edit": "Edit the position of Ensemble",
           "read": "Read the position of Ensemble",
           "save": "Save the position of Ensemble",
           "crumb": "Position of Ensemble",
           "refused": "You can no longer post on behalf of this association here",
           "own": "Edit my contribution",
           "delete": "Delete the position of Ensemble"},
    "fr": {"spoken": "Votre association Ensemble a déjà donné sa position dans cette "
                     "consultation.",
           "edit": "Modifier la position d’Ensemble",
           "read": "Lire la position d’Ensemble",
           "save": "Enregistrer la position d’Ensemble",
           "crumb": "Position d’Ensemble",
           "refused": "Vous ne pouvez plus publier au nom de cette association ici",
           "own": "Modifier ma contribution",
           "delete": "Supprimer la position d’Ensemble"},
}


@pytest.fixture
def world(app):
    """Rose represents Ensemble and Vivre; Ensemble has given its position (by Rose)."""
    with stored(app):
        item = builders.consultation("open")
        rose = builders.user("representative", display_name="Rose")
        ensemble = builders.association("Ensemble", representative=rose)
        vivre = builders.association("Vivre", representative=rose)
        position = builders.contribution(item, rose, "Our position", association_id=ensemble.id)
        own = builders.contribution(item, rose, "My own view")
        return {"item": item.id, "rose": rose.id, "ensemble": ensemble.id, "vivre": vivre.id,
                "position": position.id, "own": own.id}


def other_representative(world):
    """Hugo, who represents Ensemble too (inside `stored`)."""
    hugo = builders.user("representative", display_name="Hugo")
    db.session.add(Membership(user=hugo, association=db.session.get(
        Association, world["ensemble"]), status=MembershipStatus.APPROVED))
    return hugo


def post_as_options(html: str) -> list[str]:
    select_ = re.search(r'<select[^>]*name="post_as"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option[^>]*value="([^"]*)"', select_.group(1)) if select_ else []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_post_as_offers_only_associations_that_have_not_spoken(app, client, auth, world, lang):
    sign_in(auth, world["rose"])
    page = main_part(client.get(f"/{lang}/consultations/{world['item']}").text)
    assert post_as_options(page) == ["", str(world["vivre"])]
    form = page[page.index('id="contribute"'):]
    # Said before the form, with the way to the position: Rose wrote it, she may edit it.
    assert form.index(TEXTS[lang]["spoken"]) < form.index("<form")
    edit_url = f"/{lang}/consultations/{world['item']}/contributions/{world['position']}/edit"
    assert f'<a href="{edit_url}">{TEXTS[lang]["edit"]}</a>' in form


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_association_that_has_spoken_is_not_offered_to_its_other_representatives(
        app, client, auth, world, lang):
    with stored(app):
        hugo_id = other_representative(world).id
    sign_in(auth, hugo_id)
    page = main_part(client.get(f"/{lang}/consultations/{world['item']}").text)
    assert str(world["ensemble"]) not in post_as_options(page)
    form = page[page.index('id="contribute"'):]
    # Written by Rose: Hugo may read it, not edit it.
    assert TEXTS[lang]["spoken"] in form and TEXTS[lang]["read"] in form
    assert TEXTS[lang]["edit"] not in form


def test_a_position_awaiting_moderation_is_not_linked(app, client, auth, world):
    with stored(app):
        db.session.get(Contribution, world["position"]).moderation_status = \
            ModerationStatus.PENDING
        hugo_id = other_representative(world).id
    sign_in(auth, hugo_id)
    form = main_part(client.get(f"/en/consultations/{world['item']}").text)
    form = form[form.index('id="contribute"'):]
    assert TEXTS["en"]["spoken"] in form
    assert "It will be published once a moderator has checked it." in form
    assert f"/contributions/{world['position']}" not in form
    # With no association left to speak for, "Post as" is not shown at all.
    assert post_as_options(form) == []


def test_a_form_from_an_older_page_is_refused_with_the_reason(app, client, auth, world):
    sign_in(auth, world["rose"])
    page = client.get(f"/en/consultations/{world['item']}")
    data = {"submission_key": hidden_value(page.text, "submission_key"),
            "body": "A second position", "post_as": str(world["ensemble"])}
    response = post(client, f"/en/consultations/{world['item']}/contributions", data)
    assert response.status_code == 422
    assert TEXTS["en"]["refused"] in response.text and "A second position" in response.text
    assert count_in(app, Contribution) == 2
    # The association still free is accepted.
    data.update(post_as=str(world["vivre"]), submission_key=hidden_value(
        client.get(f"/en/consultations/{world['item']}").text, "submission_key"))
    assert post(client, f"/en/consultations/{world['item']}/contributions",
                data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Contribution.association_id).where(
            Contribution.body == "A second position")) == world["vivre"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_position_is_edited_as_the_associations(app, client, auth, world, lang):
    sign_in(auth, world["rose"])
    base = f"/{lang}/consultations/{world['item']}/contributions"
    page = client.get(f"{base}/{world['position']}/edit")
    assert page.status_code == 200
    texts = TEXTS[lang]
    assert f"<title>{texts['edit']}" in page.text
    html = main_part(page.text)
    assert f"<h1>{texts['edit']}</h1>" in html
    assert f'<a href="{base}/{world["position"]}">{texts["crumb"]}</a>' in html
    assert re.search(rf'<button type="submit" class="button">{texts["save"]}</button>', html)
    assert texts["own"] not in page.text
    # A person's own contribution keeps its title.
    own = main_part(client.get(f"{base}/{world['own']}/edit").text)
    assert f"<h1>{texts['own']}</h1>" in own and texts["save"] not in own
    # Deleting it too is deleting the association's position.
    delete = main_part(client.get(f"{base}/{world['position']}/delete").text)
    assert f"<h1>{texts['delete']}</h1>" in delete
    assert f'<button type="submit" class="button danger">{texts["delete"]}</button>' in delete
