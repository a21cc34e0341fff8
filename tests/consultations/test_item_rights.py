"""The rights on a page's contributions, computed once per page (permissions.item_rights),
say exactly what the per-item rules say, for every reader, every state of the consultation
and every state of a contribution; and the items' addresses are the routes' own.

Permissions are pure functions: these cases build objects in memory only.
"""

from datetime import timedelta

import pytest
from flask import url_for

from engage.consultations import permissions
from engage.consultations.contribution_lists import ContributionItem, GivenPosition
from engage.consultations.models import Audience, Contribution
from engage.consultations.permissions import item_rights
from engage.consultations.routes.items import items_view
from engage.core.db import utcnow
from engage.core.moderated import ModerationStatus
from tests.consultations.test_permissions import make_consultation, make_user
from tests.factories.consultations import ROLES, STATUSES

READER_ID = 1  # make_user's id
OTHER_ID = 999
PUBLISHED, PENDING, HIDDEN = (ModerationStatus.PUBLISHED, ModerationStatus.PENDING,
                              ModerationStatus.HIDDEN)

# (name, author id, moderation, deleted, parent id, association id, edited)
KINDS = [
    ("others published", OTHER_ID, PUBLISHED, False, None, None, False),
    ("others pending", OTHER_ID, PENDING, False, None, None, False),
    ("others hidden", OTHER_ID, HIDDEN, False, None, None, False),
    ("others deleted", OTHER_ID, PUBLISHED, True, None, None, False),
    ("others hidden then deleted", OTHER_ID, HIDDEN, True, None, None, False),
    ("others reply", OTHER_ID, PUBLISHED, False, 1, None, False),
    ("others position", OTHER_ID, PUBLISHED, False, None, 7, True),
    ("others edited", OTHER_ID, PUBLISHED, False, None, None, True),
    ("former participant's", None, PUBLISHED, False, None, None, False),
    ("own published", READER_ID, PUBLISHED, False, None, None, True),
    ("own pending", READER_ID, PENDING, False, None, None, False),
    ("own hidden", READER_ID, HIDDEN, False, None, None, False),
    ("own deleted", READER_ID, PUBLISHED, True, None, None, False),
    ("own reply", READER_ID, PUBLISHED, False, 1, None, False),
    ("own pending reply", READER_ID, PENDING, False, 1, None, False),
    ("own position", READER_ID, PUBLISHED, False, None, 7, False),
]
# The reader's supports: on others' contributions, a reply, and one no longer visible.
SUPPORTED_NAMES = ("others published", "others reply", "others hidden", "others position")


def contributions_of(item) -> list[Contribution]:
    made = []
    for index, (_name, author_id, status, deleted, parent_id, association_id,
                edited) in enumerate(KINDS):
        contribution = Contribution(
            consultation=item, author_id=author_id, body="Texte", moderation_status=status,
            deleted_at=utcnow() if deleted else None, parent_id=parent_id,
            association_id=association_id, edited_at=utcnow() if edited else None,
            support_count=index,
        )
        contribution.id = 100 + index
        made.append(contribution)
    return made


def supported_ids(contributions) -> set[int]:
    names = [kind[0] for kind in KINDS]
    return {contributions[names.index(name)].id for name in SUPPORTED_NAMES}


def per_item(user, item, contributions, supported) -> dict:
    """What the per-item rules say, one contribution at a time (the old template's tests)."""
    def ids(rule):
        return {c.id for c in contributions if rule(user, c)}

    return {
        "can_participate": permissions.can_participate(user, item),
        "supported": {c.id for c in contributions
                      if c.id in supported and permissions.can_participate(user, item)},
        "supportable": ids(permissions.can_support),
        "repliable": ids(permissions.can_reply),
        "editable": ids(permissions.can_edit_contribution),
        "deletable": ids(permissions.can_delete_contribution),
        "reportable": ids(permissions.can_report),
        "history": ids(permissions.can_see_history),
    }


def as_sets(rights) -> dict:
    return {
        "can_participate": rights.can_participate,
        "supported": set(rights.supported),
        "supportable": set(rights.supportable),
        "repliable": set(rights.repliable),
        "editable": set(rights.editable),
        "deletable": set(rights.editable),  # the same rule: one set
        "reportable": set(rights.reportable),
        "history": set(rights.history),
    }


def row_of(contribution: Contribution) -> ContributionItem:
    """The row a page reads for `contribution` (no author loaded: a name is not a right)."""
    return ContributionItem.of(contribution)


MATRIX = [(role, status, audience) for role in ROLES for status in STATUSES
          for audience in (Audience.EVERYONE, Audience.REPRESENTATIVES)]


@pytest.mark.parametrize(("role", "status", "audience"), MATRIX)
def test_the_sets_say_what_the_per_item_rules_say(role, status, audience):
    user, item = make_user(role, READER_ID), make_consultation(status, audience)
    contributions = contributions_of(item)
    supported = supported_ids(contributions)
    expected = per_item(user, item, contributions, supported)
    assert as_sets(item_rights(user, item, contributions, supported)) == expected
    # The rows the pages list are judged the same as the entities they come from.
    rows = [row_of(c) for c in contributions]
    assert as_sets(item_rights(user, item, rows, supported)) == expected


