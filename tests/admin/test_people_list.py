"""People management, the pages: the list of accounts (search, filters by role, account
state and association, pagination) and a person's page (roles, associations, activity,
decisions), each in a fixed number of queries."""

import re

import pytest
from sqlalchemy import select

from engage.accounts import services
from engage.accounts.models import Membership, MembershipStatus, Role, User
from engage.consultations import participation
from engage.core.db import utcnow
from engage.core.moderated import file_report
from engage.extensions import db
from tests.factories import consultations as consultation_builders
from tests.factories import stored
from tests.factories import users as people
from tests.helpers import sign_in_new

ROW = re.compile(r'<th scope="row"><a href="/(?:en|fr)/admin/users/(\d+)">([^<]*)</a></th>')


def listed(page) -> list[str]:
    """The names in the list, in their order."""
    assert page.status_code == 200, page.text[:500]
    return [name for _id, name in ROW.findall(page.text)]


@pytest.fixture
def cast(app):
    """One account in each state, an association and its representative; the admin's
    name is "Ada Admin"."""
    with stored(app):
        names = {state: people.person_in_state(state, display_name=f"{state.title()} Person",
                                               email=f"{state}@example.org").id
                 for state in people.ACCOUNT_STATES}
        moderator = people.user("moderator", display_name="Mona Moderator",
                                email="mona@example.org", lay_reviewer=True)
        association = people.association("Patients de l’Est")
        db.session.add(Membership(user=moderator, association=association,
                                  status=MembershipStatus.APPROVED))
        other = people.association("Autre association")
        db.session.add(Membership(user=db.session.get(User, names["active"]),
                                  association=other, status=MembershipStatus.REQUESTED))
        ids = {"association": association.id, "other": other.id, "moderator": moderator.id,
               **names}
    return ids


@pytest.fixture
def admin_client(app, auth, cast):
    sign_in_new(app, auth, "admin", display_name="Ada Admin", email="ada@example.org")
    return auth.client


def test_every_account_but_the_deleted_one_is_listed_newest_first(admin_client):
    assert listed(admin_client.get("/en/admin/users")) == [
        "Ada Admin", "Mona Moderator", "Blocked Person", "Deactivated Person",
        "Invited Person", "Unconfirmed Person", "Active Person"]


@pytest.mark.parametrize(("state", "names"), [
    ("active", ["Ada Admin", "Mona Moderator", "Active Person"]),
    ("unconfirmed", ["Unconfirmed Person"]),
    ("invited", ["Invited Person"]),
    ("deactivated", ["Deactivated Person"]),
    ("blocked", ["Blocked Person"]),
])
def test_the_list_filters_by_account_state(admin_client, state, names):
    page = admin_client.get(f"/en/admin/users?state={state}")
    assert listed(page) == names
    assert f'<option value="{state}" selected>' in page.text


def test_the_list_filters_by_role_and_by_association_represented(admin_client, cast):
    assert listed(admin_client.get("/en/admin/users?role=moderator")) == ["Mona Moderator"]
    assert listed(admin_client.get("/en/admin/users?role=admin&state=active")) == ["Ada Admin"]
    # Representatives only: a request still waiting does not count.
    assert listed(admin_client.get(
        f"/en/admin/users?association={cast['association']}")) == ["Mona Moderator"]
    assert listed(admin_client.get(f"/en/admin/users?association={cast['other']}")) == []
    page = admin_client.get("/en/admin/users")
    assert "Patients de l’Est" in page.text or "Patients de l&#39;Est" in page.text


def test_the_search_looks_in_names_and_addresses_as_typed(admin_client):
    assert listed(admin_client.get("/en/admin/users?q=MONA")) == ["Mona Moderator"]
    assert listed(admin_client.get("/en/admin/users?q=invited%40example")) == ["Invited Person"]
    assert listed(admin_client.get("/en/admin/users?q=person&state=blocked")) == [
        "Blocked Person"]
    # "%" and "_" are letters here, not wildcards.
    assert listed(admin_client.get("/en/admin/users?q=%25")) == []
    assert listed(admin_client.get("/en/admin/users?q=_")) == []
    found = admin_client.get("/en/admin/users?q=nobody")
    assert listed(found) == [] and "0 users found" in found.text


