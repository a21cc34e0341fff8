"""People management, the actions: changing a role (with a reason, in the accounts' audit
log; never the last active administrator's), deactivating and reactivating an account,
sending the confirmation email again."""

import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text

from engage.accounts import services
from engage.accounts.models import AccountAuditEntry, Role, User
from engage.consultations import participation
from engage.core.errors import DomainError
from engage.core.sessions import SignInSession
from engage.extensions import db
from tests.conftest import build_app, empty_tables, link_in, outbox, reset_database
from tests.factories import consultations as consultation_builders
from tests.factories import stored
from tests.factories import users as people
from tests.helpers import Auth, count_in, csrf_token, sign_in_new


@pytest.fixture
def admin(app, auth):
    """The signed-in administrator's id (their client is `auth.client`)."""
    return sign_in_new(app, auth, "admin", display_name="Ada Admin", email="ada@example.org")


def _person(app, state="active", role="participant", **fields) -> int:
    with stored(app):
        return people.person_in_state(state, role, **fields).id


def _form(client, user_id, lang="en"):
    page = client.get(f"/{lang}/admin/users/{user_id}")
    assert page.status_code == 200
    return page


def _entries(app, user_id):
    with app.app_context():
        return [(e.action, e.actor_id, e.role_before, e.role_after, e.reason)
                for e in db.session.scalars(select(AccountAuditEntry).where(
                    AccountAuditEntry.user_id == user_id).order_by(AccountAuditEntry.id))]


def _user(app, user_id) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


# Changing a role


def test_a_role_changes_with_a_reason_kept_in_the_audit_log(app, auth, admin):
    target = _person(app, display_name="Rosa Member")
    page = _form(auth.client, target)
    response = auth.client.post(f"/en/admin/users/{target}/role", data={
        "role-role": "moderator", "role-reason": "Joined the moderation team",
        "role-csrf_token": csrf_token(page, "role")})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/en/admin/users/{target}"
    assert _user(app, target).role == Role.MODERATOR
    assert _entries(app, target) == [
        ("change_role", admin, "participant", "moderator", "Joined the moderation team")]
    page = auth.client.get(response.headers["Location"])
    assert "The role of Rosa Member is now: Moderator." in page.text
    assert "Participant → Moderator" in page.text and "Joined the moderation team" in page.text


def test_a_role_without_a_reason_is_refused_on_the_form(app, auth, admin):
    target = _person(app)
    page = _form(auth.client, target)
    response = auth.client.post(f"/en/admin/users/{target}/role", data={
        "role-role": "admin", "role-reason": "  ", "role-csrf_token": csrf_token(page, "role")})
    assert response.status_code == 422
    assert 'id="error-summary"' in response.text
    assert "Please say why the role changes." in response.text
    assert '<option selected value="admin">' in response.text  # what was chosen stays
    assert _user(app, target).role == Role.PARTICIPANT and _entries(app, target) == []


def test_a_role_that_is_not_a_choice_is_refused(app, auth, admin):
    target = _person(app)
    page = _form(auth.client, target)
    response = auth.client.post(f"/en/admin/users/{target}/role", data={
        "role-role": "emperor", "role-reason": "Because", "role-csrf_token":
            csrf_token(page, "role")})
    assert response.status_code == 422 and "Not a valid choice" in response.text
    assert _user(app, target).role == Role.PARTICIPANT


def test_the_same_role_again_is_refused(app, auth, admin):
    target = _person(app)
    page = _form(auth.client, target)
    response = auth.client.post(f"/en/admin/users/{target}/role", data={
        "role-role": "participant", "role-reason": "No change",
        "role-csrf_token": csrf_token(page, "role")})
    assert response.status_code == 422
    assert "This person already has this role." in response.text
    assert _entries(app, target) == []


def test_an_administrator_cannot_remove_their_own_role(app, auth, admin):
    page = _form(auth.client, _person(app))  # their own page has no such form
    response = auth.client.post(f"/en/admin/users/{admin}/role", data={
        "role-role": "participant", "role-reason": "Stepping down",
        "role-csrf_token": csrf_token(page, "role")})
    assert response.status_code == 422
    assert "You cannot remove your own administrator role." in response.text
    assert _user(app, admin).role == Role.ADMIN


