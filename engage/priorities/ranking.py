"""The ranking form without JavaScript: what a button press asks for.

The page sends the ranking as it showed it (`ranked`, 1st first), the position chosen in
each question's select (`position-<id>`) and the button pressed (`action`, e.g. `up-12`,
`add-7`, `remove-3`, `save`). Positions are applied first, then the button. The service
then checks the result (at most 10, no duplicates, kept questions only) and stores it.

Sending the page's state, rather than a change to the stored ranking, makes a double
click harmless: the same form sent twice gives the same ranking.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

ACTIONS = ("save", "add", "up", "down", "remove", "clear")


class BadRankingRequest(ValueError):
    """The form was not sent by our page (tampered with, or stale)."""


@dataclass(frozen=True)
class RankingRequest:
    order: list  # question ids, 1st first, before the button
    positions: dict  # question id -> position chosen in its select
    action: str
    question_id: int | None


def _int(value) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise BadRankingRequest(value) from None


def read_request(form: MultiDict) -> RankingRequest:
    """Parse a submitted ranking form (a werkzeug MultiDict)."""
    order = [_int(value) for value in form.getlist("ranked")]
    positions = {}
    for ranked_id in order:
        value = form.get(f"position-{ranked_id}")
        if value not in (None, ""):
            positions[ranked_id] = _int(value)
    action, _, target = (form.get("action") or "save").partition("-")
    if action not in ACTIONS:
        raise BadRankingRequest(action)
    question_id = _int(target) if target else None
    if action in ("add", "up", "down", "remove") and question_id is None:
        raise BadRankingRequest(action)
    return RankingRequest(order, positions, action, question_id)


def apply_positions(order: Sequence[int], positions: Mapping[int, int]) -> list[int]:
    """Move each question whose select changed to the position chosen.

    The others keep their order and make room: choosing "1" for the 4th question puts it
    first and shifts the rest down; choosing "3" for the 1st puts it after the next two.
    """
    current = {qid: index for index, qid in enumerate(order, start=1)}
    moved = [qid for qid in order if positions.get(qid, current[qid]) != current[qid]]
    result = [qid for qid in order if qid not in moved]
    for qid in sorted(moved, key=lambda q: (positions[q], current[q])):
        result.insert(max(0, min(positions[qid] - 1, len(result))), qid)
    return result


def apply_action(order: Sequence[int], action: str, question_id: int | None) -> list[int]:
    order = list(order)
    if action == "save":
        return order
    if action == "clear":
        return []
    if question_id is None:  # every other action names a question
        raise BadRankingRequest(action)
    if action == "add":
        # Adding what is already there changes nothing (a double click).
        return order if question_id in order else [*order, question_id]
    if question_id not in order:
        raise BadRankingRequest(question_id)
    index = order.index(question_id)
    if action == "remove":
        del order[index]
    elif action == "up" and index > 0:
        order[index - 1], order[index] = order[index], order[index - 1]
    elif action == "down" and index < len(order) - 1:
        order[index + 1], order[index] = order[index], order[index + 1]
    return order


def new_order(request: RankingRequest) -> list[int]:
    return apply_action(apply_positions(request.order, request.positions), request.action,
                        request.question_id)