@pytest.mark.parametrize("query", ["state=emperor", "role=king", "association=abc",
                                   "association=-4", "page=-1", "q=" + "x" * 500])
def test_values_that_are_not_choices_are_ignored(admin_client, query):
    page = admin_client.get(f"/en/admin/users?{query}")
    expected = [] if query.startswith("q=") else [
        "Ada Admin", "Mona Moderator", "Blocked Person", "Deactivated Person",
        "Invited Person", "Unconfirmed Person", "Active Person"]
    assert listed(page) == expected


def test_the_pages_of_the_list_keep_the_filters(app, admin_client):
    with stored(app):
        for index in range(25):
            people.user(display_name=f"Member {index:02d}", email=f"member{index}@example.org")
    first = admin_client.get("/en/admin/users?state=active&q=member")
    assert "25 users found" in first.text and "Page 1 of 2" in first.text
    assert len(listed(first)) == 20
    assert 'href="/en/admin/users?page=2&amp;q=member&amp;state=active"' in first.text
    second = admin_client.get("/en/admin/users?page=2&q=member&state=active")
    assert listed(second) == [f"Member {index:02d}" for index in range(4, -1, -1)]


def test_each_row_links_to_the_persons_page(admin_client, cast):
    rows = ROW.findall(admin_client.get("/en/admin/users?q=mona").text)
    assert rows == [(str(cast["moderator"]), "Mona Moderator")]
    page = admin_client.get(f"/en/admin/users/{cast['moderator']}")
    assert page.status_code == 200
    assert "<h1>Mona Moderator</h1>" in page.text


def test_the_list_takes_the_same_queries_whatever_its_length(app, admin_client,
                                                              count_queries):
    admin_client.get("/en/admin/users")  # caches warmed
    with count_queries() as few:
        listed(admin_client.get("/en/admin/users"))
    with stored(app):
        for index in range(15):
            people.person_in_state(people.ACCOUNT_STATES[index % 5],
                                   display_name=f"Extra {index}")
    with count_queries() as many:
        assert len(listed(admin_client.get("/en/admin/users"))) == 20
    assert many.count == few.count


# A person's page


def _activity(app, person_id: int, contributions: int) -> None:
    """`contributions` contributions (the last one hidden by the moderators), one reply,
    one support, one report."""
    with app.test_request_context("/en/"):
        author = db.session.get(User, person_id)
        moderator = people.user("moderator")
        consultation = consultation_builders.consultation("open", author=moderator)
        items = [consultation_builders.contribution(consultation, author, f"Text {index}")
                 for index in range(contributions)]
        items[-1].hide(moderator, "spam")
        other = consultation_builders.contribution(consultation, moderator, "Other")
        participation.post_reply(author, other, "A reply")
        participation.support(author, other)
        file_report(author, other, "spam")
        db.session.commit()


NOT_APPLICABLE = "–does not apply"


def rows_of(page, caption: str) -> list[list[str]]:
    """The cells of the table named `caption`, row by row, tags removed."""
    table = page.text.split(f'<caption class="visually-hidden">{caption}</caption>')[1]
    table = table.split("</table>")[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)]