def test_a_form_without_its_csrf_token_changes_nothing(app, auth, admin):
    target = _person(app)
    response = auth.client.post(f"/en/admin/users/{target}/role", data={
        "role-role": "moderator", "role-reason": "Forged"})
    assert response.status_code == 400
    assert _user(app, target).role == Role.PARTICIPANT
    response = auth.client.post(f"/en/admin/users/{target}/deactivate", data={
        "deactivate-reason": "Forged"})
    assert response.status_code == 400
    assert not _user(app, target).is_deactivated
    unconfirmed = _person(app, "deactivated", email="late@example.org")
    for action in ("reactivate", "resend-confirmation", "resend-invitation"):
        assert auth.client.post(f"/en/admin/users/{unconfirmed}/{action}").status_code == 400
    assert _user(app, unconfirmed).is_deactivated and outbox(app) == []
    assert _entries(app, target) == [] and _entries(app, unconfirmed) == []


def test_the_role_form_in_french_says_the_error_in_french(app, auth, admin):
    target = _person(app)
    page = _form(auth.client, target, "fr")
    response = auth.client.post(f"/fr/admin/users/{target}/role", data={
        "role-role": "moderator", "role-reason": "",
        "role-csrf_token": csrf_token(page, "role")})
    assert response.status_code == 422 and '<html lang="fr"' in response.text
    assert "Veuillez indiquer pourquoi le rôle change." in response.text


def test_the_last_active_administrator_keeps_the_role(app):
    """An actor that is not an administrator's account (a command, say) meets the rule the
    pages cannot reach: someone must stay able to administer the site."""
    with app.test_request_context("/en/"):
        only = people.user("admin")
        invited_admin = people.person_in_state("invited", "admin")
        deactivated_admin = people.person_in_state("deactivated", "admin")
        system = SimpleNamespace(id=None, is_admin=True, is_deactivated=False)
        with pytest.raises(DomainError, match="last active administrator"):
            services.change_role(system, only, Role.MODERATOR, "Reorganisation")
        with pytest.raises(DomainError, match="last active administrator"):
            services.deactivate(system, only, "Left")
        # Those who are not active do not count, but may lose the role themselves.
        services.change_role(system, invited_admin, Role.PARTICIPANT, "Not needed")
        services.change_role(system, deactivated_admin, Role.PARTICIPANT, "Left")
        second = people.user("admin")
        services.change_role(system, only, Role.MODERATOR, "Now there is another one")
        assert only.role == Role.MODERATOR and second.role == Role.ADMIN
        db.session.rollback()


# SQLite writes one transaction at a time: no two decisions at once there.
@pytest.mark.parametrize("app", ["postgresql"], indirect=True)
def test_two_administrators_removing_each_other_cannot_both_succeed(app):
    """Each demotes the other at the same moment: the second waits for the first's lock,
    then counts again, and is refused."""
    with stored(app):
        first, second = people.user("admin"), people.user("admin")
        ids = first.id, second.id
    outcome = {}

    def second_demotes_first():
        with app.test_request_context("/en/"):
            actor, target = db.session.get(User, ids[1]), db.session.get(User, ids[0])
            try:
                services.change_role(actor, target, Role.PARTICIPANT, "Second's move")
                db.session.commit()
                outcome["second"] = "done"
            except DomainError as error:
                db.session.rollback()
                outcome["second"] = str(error.message)

    with app.test_request_context("/en/"):
        actor, target = db.session.get(User, ids[0]), db.session.get(User, ids[1])
        services.change_role(actor, target, Role.PARTICIPANT, "First's move")
        db.session.flush()
        thread = threading.Thread(target=second_demotes_first)
        thread.start()
        with db.engine.connect() as watcher:  # until the second waits for the lock
            waiting = watcher.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"))
            for _attempt in range(500):
                if waiting.scalar():
                    break
                thread.join(0.01)
                waiting = watcher.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"))
        db.session.commit()
    thread.join(10)
    assert "last active administrator" in outcome["second"]
    with app.app_context():
        assert db.session.get(User, ids[0]).role == Role.ADMIN
        assert db.session.get(User, ids[1]).role == Role.PARTICIPANT


# Deactivating and reactivating


