"""Property-based tests: whatever is typed into a form, the answer is never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage.accounts.models import Association, Role
from engage.extensions import db
from tests.conftest import Auth, Factory, csrf_token

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

    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(st.fixed_dictionaries({field: TEXT for field in fields}))
    def check(values):
        if post_url == page_url and page_url.startswith("/en/admin/users"):
            response = client.get(post_url, query_string=values)
        else:
            key = f"{prefix}-csrf_token" if prefix else "csrf_token"
            response = client.post(post_url, data={**values, key: token})
        assert response.status_code < 500, response.text[:500]

    check()
