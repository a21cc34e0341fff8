"""Script or HTML typed into any text is never live when shown.

Each payload goes into every text people can write and that a page shows: the
consultation's title, summary and body, a theme, questions, options and scale
labels, a document's title and file name, contributions, replies, display names,
pseudonyms, association names and the search box.
"""

import io

import pytest
from werkzeug.datastructures import MultiDict

from engage.consultations import participation, services
from engage.consultations.models import Consultation
from engage.extensions import db
from tests.core.test_markdown_and_charts import XSS_PAYLOADS
from tests.factories import consultations as builders
from tests.factories import stored
from tests.helpers import post
from tests.markup import live_markup

PAYLOADS = [
    *XSS_PAYLOADS,
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)' x='",
    "<a href='javascript:alert(1)'>link</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "{{ 7*7 }} {% raw %}",
]
ALLOWED = {"form", "svg", "link", "meta"}  # the layout's own tags


def _build(app, payload: str) -> dict:
    short = payload[:70]
    with stored(app):
        moderator = builders.user("moderator", display_name=short)
        theme = builders.theme(f"fr {short}", f"en {short}")
        texts = {code: services.ConsultationText(f"{code} {short}", payload, payload)
                 for code in ("fr", "en")}
        item = builders.consultation("open", texts=texts, themes=[theme], author=moderator)
        question_texts = {code: services.QuestionText(
            text=f"{code} {payload}"[:500], hint=payload[:500], options=[short, f"2 {short}"],
            scale_min_label=short, scale_max_label=short) for code in ("fr", "en")}
        for kind in ("single_choice", "multiple_choice", "ranking"):
            item.status = "draft"
            services.add_question(moderator, item, kind=kind, required=False,
                                  texts=question_texts)
        services.add_question(moderator, item, kind="scale", required=False,
                              texts=question_texts)
        item.status = "open"
        author = builders.user("representative", display_name=short, pseudonym=short,
                               use_pseudonym=True)
        association = builders.association(f"Asso {short}", representative=author)
        parent = builders.contribution(item, author, payload)
        builders.contribution(item, author, payload, association_id=association.id)
        builders.contribution(item, builders.user(display_name=short), payload,
                              parent_id=parent.id)
        participation.edit_contribution(author, parent, payload + " (edited)")
        single = item.questions[0]
        participation.save_response(author, item, MultiDict(
            {f"q{single.id}": str(single.options[0].id)}), submit=True)
        services.add_document(moderator, item, title=short, language="fr", file_storage=_pdf(
            f"{short}.pdf"))
        return {"item": item.id, "parent": parent.id, "author": author.email,
                "moderator": moderator.email}


def _pdf(name):
    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(b"%PDF-1.4 test"), filename=name)


def _check(response, payload):
    assert response.status_code == 200, response.request.path
    html = response.text
    problems = live_markup(html, allowed_tags=ALLOWED)
    assert problems == [], (response.request.path, problems)
    if "<" in payload:
        assert payload not in html, response.request.path


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_live_markup_anywhere(app, client, auth, uploads, payload):
    ids = _build(app, payload)
    item, parent = ids["item"], ids["parent"]
    public = [
        "/en/", "/en/consultations/", f"/en/consultations/{item}",
        f"/en/consultations/{item}/contributions/{parent}",
        "/en/consultations/search?q=" + payload[:50],
        "/en/consultations/search?q=edited",
    ]
    for url in public:
        _check(client.get(url), payload)
    # Closed: the results show option labels in charts and tables.
    with stored(app):
        db.session.get(Consultation, item).close()
    _check(client.get(f"/en/consultations/{item}"), payload)
    with stored(app):
        db.session.get(Consultation, item).status = "open"
    # The author's pages.
    auth.sign_in(ids["author"])
    for url in (f"/en/consultations/{item}", f"/en/consultations/{item}/questionnaire",
                f"/en/consultations/{item}/contributions/{parent}/edit",
                f"/en/consultations/{item}/contributions/{parent}/delete",
                f"/en/consultations/{item}/contributions/{parent}/history"):
        _check(client.get(url), payload)
    # A bad form comes back with the payload kept, still inert.
    response = post(client, f"/en/consultations/{item}/contributions",
                    {"body": payload + "x" * 5001})
    assert response.status_code == 422
    assert live_markup(response.text, allowed_tags=ALLOWED) == []
    auth.sign_out()
    # The moderators' pages.
    auth.sign_in(ids["moderator"])
    for url in (f"/en/consultations/{item}/manage", f"/en/consultations/{item}/edit",
                "/en/consultations/themes", "/en/consultations/?status=open",
                f"/en/consultations/{item}/contributions/{parent}/report"):
        response = client.get(url)
        _check(response, payload)
    with stored(app):
        consultation = db.session.get(Consultation, item)
        consultation.status = "draft"
        question_id = consultation.questions[0].id
    _check(client.get(f"/en/consultations/{item}/questions/{question_id}"), payload)
    _check(client.get(f"/en/consultations/{item}/manage"), payload)
