"""Removing a passage (issue 17, item 3): found however it is typed, previewed, then confirmed;
the author's email fits what became of the text.

The French cases (ids ending in "-fr", and test_the_french_pages) check the French strings of
this change: they pass once its catalog entries are merged into translations/.
"""

import json
import re

import pytest
from sqlalchemy import select

from engage.consultations.models import Contribution, ContributionRevision
from engage.core.errors import DomainError
from engage.core.outbox import OutboxMessage
from engage.extensions import db
from engage.moderation import services
from engage.moderation.models import AuditAction, AuditEntry
from engage.moderation.services.items import PreviewOutdated, plan_redaction
from tests.factories import consultations as builders
from tests.factories import stored
from tests.factories.moderation import TYPOGRAPHIC_TEXTS, redaction_world, reported
from tests.helpers import csrf_token, hidden_value, main_part

# Typed on a keyboard: straight quotes and apostrophes, hyphens, plain spaces.
TYPED = {
    "fr": "l'hôpital Saint-Louis pour une \"rechute\"",
    "en": "I'm treated at \"Saint-Louis\" hospital",
}
# What the text says there, character for character.
ORIGINAL = {
    "fr": "l’hôpital Saint-Louis pour une «\u00a0rechute\u00a0»",
    "en": "I’m treated at “Saint-Louis” hospital",
}
REDACTED = {
    "fr": "Je suis suivie à [passage supprimé par la modération] depuis mars. "
          "Le centre d’essai était trop loin.",
    "en": "[passage removed by moderation] for a relapse since March. "
          "The trial centre was too far.",
}


def entries():
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()


def emails_to(address):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address)
                              .order_by(OutboxMessage.id)).all()


def loaded(item_id) -> Contribution:
    return db.session.get(Contribution, item_id)


def moderator_of(data):
    from engage.accounts.models import User
    return db.session.scalar(select(User).where(User.email == data["moderator_email"]))


# The service


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_passage_typed_with_straight_quotes_goes_from_a_text_with_curly_ones(
        app, app_context, lang):
    data = redaction_world(app, text_language=lang)
    item = loaded(data["item_id"])
    redacted = services.redact(moderator_of(data), item, TYPED[lang], "health_data")
    assert redacted == REDACTED[lang] == item.body
    [entry] = entries()
    assert entry.action == AuditAction.REDACT and entry.reason == "health_data"
    assert entry.before_data["text"] == TYPOGRAPHIC_TEXTS[lang]
    assert entry.after_data["text"] == REDACTED[lang]
    assert entry.after_data["replaced"] == 1


def test_every_occurrence_goes_and_is_counted(app, app_context):
    data = redaction_world(app, text="Call me on 06 12 34 56 78. Yes: 06\u00a012\u00a034\u00a056"
                                     "\u00a078, after 6 pm.")
    item = loaded(data["item_id"])
    item.revisions.append(ContributionRevision(body="Old: call 06-12-34-56-78? No: 06 12 34 56 78",
                                               edited_by_id=data["author_id"]))
    db.session.flush()
    services.redact(moderator_of(data), item, "06 12 34 56 78", "health_data")
    assert item.body == ("Call me on [passage removed by moderation]. Yes: [passage removed by "
                         "moderation], after 6 pm.")
    # Earlier versions lose it too, wherever it is there (hyphens are not spaces).
    assert item.revisions[0].body == "Old: call 06-12-34-56-78? No: [passage removed by moderation]"
    assert entries()[0].after_data["replaced"] == 2
    [email] = emails_to(data["author_email"])
    assert email.subject == "2 passages of your text were removed"
    assert "The moderators have removed 2 passages of your text (contribution) in" in email.body


def test_the_plan_shows_what_goes_and_changes_nothing(app, app_context):
    data = redaction_world(app, text_language="en")
    item = loaded(data["item_id"])
    plan = plan_redaction(item, f"  {TYPED['en']}  \n\nthe TRIAL centre\n{TYPED['en']}")
    assert plan.passages == (TYPED["en"], "the TRIAL centre")
    assert plan.count == 2
    assert plan.pieces() == [
        (True, ORIGINAL["en"]), (False, " for a relapse since March. "),
        (True, "The trial centre"), (False, " was too far.")]
    assert plan.result == ("[passage removed by moderation] for a relapse since March. "
                           "[passage removed by moderation] was too far.")
    assert [plan.location.originals(found) for found in plan.location.found] == [
        [ORIGINAL["en"]], ["The trial centre"]]
    assert item.body == TYPOGRAPHIC_TEXTS["en"]
    assert entries() == [] and emails_to(data["author_email"]) == []


