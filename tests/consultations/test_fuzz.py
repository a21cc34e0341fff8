"""Whatever is typed into the consultation forms, the answer is never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage.extensions import db
from tests.factories import consultations as builders
from tests.factories import stored
from tests.helpers import token

TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
            max_size=200),
    st.text(alphabet="\x01\u202e\ufeff<>&\"'%{}", max_size=40),
    st.just("x" * 20000),
    st.integers().map(str),
    st.just(""),
)


def _world(app):
    with stored(app):
        item = builders.consultation("open", with_questions=True, themes=[builders.theme()])
        draft = builders.consultation("draft", with_questions=True)
        contribution = builders.contribution(item, builders.user())
        person = builders.user("moderator")
        questions = [f"q{q.id}" for q in item.questions]
        ranking = item.questions[3]
        questions += [f"q{ranking.id}-{o.id}" for o in ranking.options]
        return {"item": item.id, "draft": draft.id, "contribution": contribution.id,
                "email": person.email, "questions": questions}


FORMS = {
    "contribution": ("/en/consultations/{item}/contributions", ["body", "theme", "post_as",
                                                                "submission_key"]),
    "reply": ("/en/consultations/{item}/contributions/{contribution}/replies",
              ["body", "submission_key"]),
    "report": ("/en/consultations/{item}/contributions/{contribution}/report",
               ["reason", "details"]),
    "questionnaire": ("/en/consultations/{item}/questionnaire", ["action"]),
    "consultation": ("/en/consultations/new", ["title_en", "summary_fr", "body_en", "themes",
                                               "opens_on", "closes_on", "audience",
                                               "moderation_policy", "announced"]),
    "question": ("/en/consultations/{draft}/questions/new",
                 ["kind", "required", "text_en", "options_en", "options_fr", "text_fr",
                  "scale_min_en"]),
    "theme": ("/en/consultations/themes", ["label_fr", "label_en"]),
    "search": ("/en/consultations/search", ["q", "page"]),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_consultation_forms_never_fail(app, client, auth, name):
    world = _world(app)
    auth.sign_in(world["email"])
    url_template, fields = FORMS[name]
    url = url_template.format(**world)
    if name == "questionnaire":
        fields = fields + world["questions"]
    csrf = token(client)

    @settings(max_examples=12, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(st.fixed_dictionaries({field: TEXT for field in fields}))
    def check(values):
        if name == "search":
            response = client.get(url, query_string=values)
        else:
            response = client.post(url, data={**values, "csrf_token": csrf})
        assert response.status_code < 500, (values, response.text[:500])
        with app.app_context():
            db.session.remove()

    check()
