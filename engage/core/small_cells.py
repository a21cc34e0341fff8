"""Figures about people, made publishable: no published figure may describe fewer than
`SMALL_CELL` people.

A breakdown (how many people gave each answer, have each role, live in each place) shows
each cell of at least `SMALL_CELL` people on its own; the cells of 1 to 4 people are counted
together in one group. When that group still describes fewer than `SMALL_CELL` people, the
smallest other cell joins it: otherwise a reader could work the group out from the total.
"""

from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar

SMALL_CELL = 5

K = TypeVar("K", bound=Hashable)


def is_small(count: int | None, minimum: int = SMALL_CELL) -> bool:
    """A count of 1 to `minimum` - 1 people (none is not a small cell: it describes no one)."""
    return count is not None and 0 < count < minimum


def grouped_keys(counts: Mapping[K, int], *,
                 people_in: Callable[[set[K]], int] | None = None,
                 minimum: int = SMALL_CELL) -> set[K]:
    """The keys whose cells are published together, as one group.

    `people_in(keys)` is the number of people the cells of `keys` describe together: their
    sum by default (one answer per person); for a question with several answers per person,
    the people who gave at least one of them. Cells of nobody stay apart. On a tie, the first
    key in `counts` joins the group first. If the group describes fewer than `minimum` people
    with no other cell left to join it, the caller must publish no breakdown at all.
    """
    def total(keys: set[K]) -> int:
        return sum(counts[key] for key in keys)

    people = people_in or total
    group = {key for key, count in counts.items() if is_small(count, minimum)}
    others = [key for key, count in counts.items() if count >= minimum]
    if group and people(group) < minimum and others:
        smallest = min(others, key=lambda key: counts[key])  # min keeps the first of equals
        group.add(smallest)  # the group now describes at least `minimum` people
    return group