@pytest.mark.parametrize(("passages", "message"), [
    ("", "Please select or type the passage to remove."),
    ("\n  \n", "Please select or type the passage to remove."),
    ("l'hopital Saint-Louis",  # accents count
     "This passage is not in the text: “l'hopital Saint-Louis”. Copy it as it is written, in "
     "whole words: quotes, apostrophes, dashes, spaces and capital letters may differ, accents "
     "may not."),
    ("Saint-Lou\nrechute\nmai",  # whole words only: each missing one is named
     "This passage is not in the text: “Saint-Lou”. This passage is not in the text: “mai”. "
     "Copy it as it is written"),
])
def test_passages_not_in_the_text_are_refused_and_named(app, app_context, passages, message):
    data = redaction_world(app, text_language="fr")
    item = loaded(data["item_id"])
    with pytest.raises(DomainError) as refused:
        services.redact(moderator_of(data), item, passages, "health_data")
    assert str(refused.value.message).startswith(message)
    assert item.body == TYPOGRAPHIC_TEXTS["fr"]
    assert entries() == [] and emails_to(data["author_email"]) == []


def test_a_confirmation_applies_only_the_preview_it_confirms(app, app_context):
    data = redaction_world(app, text_language="en")
    item = loaded(data["item_id"])
    moderator = moderator_of(data)
    seen = plan_redaction(item, TYPED["en"]).fingerprint
    # The passages changed since the preview.
    with pytest.raises(PreviewOutdated, match="changed since the preview"):
        services.redact(moderator, item, TYPED["en"] + "\nMarch", "health_data", previewed=seen)
    # The author edited the text since the preview.
    item.body = "Now: " + item.body
    db.session.flush()
    with pytest.raises(PreviewOutdated):
        services.redact(moderator, item, TYPED["en"], "health_data", previewed=seen)
    assert item.body == "Now: " + TYPOGRAPHIC_TEXTS["en"]
    assert entries() == []
    services.redact(moderator, item, TYPED["en"], "health_data",
                    previewed=plan_redaction(item, TYPED["en"]).fingerprint)
    assert item.body == "Now: " + REDACTED["en"]


# The author's email: what became of the rest of the text, in the author's language.

STATE_SENTENCES = {
    ("published", "en"): "The rest of your text stays published.",
    ("auto_hidden", "en"): "The rest of your text is published again: it had been hidden after "
                           "reports, until a moderator reviewed it.",
    ("pending", "en"): "Your text is still awaiting moderation: it is not published yet.",
    ("hidden", "en"): "Your text stays hidden by the moderators: it is not published.",
    ("published", "fr"): "Le reste de votre texte reste publié.",
    ("auto_hidden", "fr"): "Le reste de votre texte est de nouveau publié\u00a0: il avait été "
                           "masqué après des signalements, en attendant l’examen d’un "
                           "modérateur ou d’une modératrice.",
    ("pending", "fr"): "Votre texte est toujours en attente de modération\u00a0: il n’est pas "
                       "encore publié.",
    ("hidden", "fr"): "Votre texte reste masqué par l’équipe de modération\u00a0: il n’est pas "
                      "publié.",
}
STATUS_AFTER = {"published": "published", "auto_hidden": "published", "pending": "pending",
                "hidden": "hidden"}
EMAIL_CASES = [pytest.param(state, lang, id=f"{state}-{lang}")
               for state in STATUS_AFTER for lang in ("en", "fr")]


@pytest.mark.parametrize(("state", "lang"), EMAIL_CASES)
def test_the_email_says_what_became_of_the_text(app, app_context, state, lang):
    data = redaction_world(app, status=state, author_language=lang, text_language="en")
    item = loaded(data["item_id"])
    services.redact(moderator_of(data), item, TYPED["en"], "health_data", "Name removed")
    assert item.moderation_status == STATUS_AFTER[state]
    [email] = emails_to(data["author_email"])
    assert email.language == lang
    subject = {"en": "A passage of your text was removed",
               "fr": "Un passage de votre texte a été supprimé"}[lang]
    assert email.subject == subject
    assert STATE_SENTENCES[(state, lang)] in email.body
    others = [sentence for (other, language), sentence in STATE_SENTENCES.items()
              if language == lang and other != state]
    assert not [sentence for sentence in others if sentence in email.body]
    if state != "published":
        assert {"en": "stays published", "fr": "reste publié"}[lang] not in email.body