def test_a_deactivated_person_is_signed_out_and_cannot_sign_in(app, auth, admin):
    target = _person(app, email="dora@example.org", display_name="Dora Writer")
    theirs = app.test_client()
    assert Auth(app, theirs).sign_in("dora@example.org").status_code == 302
    assert theirs.get("/en/account/").status_code == 200
    signed_in_at = _user(app, target).last_sign_in_at
    page = _form(auth.client, target)
    response = auth.client.post(f"/en/admin/users/{target}/deactivate", data={
        "deactivate-reason": "Asked to leave the network",
        "deactivate-csrf_token": csrf_token(page, "deactivate")})
    assert response.status_code == 302
    assert "they can no longer sign in" in auth.client.get(response.headers["Location"]).text
    assert _user(app, target).is_deactivated
    assert _entries(app, target) == [
        ("deactivate", admin, None, None, "Asked to leave the network")]
    assert count_in(app, SignInSession, SignInSession.user_id == target) == 0
    # Their open session ended.
    assert theirs.get("/en/account/").status_code == 302
    # The right password says why; a wrong one gets the message anyone gets.
    wrong = Auth(app, app.test_client()).sign_in("dora@example.org", "not the password!")
    assert wrong.status_code == 401
    assert "The email address or the password is not correct." in wrong.text
    assert "deactivated" not in wrong.text
    refused = Auth(app, app.test_client()).sign_in("dora@example.org")
    assert refused.status_code == 403
    assert "This account has been deactivated by an administrator. If you think this is a " \
        f"mistake, write to {app.config['CONTACT_EMAIL']}." in refused.text
    assert _user(app, target).last_sign_in_at == signed_in_at


def test_what_a_deactivated_person_published_stays_under_their_public_name(app, auth, admin):
    with app.test_request_context("/en/"):
        author = people.user(display_name="Dora Writer", email="dora@example.org")
        consultation = consultation_builders.consultation("open")
        participation.post_contribution(author, consultation, "Transport costs a lot.")
        db.session.commit()
        target, consultation_id = author.id, consultation.id
    page = _form(auth.client, target)
    assert auth.client.post(f"/en/admin/users/{target}/deactivate", data={
        "deactivate-reason": "Left", "deactivate-csrf_token": csrf_token(page, "deactivate"),
    }).status_code == 302
    shown = app.test_client().get(f"/en/consultations/{consultation_id}")
    assert "Transport costs a lot." in shown.text and "Dora Writer" in shown.text


def test_a_deactivation_needs_a_reason(app, auth, admin):
    target = _person(app)
    page = _form(auth.client, target)
    response = auth.client.post(f"/en/admin/users/{target}/deactivate", data={
        "deactivate-reason": "", "deactivate-csrf_token": csrf_token(page, "deactivate")})
    assert response.status_code == 422 and 'id="error-summary"' in response.text
    assert "Please say why this account is deactivated." in response.text
    assert 'id="deactivate-reason"' in response.text
    assert not _user(app, target).is_deactivated


def test_a_long_reason_is_refused_and_kept(app, auth, admin):
    target = _person(app)
    page = _form(auth.client, target)
    reason = "Too long. " * 120
    response = auth.client.post(f"/en/admin/users/{target}/deactivate", data={
        "deactivate-reason": reason, "deactivate-csrf_token": csrf_token(page, "deactivate")})
    assert response.status_code == 422
    assert reason.strip() in response.text
    assert not _user(app, target).is_deactivated


def test_an_administrator_cannot_deactivate_themselves(app, auth, admin):
    page = _form(auth.client, _person(app))
    response = auth.client.post(f"/en/admin/users/{admin}/deactivate", data={
        "deactivate-reason": "Holidays", "deactivate-csrf_token": csrf_token(page, "deactivate")})
    assert response.status_code == 422
    assert "You cannot deactivate your own account." in response.text
    assert not _user(app, admin).is_deactivated


