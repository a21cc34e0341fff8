"""The interim tally: reversed scores, per-group normalization, equal weight per group."""

import random
from fractions import Fraction

import pytest

from engage.priorities.tally import Ballot, points_by_group, points_for, tally

# Four questions, two unequal groups: three patients, one health professional.
BALLOTS = [
    Ballot("patients", ["A", "B", "C"]),  # A 10, B 9, C 8
    Ballot("patients", ["B", "A"]),  # B 10, A 9
    Ballot("patients", ["A", "D"]),  # A 10, D 9
    Ballot("professionals", ["C", "D", "B"]),  # C 10, D 9, B 8
]


def test_points_are_reversed():
    assert [points_for(p) for p in range(1, 11)] == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    for position in (0, 11):
        with pytest.raises(ValueError):
            points_for(position)


def test_hand_computed_example_with_two_unequal_groups():
    points = points_by_group(BALLOTS)
    # Patients: A 10+9+10 = 29, B 9+10 = 19, C 8, D 9; 65 points in all.
    assert points["patients"] == {"A": 29, "B": 19, "C": 8, "D": 9}
    # Professionals: C 10, D 9, B 8; 27 points in all.
    assert points["professionals"] == {"C": 10, "D": 9, "B": 8}

    result = tally(points, groups=["patients", "professionals"])
    assert result.group_totals == {"patients": 65, "professionals": 27}
    scores = {s.question: s for s in result.scores}
    # Each group's share, then the mean of the two shares:
    # A = (29/65 + 0) / 2 = 29/130 ≈ 0.2231
    # B = (19/65 + 8/27) / 2 = (513 + 520) / 3510 = 1033/3510 ≈ 0.2943
    # C = (8/65 + 10/27) / 2 = (216 + 650) / 3510 = 866/3510 ≈ 0.2467
    # D = (9/65 + 9/27) / 2 = (243 + 585) / 3510 = 828/3510 ≈ 0.2359
    assert scores["A"].score == Fraction(29, 130)
    assert scores["B"].score == Fraction(1033, 3510)
    assert scores["C"].score == Fraction(866, 3510)
    assert scores["D"].score == Fraction(828, 3510)
    assert scores["B"].shares == {"patients": Fraction(19, 65), "professionals": Fraction(8, 27)}
    assert scores["A"].points == {"patients": 29}
    # Summing raw points would put A first (29 > 27 > 18 = 18); normalized, B wins.
    assert [s.question for s in result.scores] == ["B", "C", "D", "A"]
    assert [s.rank for s in result.scores] == [1, 2, 3, 4]
    assert sum(s.score for s in result.scores) == 1
    assert scores["B"].percent == pytest.approx(29.43, abs=0.01)


def test_equal_weight_holds_when_one_group_is_ten_times_larger():
    # Ten patients all put X first; one professional puts Y first.
    ballots = [Ballot("patients", ["X"])] * 10 + [Ballot("professionals", ["Y"])]
    result = tally(points_by_group(ballots))
    x, y = result.score_of("X"), result.score_of("Y")
    assert x.points == {"patients": 100} and y.points == {"professionals": 10}
    assert x.score == y.score == Fraction(1, 2)


@pytest.mark.parametrize("larger", ["patients", "professionals"])
def test_a_group_ten_times_larger_changes_no_score(larger):
    before = tally(points_by_group(BALLOTS))
    grown = [b for b in BALLOTS if b.group != larger] + [
        b for b in BALLOTS if b.group == larger] * 10
    after = tally(points_by_group(grown))
    assert [(s.question, s.score) for s in after.scores] == [
        (s.question, s.score) for s in before.scores]


def test_each_group_weighs_the_same_in_random_ballots():
    rng = random.Random(5)
    questions = [f"Q{i}" for i in range(15)]
    ballots = [Ballot(rng.choice(["a", "b", "c"]), rng.sample(questions, rng.randint(1, 10)))
               for _ in range(200)]
    result = tally(points_by_group(ballots))
    assert len(result.groups) == 3
    for group in result.groups:
        contribution = sum(s.shares.get(group, 0) for s in result.scores) / len(result.groups)
        assert contribution == Fraction(1, 3)


def test_a_group_without_rankings_is_left_out():
    points = points_by_group([Ballot("patients", ["A", "B"])])
    result = tally(points, groups=["patients", "professionals"])
    assert result.groups == ("patients",)
    assert result.score_of("A").score == Fraction(10, 19)


def test_ties_go_to_more_points_then_to_the_order_key():
    # X and Y both have a quarter of the points; X received more points (10 against 5).
    result = tally({"p": {"X": 10, "Z": 10}, "h": {"Y": 5, "Z": 5}})
    assert result.score_of("X").score == result.score_of("Y").score == Fraction(1, 4)
    assert [s.question for s in result.scores] == ["Z", "X", "Y"]
    # A complete tie: the order key (the question number) decides.
    points = {"p": {"X": 10, "Y": 10}, "h": {"X": 1, "Y": 1}}
    assert [s.question for s in tally(points, order_key={"X": 2, "Y": 1}.get).scores] \
        == ["Y", "X"]


def test_group_order_and_questions_without_points():
    result = tally(points_by_group(BALLOTS), groups=["patients", "professionals"])
    assert [s.question for s in result.group_order("professionals")] == ["C", "D", "B"]
    assert [s.question for s in result.group_order("patients")] == ["A", "B", "D", "C"]
    assert result.score_of("E") is None
    assert tally({}).scores == ()


@pytest.mark.parametrize("questions", [list("ABCDEFGHIJK"), ["A", "A"]])
def test_invalid_ballots_are_refused(questions):
    with pytest.raises(ValueError):
        points_by_group([Ballot("p", questions)])
