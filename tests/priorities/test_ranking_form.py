"""The ranking form without JavaScript: positions and buttons give the new order."""

import pytest
from werkzeug.datastructures import MultiDict

from engage.priorities.ranking import (
    BadRankingRequest,
    apply_action,
    apply_positions,
    new_order,
    read_request,
)


def form(order, action="save", **positions):
    data = MultiDict([("ranked", str(q)) for q in order])
    for key, value in positions.items():
        data[key.replace("_", "-")] = str(value)
    data["action"] = action
    return data


@pytest.mark.parametrize(("action", "expected"), [
    ("save", [1, 2, 3]),
    ("up-2", [2, 1, 3]),
    ("up-1", [1, 2, 3]),  # already first
    ("down-2", [1, 3, 2]),
    ("down-3", [1, 2, 3]),  # already last
    ("remove-2", [1, 3]),
    ("add-7", [1, 2, 3, 7]),
    ("add-2", [1, 2, 3]),  # a double click adds nothing twice
    ("clear", []),
])
def test_buttons(action, expected):
    assert new_order(read_request(form([1, 2, 3], action))) == expected


def test_choosing_a_position_moves_the_question_and_shifts_the_others():
    assert apply_positions([1, 2, 3, 4], {4: 1}) == [4, 1, 2, 3]
    assert apply_positions([1, 2, 3, 4], {1: 3}) == [2, 3, 1, 4]
    assert apply_positions([1, 2, 3], {1: 1, 2: 2, 3: 3}) == [1, 2, 3]
    # Positions are applied before the button.
    request = read_request(form([1, 2, 3], "down-1", position_3=1))
    assert new_order(request) == [3, 2, 1]


@pytest.mark.parametrize("data", [
    form(["x"]),
    form([1, 2], "jump-1"),
    form([1, 2], "up-"),
    form([1, 2], "up-x"),
    form([1, 2], "save", position_1="first"),
])
def test_forms_not_sent_by_our_page_are_refused(data):
    with pytest.raises(BadRankingRequest):
        read_request(data)


def test_moving_a_question_that_is_not_ranked_is_refused():
    with pytest.raises(BadRankingRequest):
        apply_action([1, 2], "up", 9)


def test_two_selects_changed_at_once_swap_the_questions():
    assert apply_positions([1, 2, 3], {1: 2, 2: 1}) == [2, 1, 3]
    assert apply_positions([1, 2, 3], {3: 99}) == [1, 2, 3]  # out of range: last
