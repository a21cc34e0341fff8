"""The publishable questionnaire figures (engage.consultations.results) and the rule they
follow (engage.core.small_cells): groups count people, not answers; opinions are not
grouped; a fixed number of queries."""

import pytest

from engage.consultations.models import Consultation
from engage.consultations.results import OTHER, questionnaire_results
from engage.core.small_cells import grouped_keys, is_small
from engage.extensions import db
from tests.factories import stored
from tests.factories.results import answered

# grouped_keys: a plain rule, checked on its own.


@pytest.mark.parametrize(("counts", "grouped"), [
    ({"a": 7, "b": 6}, set()),  # nothing small
    ({"a": 7, "b": 3, "c": 2}, {"b", "c"}),  # 5 together: enough
    ({"a": 7, "b": 3, "c": 0}, {"a", "b"}),  # 3 alone could be worked out: the 7 joins
    ({"a": 9, "b": 6, "c": 1}, {"b", "c"}),  # the smallest other cell joins, not the largest
    ({"a": 6, "b": 6, "c": 1}, {"a", "c"}),  # on a tie, the first
    ({"a": 0, "b": 0}, set()),  # nobody: nothing to hide
])
def test_grouped_keys(counts, grouped):
    assert grouped_keys(counts) == grouped


def test_grouped_keys_count_people_not_answers():
    counts = {"a": 8, "b": 2, "c": 3}
    assert grouped_keys(counts, people_in=lambda keys: 5 if keys == {"b", "c"} else 9) \
        == {"b", "c"}
    assert grouped_keys(counts, people_in=lambda keys: 3 if keys == {"b", "c"} else 9) \
        == {"a", "b", "c"}


def test_is_small():
    assert [is_small(n) for n in (None, 0, 1, 4, 5, 6)] == [False, False, True, True, False,
                                                            False]


# The results


def _results(app, respondents, **answers):
    with stored(app):
        _moderator, consultation, _items = answered(respondents, **answers)
        consultation_id = consultation.id
    with app.test_request_context("/en/"):
        consultation = db.session.get(Consultation, consultation_id)
        results = questionnaire_results(consultation, "en")
        return results, [[o.id for o in q.options] for q in consultation.questions]


def _bars(result):
    return [(bar.key, bar.value) for bar in result.bars]


def test_a_group_counts_each_person_once(app):
    """Persons 0 and 1 chose "loans" and "work", person 2 "work": 5 answers but 3 people,
    who could be recognised: "Lasting fatigue" (10 people) joins them."""
    results, options = _results(app, 10, loans=range(0, 2), work=range(0, 3))
    multiple = results.questions[1]
    fatigue, loans, work = options[1]
    assert multiple.grouped == [fatigue, loans, work]
    assert _bars(multiple) == [(OTHER, 10)]
    assert multiple.bars[0].detail == "(100%)"


def test_distinct_people_make_a_group_of_five(app):
    results, options = _results(app, 10)  # loans: persons 0, 1; work: persons 2, 3, 4
    single, multiple, scale = results.questions
    cancer, carer, professional = options[0]
    assert _bars(single) == [(cancer, 5), (carer, 5), (professional, 0)] and not single.grouped
    fatigue, loans, work = options[1]
    assert _bars(multiple) == [(fatigue, 10), (OTHER, 5)] and multiple.grouped == [loans, work]
    assert multiple.privacy_note.startswith("To protect privacy")
    assert [bar.value for bar in scale.bars] == [0, 0, 0, 0, 10] and scale.mean == 5


def test_opinions_are_not_grouped_once_five_people_answered(app):
    """A scale asks for an opinion: the 1 person of 6 who answered 1 is shown as such,
    while the only carer is counted with the people who have had cancer."""
    results, _options = _results(app, 6, ones=range(5, 6))
    single, _multiple, scale = results.questions
    assert [bar.value for bar in scale.bars] == [1, 0, 0, 0, 5]
    assert scale.grouped == [] and scale.respondents == 6
    assert single.grouped and [bar.key for bar in single.bars] == [single.question.options[2].id,
                                                                  OTHER]


@pytest.mark.parametrize("respondents", [0, 1, 4])
def test_fewer_than_five_answers_publish_nothing(app, respondents):
    results, _options = _results(app, respondents)
    for result in results.questions:
        assert result.withheld and result.respondents is None
        assert result.bars == [] and result.grouped == [] and result.mean is None
        assert result.note == ""
        assert result.privacy_note.startswith("Fewer than 5 answers")
    assert results.responses == respondents  # the total is not a breakdown


def test_a_fixed_number_of_queries(app, count_queries):
    def queries(respondents: int) -> int:
        with stored(app):
            _moderator, consultation, _items = answered(respondents)
            consultation_id = consultation.id
        with app.test_request_context("/en/"):
            consultation = db.session.get(Consultation, consultation_id)
            consultation.questions  # noqa: B018 - loaded before counting
            with count_queries() as counter:
                questionnaire_results(consultation, "en")
        return counter.count

    assert queries(6) == queries(12) == 3