def test_the_persons_page_shows_roles_associations_activity_and_state(app, admin_client,
                                                                     cast):
    _activity(app, cast["moderator"], contributions=3)
    with stored(app):
        db.session.get(User, cast["moderator"]).last_sign_in_at = utcnow()
    page = admin_client.get(f"/en/admin/users/{cast['moderator']}")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    assert "Account state Active" in text
    assert "Email address mona@example.org" in text
    assert "Role Moderator" in text and "Lay reviewer Yes" in text
    assert "Patients de" in text and ": Approved" in text
    assert "Last signed in on Never" not in text
    assert rows_of(page, "Activity") == [
        ["Contribution", "4", "1"],  # three contributions and a reply, one hidden
        ["Comment on a research question", "0", "0"],
        ["Submitted research question", "0", "0"],
        # What cannot be hidden says so ("–", read out as "does not apply").
        ["Reports made to the moderators", "1", NOT_APPLICABLE],
        ["Open sign-in sessions", "0", NOT_APPLICABLE],
        ["Supports given", "1", NOT_APPLICABLE],  # the areas' own figures, same query
        ["Questionnaires answered", "0", NOT_APPLICABLE],
        ["Rankings of research priorities", "0", NOT_APPLICABLE],
        ["Applications assigned for lay review", "0", NOT_APPLICABLE],
        ["Lay reviews submitted", "0", NOT_APPLICABLE],
    ]
    # Actions: change the role, deactivate; the moderators' page for blocking.
    assert f'action="/en/admin/users/{cast["moderator"]}/role#error-summary"' in page.text
    assert f'action="/en/admin/users/{cast["moderator"]}/deactivate#error-summary"' in page.text
    assert f'href="/en/moderation/users/{cast["moderator"]}"' in page.text
    assert "resend" not in page.text


@pytest.mark.parametrize(("state", "says", "button"), [
    ("unconfirmed", "Email address not confirmed", "resend-confirmation"),
    ("invited", "Invited, has not accepted yet", "resend-invitation"),
    ("deactivated", "Since", "reactivate"),
    ("blocked", "can read, not write", None),
])
def test_the_persons_page_says_the_state_and_offers_what_fits(admin_client, cast, state, says,
                                                              button):
    page = admin_client.get(f"/en/admin/users/{cast[state]}")
    assert page.status_code == 200 and says in page.text
    actions = set(re.findall(rf'/en/admin/users/{cast[state]}/([a-z-]+)', page.text))
    expected = {"role", "reactivate" if state == "deactivated" else "deactivate"}
    if button and button != "reactivate":
        expected.add(button)
    assert actions == expected
    if state == "deactivated":
        assert "Left the network" in page.text


def test_a_deleted_account_shows_no_address_and_no_action(admin_client, cast):
    page = admin_client.get(f"/en/admin/users/{cast['deleted']}")
    assert page.status_code == 200
    assert "<h1>Former participant</h1>" in page.text
    assert re.search(r"Account state</dt>\s*<dd>Deleted\s*</dd>", page.text)
    assert "@invalid" not in page.text
    assert not re.findall(rf'/en/admin/users/{cast["deleted"]}/([a-z-]+)', page.text)


def test_an_administrator_is_not_offered_to_change_or_deactivate_themselves(app, admin_client):
    with app.app_context():
        own = db.session.scalar(select(User.id).where(User.email == "ada@example.org"))
    page = admin_client.get(f"/en/admin/users/{own}")
    assert page.status_code == 200
    assert not re.findall(rf'/en/admin/users/{own}/([a-z-]+)', page.text)


def test_an_unknown_person_is_404(admin_client):
    assert admin_client.get("/en/admin/users/999999").status_code == 404


def test_the_persons_page_takes_the_same_queries_whatever_the_activity(
        app, admin_client, cast, count_queries):
    admin_client.get(f"/en/admin/users/{cast['moderator']}")
    with count_queries() as few:
        assert admin_client.get(f"/en/admin/users/{cast['active']}").status_code == 200
    _activity(app, cast["active"], contributions=8)
    with app.test_request_context("/en/"):
        actor = db.session.scalar(select(User).where(User.email == "ada@example.org"))
        person = db.session.get(User, cast["active"])
        for role in (Role.REPRESENTATIVE, Role.MODERATOR, Role.PARTICIPANT):
            services.change_role(actor, person, role, "Testing the history")
        db.session.commit()
    with count_queries() as many:
        page = admin_client.get(f"/en/admin/users/{cast['active']}")
    assert len(rows_of(page, "Decisions about this account")) == 3
    assert many.count == few.count


def test_the_persons_page_in_french(admin_client, cast):
    page = admin_client.get(f"/fr/admin/users/{cast['deactivated']}")
    assert page.status_code == 200 and '<html lang="fr"' in page.text
    assert "Désactivé" in page.text
    assert "Réactiver le compte" in page.text
    assert "Décisions concernant ce compte" in page.text