# The pages


def _page(client, item_id, lang="en"):
    return client.get(f"/{lang}/moderation/items/contribution/{item_id}/redact")


def _form(page, **fields):
    form = {"redact-csrf_token": csrf_token(page, "redact"),
            "redact-expected_state": hidden_value(page, "redact-expected_state"),
            "redact-previewed": hidden_value(page, "redact-previewed"),
            "redact-reason": "health_data", "redact-note": "", "redact-passages": ""}
    form.update({f"redact-{name}": value for name, value in fields.items()})
    return form


def _post(client, item_id, form, lang="en", **kwargs):
    return client.post(f"/{lang}/moderation/items/contribution/{item_id}/redact", data=form,
                       **kwargs)


def _signed_in(app, auth, **world):
    data = redaction_world(app, **world)
    assert auth.sign_in(data["moderator_email"]).status_code == 302
    return data


def _state(app, data):
    with app.app_context():
        return (loaded(data["item_id"]).body, len(entries()),
                len(emails_to(data["author_email"])))


def test_the_form_shows_the_text_to_select_from(app, client, auth):
    data = _signed_in(app, auth, text_language="fr")
    page = _page(client, data["item_id"])
    assert page.status_code == 200
    html = main_part(page.text)
    assert '<h1>Remove a passage</h1>' in html
    # The text to select from, in its language; the selection hint waits for the script.
    assert re.search(r'<pre class="moderated-source" id="redaction-source" '
                     r'data-passages="redact-passages" data-added="[^"]+" lang="fr">'
                     r'Je suis suivie à l’hôpital', html)
    assert '<p class="hint" id="redaction-selection-hint" hidden>' in html
    assert re.search(r'<script src="/static/js/redaction\.js\?v=\w+" defer>', page.text)
    assert re.search(r'<form method="post" action="/en/moderation/items/contribution/'
                     rf'{data["item_id"]}/redact#error-summary"', html)
    assert re.search(r'<button type="submit" class="button" name="redact-step" '
                     r'value="preview">Preview the removal</button>', html)
    assert 'value="confirm"' not in html  # nothing is removed before a preview
    assert '<option selected value="health_data">' in html


def test_preview_then_confirm(app, client, auth):
    data = _signed_in(app, auth, text_language="en")
    item_id = data["item_id"]
    before = _state(app, data)
    page = _page(client, item_id)
    preview = _post(client, item_id, _form(page, step="preview", passages=TYPED["en"],
                                           reason="other", note="Your hospital is private."))
    assert preview.status_code == 200
    html = main_part(preview.text)
    assert "<h1>Check the removal</h1>" in html
    assert ("1 occurrence will be replaced by “[passage removed by moderation]”. Nothing is "
            "removed until you confirm.") in html
    # Exactly what goes, where, with words for screen readers; then what is kept.
    assert ('<div class="moderated-source" id="redaction-preview" lang="en">'
            '<del><span class="visually-hidden">Removed: </span>I’m treated at “Saint-Louis” '
            'hospital</del><ins><span class="visually-hidden"> replaced by: </span>[passage '
            'removed by moderation]</ins> for a relapse since March. The trial centre was too '
            'far.</div>') in html
    assert "“I&#39;m treated at &#34;Saint-Louis&#34; hospital”: found once" in html
    assert "As written in the text: “I’m treated at “Saint-Louis” hospital”" in html
    # The form comes back with what was given, and the confirmation button.
    assert "I&#39;m treated at &#34;Saint-Louis&#34; hospital</textarea>" in html
    assert '<option selected value="other">' in html
    assert "Your hospital is private.</textarea>" in html
    assert re.search(r'name="redact-step" value="confirm">Remove this passage</button>', html)
    assert _state(app, data) == before  # a preview changes nothing

    done = _post(client, item_id, _form(preview, step="confirm", passages=TYPED["en"],
                                        reason="other", note="Your hospital is private."),
                 follow_redirects=True)
    assert done.status_code == 200
    assert done.request.path == f"/en/moderation/items/contribution/{item_id}"
    assert "The passage is removed. Its author has been told why." in done.text
    with app.app_context():
        assert loaded(item_id).body == REDACTED["en"]
        [entry] = entries()
        assert (entry.action, entry.reason, entry.note) == (
            AuditAction.REDACT, "other", "Your hospital is private.")
        assert json.loads(entry.before)["text"] == TYPOGRAPHIC_TEXTS["en"]
        [email] = emails_to(data["author_email"])
        assert "Reason: Other reason" in email.body
        assert "Note from the moderators: Your hospital is private." in email.body