def test_a_reactivated_person_signs_in_again(app, auth, admin):
    target = _person(app, "deactivated", email="dora@example.org")
    page = _form(auth.client, target)
    assert "Reactivate the account" in page.text
    response = auth.client.post(f"/en/admin/users/{target}/reactivate",
                                data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert "is active again" in auth.client.get(response.headers["Location"]).text
    person = _user(app, target)
    assert not person.is_deactivated and person.deactivated_reason is None
    assert [e[0] for e in _entries(app, target)] == ["reactivate"]
    assert Auth(app, app.test_client()).sign_in("dora@example.org").status_code == 302


def test_reactivating_an_active_account_is_refused(app, auth, admin):
    target = _person(app)
    page = _form(auth.client, target)
    response = auth.client.post(f"/en/admin/users/{target}/reactivate",
                                data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "This account is not deactivated." in response.text
    assert _entries(app, target) == []


# Sending the confirmation email again


def test_the_confirmation_email_is_sent_again_to_an_unconfirmed_address(app, auth, admin):
    target = _person(app, "unconfirmed", email="late@example.org")
    page = _form(auth.client, target)
    response = auth.client.post(f"/en/admin/users/{target}/resend-confirmation",
                                data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert "A new confirmation link has been sent to late@example.org." in \
        auth.client.get(response.headers["Location"]).text
    [message] = outbox(app, "late@example.org")
    assert link_in(message).startswith("/en/account/confirm/")
    assert app.test_client().get(link_in(message)).status_code == 302
    assert _user(app, target).is_confirmed
    assert [e[0] for e in _entries(app, target)] == ["resend_confirmation"]


@pytest.mark.parametrize(("state", "message"), [
    ("active", "This email address is already confirmed."),
    ("invited", "send the invitation again instead"),
])
def test_the_confirmation_email_is_not_sent_when_it_makes_no_sense(app, auth, admin, state,
                                                                   message):
    target = _person(app, state, email="someone@example.org")
    page = _form(auth.client, target)
    response = auth.client.post(f"/en/admin/users/{target}/resend-confirmation",
                                data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert message in response.text
    assert outbox(app, "someone@example.org") == []


@pytest.fixture(scope="module")
def limited_app(tmp_path_factory):
    """An application with the limiter on (it is off in the tests' settings)."""
    folder = tmp_path_factory.mktemp("people-limits")
    application = build_app(f"sqlite:///{folder / 'limits.sqlite3'}", RATELIMIT_ENABLED=True,
                            RATELIMIT_STORAGE_URI="memory://",
                            RATELIMIT_ADMIN_RESEND="2 per hour")
    reset_database(application)
    yield application
    empty_tables(application)


def test_sending_again_is_limited_per_person(limited_app):
    from engage.extensions import limiter

    limiter.enabled = True
    limiter.reset()
    try:
        client = limited_app.test_client()
        sign_in_new(limited_app, Auth(limited_app, client), "admin")
        targets = [_person(limited_app, "unconfirmed", email=f"late{n}@example.org")
                   for n in range(2)]
        page = _form(client, targets[0])

        def resend(target):
            return client.post(f"/en/admin/users/{target}/resend-confirmation",
                               data={"csrf_token": csrf_token(page)}).status_code

        answers = [resend(targets[0]) for _attempt in range(3)] + [resend(targets[1])]
    finally:
        limiter.reset()
        limiter.enabled = False
    assert answers == [302, 302, 429, 302]  # per person: the other one still gets theirs
    assert len(outbox(limited_app, "late0@example.org")) == 2


def test_the_account_actions_are_for_administrators_only(app, auth):
    target = _person(app)
    sign_in_new(app, auth, "moderator")
    page = auth.client.get("/en/")
    for action in ("role", "deactivate", "reactivate", "resend-confirmation",
                   "resend-invitation"):
        response = auth.client.post(f"/en/admin/users/{target}/{action}",
                                    data={"csrf_token": csrf_token(page), "role-role": "admin",
                                          "role-reason": "x", "deactivate-reason": "x"})
        assert response.status_code == 403, action
    assert _user(app, target).role == Role.PARTICIPANT and _entries(app, target) == []


def test_deleting_a_deactivated_account_forgets_the_reasons_given(app):
    """Account deletion (here by the retention rules, the person being unable to sign in):
    the decisions stay, with who took them and when, without their reasons."""
    from engage.accounts.personal_data import erase_account

    with app.test_request_context("/en/"):
        admin = people.user("admin")
        person = people.user(display_name="Dora Writer")
        services.change_role(admin, person, Role.REPRESENTATIVE, "Dora chairs her group")
        services.deactivate(admin, person, "Moved to Lyon after an illness")
        erase_account(person, delete_content=False)
        db.session.commit()
        person_id, admin_id = person.id, admin.id
    assert _user(app, person_id).deactivated_reason is None
    assert _user(app, person_id).is_deactivated
    assert _entries(app, person_id) == [
        ("change_role", admin_id, "participant", "representative", ""),
        ("deactivate", admin_id, None, None, "")]