def test_what_the_sets_hold_for_a_participant_in_an_open_consultation():
    """Written out for one reader, kind by kind."""
    user, item = make_user("participant", READER_ID), make_consultation("open")
    contributions = contributions_of(item)
    rights = item_rights(user, item, contributions, supported_ids(contributions))
    by_name = {kind[0]: c.id for kind, c in zip(KINDS, contributions, strict=True)}

    def names(ids):
        return {name for name, id_ in by_name.items() if id_ in ids}

    assert rights.can_participate and rights.can_support
    assert names(rights.supported) == set(SUPPORTED_NAMES)
    assert names(rights.supportable) == {"others published", "others reply", "others position",
                                         "others edited", "former participant's"}
    assert names(rights.repliable) == {"others published", "others position", "others edited",
                                       "former participant's", "own published",
                                       "own position"}
    assert names(rights.editable) == {"own published", "own pending", "own hidden",
                                      "own reply", "own pending reply", "own position"}
    assert names(rights.reportable) == {"others published", "others reply", "others position",
                                        "others edited", "former participant's"}
    assert names(rights.history) == {name for name in by_name if name.startswith("own")}


def test_a_visitor_gets_no_right_on_any_item():
    item = make_consultation("open")
    contributions = contributions_of(item)
    rights = item_rights(make_user("anonymous"), item, contributions,
                         supported_ids(contributions))
    assert not rights.can_participate and not rights.can_support
    assert rights.supported == rights.supportable == rights.repliable == frozenset()
    assert rights.editable == rights.reportable == rights.history == frozenset()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("status", "moderation"), [
    ("open", PUBLISHED), ("open", PENDING), ("past_closing", PUBLISHED), ("closed", PUBLISHED)])
def test_a_given_position_is_judged_as_its_contribution(role, status, moderation):
    """The note "your association has already given its position" links to its edition by
    the same rule as the contribution itself."""
    user, item = make_user(role, READER_ID), make_consultation(status)
    for author_id in (READER_ID, OTHER_ID):
        contribution = Contribution(consultation=item, author_id=author_id, body="Position",
                                    moderation_status=moderation, association_id=7)
        contribution.id = 55
        given = GivenPosition(7, "Rose", 55, author_id, moderation)
        rights = item_rights(user, item, [given])
        assert (55 in rights.editable) == permissions.can_edit_contribution(user, contribution)
        assert given.is_visible == contribution.is_visible


def test_rows_read_the_state_as_their_model_does():
    item = make_consultation("open")
    for contribution in contributions_of(item):
        row = row_of(contribution)
        assert (row.is_visible, row.is_deleted, row.is_reply, row.is_position) == (
            contribution.is_visible, contribution.is_deleted, contribution.is_reply,
            contribution.is_position)


def test_the_rights_on_a_closed_consultation_keep_the_authors_history():
    """Nobody writes once it is closed; authors and moderators still read earlier versions."""
    item = make_consultation("closed")
    contributions = contributions_of(item)
    author = item_rights(make_user("participant", READER_ID), item, contributions)
    assert author.editable == author.supportable == author.repliable == frozenset()
    assert len(author.history) == 7  # the seven "own" kinds
    moderator = item_rights(make_user("moderator", 5), item, contributions)
    assert moderator.history == {c.id for c in contributions}
    assert moderator.reportable == {c.id for c in contributions
                                    if c.is_visible and c.author_id != 5}


# The items' addresses: the page builds them from one prefix; they are the routes' own.

ACTIONS = {
    "consultations.support": "/support",
    "consultations.withdraw_support": "/withdraw-support",
    "consultations.edit_contribution": "/edit",
    "consultations.delete_contribution": "/delete",
    "consultations.history": "/history",
    "consultations.report": "/report",
    "consultations.contribution": "",
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_item_addresses_are_those_of_the_routes(app, lang):
    with app.test_request_context(f"/{lang}/consultations/12?sort=supported&page=2"):
        app.preprocess_request()
        rights = item_rights(make_user("anonymous"), make_consultation("open"), [])
        view = items_view(12, rights, {}, lang)
        for endpoint, suffix in ACTIONS.items():
            assert view.items_url + "345" + suffix == url_for(
                endpoint, consultation_id=12, contribution_id=345)
        assert view.back == f"/{lang}/consultations/12?sort=supported&page=2"


def test_a_page_names_each_person_once_in_its_texts(app):
    """The texts that name someone are formatted once per name and page, escaped, with
    French elision."""
    with app.test_request_context("/fr/consultations/12"):
        app.preprocess_request()
        texts = items_view(12, item_rights(make_user("anonymous"), make_consultation("open"),
                                           []), {}, "fr").texts
        first = texts.format(texts.contribution_of, name="Alice <b>")
        assert first == "la contribution d’Alice &lt;b&gt;"
        assert texts.format(texts.contribution_of, name="Alice <b>") is first
        assert texts.format(texts.contribution_of, name="Bruno") == "la contribution de Bruno"
        assert texts.supports(1) == "1 soutien" and texts.supports(3) == "3 soutiens"


def test_an_old_contribution_keeps_its_key_in_the_cursor():
    """A row's created_at survives the cursor's microseconds (no rounding of the key)."""
    from engage.core import keyset

    moment = utcnow() - timedelta(days=400, microseconds=7)
    encoded = keyset.encode((3, moment, 42))
    assert keyset.decode(encoded, (int, type(moment), int)) == (3, moment, 42)