def test_a_preview_counts_every_occurrence(app, client, auth):
    data = _signed_in(app, auth, text="Dr Martin said: ask DR MARTIN, or dr\u00a0Martin’s team.")
    page = _page(client, data["item_id"])
    preview = _post(client, data["item_id"], _form(page, step="preview", passages="dr martin"))
    html = main_part(preview.text)
    assert "3 occurrences will be replaced by" in html
    assert "“dr martin”: found 3 times" in html
    assert html.count("<del>") == 3
    for wording in ("Dr Martin", "DR MARTIN", "dr\u00a0Martin"):
        assert f"As written in the text: “{wording}”" in html
    assert re.search(r'value="confirm">Remove these 3 passages</button>', html)


def test_the_preview_shows_markup_as_text(app, client, auth):
    data = _signed_in(app, auth, text="Hi <b>Ann</b> <script>alert(1)</script> bye")
    page = _page(client, data["item_id"])
    html = main_part(_post(client, data["item_id"],
                           _form(page, step="preview", passages="<script>alert(1)</script>")).text)
    assert "<script>alert" not in html and "<b>Ann" not in html
    assert ('Hi &lt;b&gt;Ann&lt;/b&gt; <del><span class="visually-hidden">Removed: </span>'
            '&lt;script&gt;alert(1)&lt;/script&gt;</del>') in html
    assert "“&lt;script&gt;alert(1)&lt;/script&gt;”: found once" in html


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"passages": "Saint-Lou"}, "passages",
     "This passage is not in the text: “Saint-Lou”. Copy it as it is written, in whole "
     "words"),
    ({"passages": ""}, "passages", "Please select or type the passage to remove."),
    ({"passages": TYPED["en"], "reason": ""}, "reason", "Please choose a reason from the list."),
    ({"passages": TYPED["en"], "note": "x" * 1001}, "note", "At most 1000 characters."),
])
def test_bad_input_comes_back_on_the_same_form(app, client, auth, fields, field, message):
    data = _signed_in(app, auth, text_language="en")
    before = _state(app, data)
    page = _page(client, data["item_id"])
    response = _post(client, data["item_id"], _form(page, step="preview", **fields))
    assert response.status_code == 422
    html = main_part(response.text)
    assert '<div class="error-summary" id="error-summary" role="alert"' in html
    assert f'href="#redact-{field}"' in html
    assert re.search(rf'<p class="field-error" id="redact-{field}-error">\s*<span '
                     rf'class="visually-hidden">Error:</span>\s*{re.escape(message)}', html)
    assert "<h1>Remove a passage</h1>" in html and "redaction-preview" not in html
    if fields.get("passages"):
        assert f"{fields['passages']}</textarea>".replace("'", "&#39;").replace(
            '"', "&#34;") in html
    assert _state(app, data) == before


def test_a_confirmation_without_a_preview_is_refused(app, client, auth):
    data = _signed_in(app, auth, text_language="en")
    before = _state(app, data)
    page = _page(client, data["item_id"])
    for step in ("confirm", None):  # the button, or a form sent without its buttons
        form = _form(page, passages=TYPED["en"])
        if step:
            form["redact-step"] = step
        response = _post(client, data["item_id"], form)
        assert response.status_code == 422
        assert "Preview the removal before you confirm it." in response.text
        assert "I&#39;m treated at" in response.text
    assert _state(app, data) == before


def test_a_text_changed_since_the_preview_is_previewed_again(app, client, auth):
    data = _signed_in(app, auth, text_language="en")
    item_id = data["item_id"]
    page = _page(client, item_id)
    preview = _post(client, item_id, _form(page, step="preview", passages=TYPED["en"]))
    with stored(app):  # the author adds the passage a second time meanwhile
        loaded(item_id).body = TYPOGRAPHIC_TEXTS["en"] + " I’m treated at “Saint-Louis” hospital."
    response = _post(client, item_id, _form(preview, step="confirm", passages=TYPED["en"]))
    assert response.status_code == 422
    html = main_part(response.text)
    assert ("The text or the passages changed since the preview: nothing was removed. Check the "
            "new preview, then confirm.") in html
    assert "2 occurrences will be replaced by" in html
    with app.app_context():
        assert entries() == []
    done = _post(client, item_id, _form(response, step="confirm", passages=TYPED["en"]))
    assert done.status_code == 302
    with app.app_context():
        assert loaded(item_id).body == REDACTED["en"] + " [passage removed by moderation]."


