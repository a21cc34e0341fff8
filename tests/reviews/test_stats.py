"""Aggregates and Krippendorff's alpha, against values computed by hand."""

import pytest

from engage.reviews.dashboard import letter
from engage.reviews.stats import aggregate, krippendorff_alpha_ordinal


def test_aggregate_by_hand():
    stats = aggregate([5, 2, None, 4])
    assert stats.scores == (2, 4, 5)
    assert stats.count == 3
    assert stats.mean == pytest.approx(11 / 3)
    assert stats.median == 4
    assert stats.spread == 3
    assert stats.disagreement  # 5 and 2 are 3 points apart


def test_two_points_apart_is_not_a_disagreement():
    stats = aggregate([3, 5, 4, 4])
    assert (stats.mean, stats.median, stats.spread) == (4, 4, 2)
    assert not stats.disagreement


def test_empty_and_single_aggregates():
    empty = aggregate([])
    assert (empty.mean, empty.median, empty.spread, empty.disagreement) == (
        None, None, None, False)
    single = aggregate([1])
    assert (single.mean, single.spread, single.disagreement) == (1, 0, False)


def test_alpha_ordinal_by_hand():
    # Units (1,1), (2,3), (3,3). Coincidences: o11 = 2, o23 = o32 = 1, o33 = 2;
    # n1 = 2, n2 = 1, n3 = 3, n = 6. Ordinal distances: δ²(2,3) = (1 + 3 − 2)² = 4,
    # δ²(1,2) = (2 + 1 − 1.5)² = 2.25, δ²(1,3) = (6 − 2.5)² = 12.25.
    # Σ o·δ² = 2 × 4 = 8; Σ n_c·n_k·δ² = 2 × (2·1·2.25 + 2·3·12.25 + 1·3·4) = 180.
    # α = 1 − (n − 1) × 8 / 180 = 1 − 40/180 = 7/9.
    assert krippendorff_alpha_ordinal([[1, 1], [2, 3], [3, 3]]) == pytest.approx(7 / 9)


def test_alpha_ordinal_on_krippendorffs_published_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers,
    # 12 units, missing values; the published ordinal alpha is 0.815.
    n = None
    observers = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    units = list(zip(*observers, strict=True))
    assert krippendorff_alpha_ordinal(units) == pytest.approx(0.815, abs=5e-4)


def test_alpha_extremes():
    assert krippendorff_alpha_ordinal([[1, 1], [5, 5], [3, 3]]) == pytest.approx(1.0)
    assert krippendorff_alpha_ordinal([[4, 4], [4, 4]]) is None  # no variation at all
    assert krippendorff_alpha_ordinal([[3], [None, 2]]) is None  # nothing pairable
    assert krippendorff_alpha_ordinal([[1, 5], [5, 1]]) < 0  # systematic disagreement


def test_reviewer_letters():
    assert [letter(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]
