"""Property-based tests: whatever is typed into a form, the answer is never a 500, and most
examples get past the CSRF check to the form's validation or to storage (a broken token would
turn every example into a 400)."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage.accounts.models import Association, Role
from engage.extensions import db
from tests.conftest import Auth, Factory, csrf_token
from tests.security.site import HYPOTHESIS, backend_of
from tests.security.world import browser_of

# Arbitrary Unicode (surrogates excluded: they cannot be sent as UTF-8), very long text,
# control characters and NUL bytes, numbers where text is expected and the reverse.
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=300),
    st.text(alphabet="\x00\x01\u202e\ufeff<>&\"'", max_size=50),
    st.just("x" * 20000),
    st.integers().map(str),
    st.just(""),
)

# (page to read the form from, where it is sent, role, fields)
FORMS = [
    ("/en/account/register", "/en/account/register", None,
     ["email", "display_name", "password", "confirm_password", "consent", "participant_type",
      "departement", "pseudonym", "use_pseudonym"]),
    ("/en/account/sign-in", "/en/account/sign-in", None, ["email", "password", "remember_me"]),
    ("/en/account/password/forgotten", "/en/account/password/forgotten", None, ["email"]),
    ("/en/account/", "/en/account/profile", Role.PARTICIPANT,
     ["profile-display_name", "profile-language", "profile-participant_type",
      "profile-departement", "profile-pseudonym"]),
    ("/en/account/", "/en/account/email", Role.PARTICIPANT,
     ["email-email", "email-current_password"]),
    ("/en/account/", "/en/account/representation", Role.PARTICIPANT,
     ["representation-association_id", "representation-message"]),
    ("/en/admin/associations/new", "/en/admin/associations/new", Role.ADMIN,
     ["name", "accreditation", "description_fr", "description_en", "website"]),
    ("/en/admin/users", "/en/admin/users", Role.ADMIN, ["q", "role", "page"]),
]
EXAMPLES = 25
SESSIONS = True  # each role signs in once, with the world (tests/security/world.py)


@pytest.mark.parametrize(("page_url", "post_url", "role", "fields"), FORMS,
                         ids=[form[1] for form in FORMS])
def test_forms_never_fail(app, page_url, post_url, role, fields):
    with app.app_context():
        db.session.add(Association(name="Fuzz association"))
        db.session.commit()
    client = app.test_client()
    if role is not None:
        Auth(app, client, Factory(app)).sign_in_as(role=role, language="en")
    page = client.get(page_url)
    prefix = fields[0].split("-")[0] if "-" in fields[0] else ""
    token = csrf_token(page, prefix)

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(st.fixed_dictionaries({field: TEXT for field in fields}))
    def check(values):
        count_example(app, post_url)
        if post_url == page_url and page_url.startswith("/en/admin/users"):
            response = client.get(post_url, query_string=values)
        else:
            key = f"{prefix}-csrf_token" if prefix else "csrf_token"
            response = client.post(post_url, data={**values, key: token})
        answers.append((values, response.status_code))
        assert response.status_code < 500, response.text[:500]

    answers: list[tuple[dict, int]] = []
    check()
    assert_reached_the_form(answers, searching=page_url.startswith("/en/admin/users"))


def count_example(app, form: str) -> None:
    key = (backend_of(app), form)
    HYPOTHESIS[key] = HYPOTHESIS.get(key, 0) + 1


# Answers of a form that looked at what was typed: shown again (200, 422), stored (302, 303),
# or refused as an edit of an outdated version (409).
REACHED_THE_FORM = {200, 302, 303, 409, 422}


def assert_reached_the_form(answers: list[tuple[dict, int]], searching: bool = False) -> None:
    """Text with NUL bytes is refused up front (400); every other example must reach the
    form's validation or storage (or, for a search, a page number past the end: 404), and
    there must be enough of them to tell."""
    reached = REACHED_THE_FORM | ({404} if searching else set())
    clean = [(values, status) for values, status in answers
             if not any("\x00" in value for value in values.values())]
    stopped = [(values, status) for values, status in clean if status not in reached]
    assert not stopped, f"examples without NUL bytes stopped before the form: {stopped[:3]}"
    assert len(clean) >= 3, f"only {len(clean)} examples without NUL bytes"


# The main forms of every area, on the authorization matrix's world (tests/security/world.py):
# name -> (role, page to read the form from, where it is sent, fixed fields,
#          a pattern of the page's own field names to fuzz too, "get" for searches).
MATRIX_FORMS = {
    "contribute": ("participant", "/en/consultations/{consultation_open_id}",
                   "/en/consultations/{consultation_open_id}/contributions",
                   ["body", "theme", "post_as", "submission_key"], None),
    "reply": ("participant", "/en/consultations/{consultation_open_id}/contributions/"
              "{consultation_others_contribution_id}",
              "/en/consultations/{consultation_open_id}/contributions/"
              "{consultation_others_contribution_id}/replies", ["body", "submission_key"], None),
    "report": ("participant", "/en/consultations/{consultation_open_id}/contributions/"
               "{consultation_others_contribution_id}/report",
               "/en/consultations/{consultation_open_id}/contributions/"
               "{consultation_others_contribution_id}/report", ["reason", "details"], None),
    "edit contribution": ("participant", "/en/consultations/{consultation_open_id}/"
                          "contributions/{consultation_own_contribution_id}/edit",
                          "/en/consultations/{consultation_open_id}/contributions/"
                          "{consultation_own_contribution_id}/edit", ["body", "theme"], None),
    "questionnaire": ("participant", "/en/consultations/{consultation_open_id}/questionnaire",
                      "/en/consultations/{consultation_open_id}/questionnaire", ["action"],
                      r'name="(q\d+(?:-\d+)?)"'),
    "priority question": ("participant", "/en/priorities/{priorities_gathering_id}",
                          "/en/priorities/{priorities_gathering_id}/submissions",
                          ["group", "text"], None),
    "ranking": ("participant", "/en/priorities/{priorities_ranking_id}/ranking",
                "/en/priorities/{priorities_ranking_id}/ranking",
                ["group", "action", "ranked", "position-{priorities_question_id}"], None),
    "priority comment": ("participant", "/en/priorities/{priorities_ranking_id}/questions/"
                         "{priorities_question_id}",
                         "/en/priorities/{priorities_ranking_id}/questions/"
                         "{priorities_question_id}/comments", ["body"], None),
    "priority report": ("participant", "/en/priorities/{priorities_ranking_id}/report/comment/"
                        "{priorities_comment_id}",
                        "/en/priorities/{priorities_ranking_id}/report/comment/"
                        "{priorities_comment_id}", ["reason", "details"], None),
    "reviewer profile": ("reviewer", "/en/reviews/profile", "/en/reviews/profile",
                         ["themes", "institutions"], None),
    "review": ("reviewer", "/en/reviews/applications/{review_application_id}/review",
               "/en/reviews/applications/{review_application_id}/review",
               ["action", "overall_score", "overall_applicant", "overall_committee"],
               r'name="((?:score|applicant|committee)_\d+)"'),
    "declaration": ("reviewer", "/en/reviews/applications/{review_application_id}/declaration",
                    "/en/reviews/applications/{review_application_id}/declaration",
                    ["links", "details", "no_conflict", "confidentiality"], None),
    "summary editor": ("moderator", "/en/summaries/{draft_summary_id}/edit",
                       "/en/summaries/{draft_summary_id}/edit",
                       ["body_fr", "body_en", "version", "action"], None),
    "summary return": ("moderator", "/en/summaries/{draft_summary_id}/edit",
                       "/en/summaries/{draft_summary_id}/return", ["note", "version"], None),
    "moderation hide": ("moderator", "/en/moderation/items/contribution/"
                        "{consultation_others_contribution_id}",
                        "/en/moderation/items/contribution/"
                        "{consultation_others_contribution_id}/hide",
                        ["hide-reason", "hide-note", "hide-expected_state"], None),
    "moderation block": ("moderator", "/en/moderation/users/{participant_id}",
                         "/en/moderation/users/{participant_id}/block", ["block-reason"], None),
    "search": ("visitor", "/en/consultations/search", "/en/consultations/search",
               ["q", "page"], "get"),
    "moderation queue": ("moderator", "/en/moderation/", "/en/moderation/",
                         ["source", "reason", "status", "page"], "get"),
    "audit log filter": ("admin", "/en/moderation/audit", "/en/moderation/audit",
                         ["action", "target_type", "actor", "target_id", "page"], "get"),
}


def _draft_summary(app, world) -> None:
    from tests.factories.summaries import closed_consultation, written

    with app.app_context():
        moderator, consultation, items = closed_consultation(2)
        world["draft_summary_id"] = written(moderator, consultation, items).id
        db.session.commit()


@pytest.mark.parametrize("name", list(MATRIX_FORMS))
def test_area_forms_never_fail(app, world, name):
    role, page_url, post_url, fields, extra = MATRIX_FORMS[name]
    if "draft_summary_id" in page_url:
        _draft_summary(app, world)
    page_url, post_url = page_url.format(**world), post_url.format(**world)
    fields = [field.format(**world) for field in fields]
    client = browser_of(app, world, role)
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    if extra and extra != "get":
        fields += sorted(set(re.findall(extra, page.text)))
    prefix = fields[0].split("-")[0] if fields[0].startswith(("hide-", "block-")) else ""
    token = csrf_token(client.get("/en/account/sign-in" if role == "visitor"
                                  else "/en/account/"), "" if role == "visitor" else "profile")

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(st.fixed_dictionaries({field: TEXT for field in fields}))
    def check(values):
        count_example(app, name)
        if extra == "get":
            response = client.get(post_url, query_string=values)
        else:
            key = f"{prefix}-csrf_token" if prefix else "csrf_token"
            response = client.post(post_url, data={**values, key: token})
        answers.append((values, response.status_code))
        assert response.status_code < 500, (values, response.text[:500])
        with app.app_context():
            db.session.remove()

    answers: list[tuple[dict, int]] = []
    check()
    assert_reached_the_form(answers, searching=extra == "get")