def test_changed_passages_are_previewed_again_before_they_go(app, client, auth):
    data = _signed_in(app, auth, text_language="en")
    page = _page(client, data["item_id"])
    preview = _post(client, data["item_id"], _form(page, step="preview", passages=TYPED["en"]))
    response = _post(client, data["item_id"],
                     _form(preview, step="confirm", passages=TYPED["en"] + "\nMarch"))
    assert response.status_code == 422
    assert "changed since the preview" in response.text
    assert "2 occurrences will be replaced by" in response.text
    with app.app_context():
        assert loaded(data["item_id"]).body == TYPOGRAPHIC_TEXTS["en"]


def test_another_moderator_acted_first(app, client, auth):
    data = _signed_in(app, auth, text_language="en")
    page = _page(client, data["item_id"])
    preview = _post(client, data["item_id"], _form(page, step="preview", passages=TYPED["en"]))
    with stored(app):
        reported(loaded(data["item_id"]), 1)
    response = _post(client, data["item_id"], _form(preview, step="confirm",
                                                     passages=TYPED["en"]),
                     follow_redirects=True)
    assert response.request.path == f"/en/moderation/items/contribution/{data['item_id']}"
    assert "Another moderator has already handled this item" in response.text
    with app.app_context():
        assert loaded(data["item_id"]).body == TYPOGRAPHIC_TEXTS["en"]


def test_a_deleted_contribution_cannot_be_redacted(app, client, auth):
    data = _signed_in(app, auth, text_language="en")
    with stored(app):
        from engage.core.db import utcnow
        loaded(data["item_id"]).deleted_at = utcnow()
    assert _page(client, data["item_id"]).status_code == 403


@pytest.mark.parametrize("role", ["participant", "representative"])
def test_participants_cannot_preview_nor_confirm(app, client, auth, role):
    data = redaction_world(app)
    with stored(app):
        email = builders.user(role).email
    assert auth.sign_in(email).status_code == 302
    token = csrf_token(client.get("/en/account/"))
    for step in ("preview", "confirm"):
        response = _post(client, data["item_id"], {
            "csrf_token": token, "redact-passages": TYPED["en"], "redact-reason": "other",
            "redact-step": step})
        assert response.status_code == 403
    assert _state(app, data)[1:] == (0, 0)


def test_preview_and_confirm_need_the_csrf_token(app, client, auth):
    data = _signed_in(app, auth, text_language="en")
    page = _page(client, data["item_id"])
    for step in ("preview", "confirm"):
        form = _form(page, step=step, passages=TYPED["en"])
        del form["redact-csrf_token"]
        assert _post(client, data["item_id"], form).status_code == 400
        form["redact-csrf_token"] = "forged"
        assert _post(client, data["item_id"], form).status_code == 400
    assert _state(app, data)[1:] == (0, 0)


def test_the_french_pages(app, client, auth):
    data = _signed_in(app, auth, text_language="fr")
    page = _page(client, data["item_id"], "fr")
    html = main_part(page.text)
    assert "<h1>Supprimer un passage</h1>" in html
    assert "Prévisualiser la suppression</button>" in html
    wrong = _post(client, data["item_id"], _form(page, step="preview", passages="l'hopital"),
                  "fr")
    assert wrong.status_code == 422
    assert ("Ce passage ne figure pas dans le texte\u00a0: «\u00a0l&#39;hopital\u00a0». "
            "Copiez-le tel qu’il est écrit, en mots entiers\u00a0: guillemets, apostrophes, "
            "tirets, espaces et majuscules peuvent différer, pas les accents.") in wrong.text
    preview = _post(client, data["item_id"], _form(page, step="preview", passages=TYPED["fr"]),
                    "fr")
    html = main_part(preview.text)
    assert "<h1>Vérifier la suppression</h1>" in html
    assert ("1 occurrence sera remplacée par «\u00a0[passage supprimé par la "
            "modération]\u00a0».") in html
    assert ('<del><span class="visually-hidden">Supprimé\u00a0: </span>l’hôpital Saint-Louis '
            'pour une «\u00a0rechute\u00a0»</del>') in html
    assert "Supprimer ce passage</button>" in html
    done = _post(client, data["item_id"], _form(preview, step="confirm", passages=TYPED["fr"]),
                 "fr", follow_redirects=True)
    assert "Le passage est supprimé." in done.text
    with app.app_context():
        assert loaded(data["item_id"]).body == REDACTED["fr"]
