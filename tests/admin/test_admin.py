"""Administration pages: users and roles, associations."""

import pytest

from engage.accounts.models import Association, Role, User
from engage.extensions import db
from tests.helpers import csrf_token

ADMIN_PAGES = ["/en/admin/users", "/en/admin/associations", "/en/admin/associations/new"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_need_sign_in(client, url):
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.REPRESENTATIVE, Role.MODERATOR])
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_are_for_admins_only(client, auth, factory, role, url):
    auth.sign_in_as(role=role)
    assert client.get(url).status_code == 403


def test_user_list_is_searchable_and_paginated(app, client, auth, factory):
    auth.sign_in_as(role=Role.ADMIN, display_name="The Admin")
    for index in range(25):
        factory.user(display_name=f"Person {index:02d}", email=f"person{index}@example.org")
    first = client.get("/en/admin/users")
    assert first.status_code == 200
    assert "26 users found" in first.text
    assert "Page 1 of 2" in first.text
    assert "Page 2 of 2" in client.get("/en/admin/users?page=2").text
    found = client.get("/en/admin/users?q=PERSON+07")
    assert "1 user found" in found.text
    assert "Person 07" in found.text
    admins = client.get("/en/admin/users?role=admin")
    assert "The Admin" in admins.text and "Person 01" not in admins.text


def _role_form(client, user_id) -> str:
    """The CSRF token of the role form on a person's page (prefixed "role-")."""
    return csrf_token(client.get(f"/en/admin/users/{user_id}"), "role")


def test_admin_changes_a_role(app, client, auth, factory):
    auth.sign_in_as(role=Role.ADMIN)
    target = factory.user()
    response = client.post(f"/en/admin/users/{target}/role", data={
        "role-role": "moderator", "role-reason": "Joins the moderators",
        "role-csrf_token": _role_form(client, target)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, target).role == Role.MODERATOR


def test_admin_cannot_drop_their_own_admin_role(app, client, auth, factory):
    admin_id = auth.sign_in_as(role=Role.ADMIN)
    response = client.post(f"/en/admin/users/{admin_id}/role", data={
        "role-role": "participant", "role-reason": "Stepping down",
        "role-csrf_token": _role_form(client, factory.user())})
    assert response.status_code == 422
    assert "cannot remove your own administrator role" in response.text
    with app.app_context():
        assert db.session.get(User, admin_id).role == Role.ADMIN


def test_invalid_role_is_refused(app, client, auth, factory):
    auth.sign_in_as(role=Role.ADMIN)
    target = factory.user()
    response = client.post(f"/en/admin/users/{target}/role", data={
        "role-role": "emperor", "role-reason": "Coronation",
        "role-csrf_token": _role_form(client, target)})
    assert response.status_code == 422
    assert "Not a valid choice" in response.text
    with app.app_context():
        assert db.session.get(User, target).role == Role.PARTICIPANT


def test_create_and_edit_an_association(app, client, auth, factory):
    auth.sign_in_as(role=Role.ADMIN)
    form = client.get("/en/admin/associations/new")
    response = client.post("/en/admin/associations/new", data={
        "name": "Patients en réseau", "accreditation": "regional",
        "accreditation_number": "ARS-IDF-2022-0031", "accredited_on": "2022-05-02",
        "description_fr": "Une association.", "description_en": "An association.",
        "website": "https://example.org", "csrf_token": csrf_token(form)})
    assert response.status_code == 302
    with app.app_context():
        association = db.session.scalar(db.select(Association))
        assert association.accreditation == "regional"
        assert association.accreditation_number == "ARS-IDF-2022-0031"
        association_id = association.id
    # A duplicate name is refused, the text kept.
    form = client.get("/en/admin/associations/new")
    duplicate = client.post("/en/admin/associations/new", data={
        "name": "patients en réseau", "accreditation": "none", "description_fr": "Texte gardé",
        "description_en": "", "csrf_token": csrf_token(form)})
    assert duplicate.status_code == 422
    assert "already exists" in duplicate.text
    assert "Texte gardé" in duplicate.text

    edit = client.get(f"/en/admin/associations/{association_id}")
    response = client.post(f"/en/admin/associations/{association_id}", data={
        "name": "Patients en réseau IDF", "accreditation": "national",
        "description_fr": "Une association.", "description_en": "An association.",
        "website": "javascript:alert(1)", "csrf_token": csrf_token(edit)})
    assert response.status_code == 422
    assert "full web address" in response.text


def test_unknown_association_is_404(client, auth, factory):
    auth.sign_in_as(role=Role.ADMIN)
    assert client.get("/en/admin/associations/999").status_code == 404
