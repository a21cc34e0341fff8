"""Committee figures: per-criterion aggregates and Krippendorff's alpha (ordinal).

Pure functions on plain numbers, so that they can be checked against values
computed by hand.
"""

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from engage.reviews.models import DISAGREEMENT_GAP


@dataclass(frozen=True)
class Aggregate:
    scores: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.scores)

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def median(self) -> float | None:
        return float(statistics.median(self.scores)) if self.scores else None

    @property
    def spread(self) -> int | None:
        """Highest minus lowest score."""
        return max(self.scores) - min(self.scores) if self.scores else None

    @property
    def disagreement(self) -> bool:
        spread = self.spread
        return self.count >= 2 and spread is not None and spread >= DISAGREEMENT_GAP


def aggregate(scores: Iterable[int | None]) -> Aggregate:
    return Aggregate(tuple(sorted(s for s in scores if s is not None)))


def krippendorff_alpha_ordinal(units: Iterable[Sequence[int | None]]) -> float | None:
    """Krippendorff's alpha with the ordinal metric.

    `units` holds, for each thing rated, the values given by its raters (None or a
    missing rater for no value). Units with fewer than two values are not pairable
    and are left out. None when there is nothing to compare or no variation at all.
    """
    coincidences: defaultdict[tuple[int, int], float] = defaultdict(float)
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                coincidences[(c, k)] += pairs / (m - 1)
    if not coincidences:
        return None
    totals: defaultdict[int, float] = defaultdict(float)
    for (c, _k), value in coincidences.items():
        totals[c] += value
    n = sum(totals.values())
    categories = sorted(totals)

    def delta(c, k):
        low, high = min(c, k), max(c, k)
        between = sum(totals[g] for g in categories if low <= g <= high)
        return (between - (totals[c] + totals[k]) / 2) ** 2

    observed = sum(value * delta(c, k) for (c, k), value in coincidences.items())
    expected = sum(totals[c] * totals[k] * delta(c, k) for c in categories for k in categories)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected
