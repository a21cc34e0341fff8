"""The readability the summary editor shows, checked against values computed by hand.

Flesch reading ease = 206.835 − 1.015 × words per sentence − 84.6 × syllables per word;
Kandel–Moles = 207 − 1.015 × words per sentence − 73.6 × syllables per word.
"""

import pytest

from engage.summaries.readability import measure_summary, target


def test_english_flesch_by_hand_citations_and_markdown_left_out(app_context):
    # "Patients want trials close to home." pa-tients want tri-als close to home: 8 syllables
    # "Travel costs a lot." tra-vel costs a lot: 5 syllables. 10 words, 2 sentences.
    text = "**Patients** want trials close to home [#12]. Travel costs a lot [#3]."
    result = measure_summary(text, "en")
    assert (result.words, result.sentence_count, result.syllables) == (10, 2, 13)
    expected = 206.835 - 1.015 * 10 / 2 - 84.6 * 13 / 10  # 91.78
    assert result.score == pytest.approx(expected) == pytest.approx(91.78)
    assert result.meets_target
    assert [s.text for s in result.hardest] == ["Patients want trials close to home.",
                                                 "Travel costs a lot."]


def test_french_kandel_moles_by_hand(app_context):
    # "Le chat dort. Il fait beau.": 6 one-syllable words in 2 sentences.
    result = measure_summary("Le chat dort. Il fait beau.", "fr")
    assert (result.words, result.sentence_count, result.syllables) == (6, 2, 6)
    assert result.score == pytest.approx(207 - 1.015 * 3 - 73.6 * 1)  # 130.355
    assert result.formula == "Kandel–Moles"


def test_a_hard_french_sentence_is_below_the_target(app_context):
    # la (1) chi-mio-thé-ra-pie (5) fa-tigue (2, the final "e" is mute): 8 syllables,
    # 3 words: 207 − 1.015 × 3 − 73.6 × 8 / 3 = 207 − 3.045 − 196.267 = 7.688.
    result = measure_summary("La chimiothérapie fatigue.", "fr")
    assert (result.words, result.sentence_count, result.syllables) == (3, 1, 8)
    assert result.score == pytest.approx(207 - 1.015 * 3 - 73.6 * 8 / 3)
    assert result.score == pytest.approx(7.688, abs=0.001)
    assert not result.meets_target
    assert result.long_words == 2  # chimiothérapie, fatigue


def test_the_target_is_configurable(app, app_context, monkeypatch):
    assert target() == 60
    monkeypatch.setitem(app.config, "READABILITY_TARGET", 95)
    result = measure_summary("Patients want trials close to home. Travel costs a lot.", "en")
    assert result.target == 95 and not result.meets_target


def test_empty_text_and_unknown_language(app_context):
    assert measure_summary("", "en").score is None
    assert measure_summary("[#12]", "fr").score is None
    assert measure_summary("Hallo Welt.", "de") is None
