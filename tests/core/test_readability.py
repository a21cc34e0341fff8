"""Readability scores, checked against values computed by hand."""

import sys

import pytest

from engage.core import readability
from engage.core.readability import count_syllables, level_of, measure, split_sentences


@pytest.mark.parametrize(("word", "syllables"), [
    ("chat", 1), ("étude", 2), ("après", 2), ("une", 1), ("malades", 2), ("hôpital", 3),
    ("l’hôpital", 3), ("aujourd’hui", 3), ("jusqu’à", 2), ("qui", 1), ("question", 2),
    ("peut-être", 2), ("chimiothérapie", 5), ("lisibilité", 5), ("traitement", 3),
    ("oiseau", 2), ("idée", 2),
])
def test_french_syllables_are_counted_as_spoken(word, syllables):
    assert count_syllables(word, "fr") == syllables


@pytest.mark.parametrize(("word", "syllables"), [
    # The u of "gu" and "qu" is not sounded, and the final "e" is mute.
    ("fatigue", 2), ("fatigues", 2), ("langue", 1), ("catalogue", 3), ("drogue", 1),
    ("banque", 1), ("pratique", 2), ("publiques", 2), ("ambiguë", 3),
])
def test_french_gue_and_que_endings_are_counted_as_spoken(word, syllables):
    assert count_syllables(word, "fr") == syllables


@pytest.mark.parametrize(("word", "syllables"), [
    ("the", 1), ("cat", 1), ("patients", 2), ("understand", 3), ("research", 2),
    ("readability", 5), ("patient's", 2), ("well-being", 3),
])
def test_english_syllables_come_from_the_pronouncing_dictionary(word, syllables):
    assert count_syllables(word, "en") == syllables


def test_unknown_english_words_fall_back_to_hyphenation_offline():
    assert count_syllables("oncopatientology", "en") >= 3
    assert "nltk" not in sys.modules


def test_kandel_moles_by_hand():
    # 6 words, 6 syllables, 2 sentences: 207 − 1.015 × 3 − 73.6 × 1.
    result = measure("Le chat dort. Il fait beau.", "fr")
    assert result.formula == "Kandel–Moles"
    assert (result.words, result.syllables, result.sentence_count) == (6, 6, 2)
    assert result.score == pytest.approx(207 - 1.015 * 3 - 73.6 * 1)  # 130.355
    assert result.words_per_sentence == 3
    assert result.long_words == 0


def test_kandel_moles_on_a_lay_sentence_by_hand():
    text = ("Cette étude teste un nouveau traitement. "
            "Les malades pourront mieux vivre après leur cancer.")
    result = measure(text, "fr")
    # Cet·te é·tude tes·te un nou·veau trai·te·ment: 6 words, 10 syllables.
    # Les ma·lades pour·ront mieux vivre a·près leur can·cer: 8 words, 12 syllables.
    assert (result.words, result.syllables, result.sentence_count) == (14, 22, 2)
    assert result.score == pytest.approx(207 - 1.015 * 7 - 73.6 * 22 / 14)  # 84.2379
    assert result.score == pytest.approx(84.2379, abs=1e-4)
    # More than six letters: nouveau, traitement, malades, pourront.
    assert result.long_words == 4
    assert result.long_word_share == pytest.approx(4 / 14)
    first, second = result.sentences
    assert first.score == pytest.approx(207 - 1.015 * 6 - 73.6 * 10 / 6)  # 78.24
    assert second.score == pytest.approx(207 - 1.015 * 8 - 73.6 * 12 / 8)  # 88.48
    assert result.hardest[0].text == "Cette étude teste un nouveau traitement."
    assert result.level == "easy" and result.meets_target


def test_flesch_by_hand():
    result = measure("The cat sat on the mat. Patients understand research.", "en")
    assert result.formula == "Flesch reading ease"
    # 9 words, 6 + 7 syllables, 2 sentences: 206.835 − 1.015 × 4.5 − 84.6 × 13 / 9.
    assert (result.words, result.syllables, result.sentence_count) == (9, 13, 2)
    assert result.score == pytest.approx(206.835 - 1.015 * 4.5 - 84.6 * 13 / 9)  # 80.0675
    assert result.hardest[0].text == "Patients understand research."
    assert result.hardest[0].score == pytest.approx(206.835 - 1.015 * 3 - 84.6 * 7 / 3)


def test_target_and_levels():
    hard = measure("Pharmacogenomic stratification necessitates multidisciplinary "
                   "collaboration.", "en", target=70)
    assert hard.score < 0 and not hard.meets_target
    assert hard.level == "very_difficult" and hard.level_label == "Very difficult to read"
    assert hard.hardest == ()  # a single sentence is not ranked
    assert [level_of(s) for s in (95, 85, 75, 65, 55, 35, 10)] == [
        "very_easy", "easy", "fairly_easy", "standard", "fairly_difficult", "difficult",
        "very_difficult"]


def test_sentences_split_on_punctuation_and_line_breaks():
    text = "Première phrase ! Deuxième ?\n- un point de liste\n\n12 345. Fin…"
    assert split_sentences(text) == [
        "Première phrase !", "Deuxième ?", "- un point de liste", "Fin…"]


def test_empty_text_and_unknown_language():
    empty = measure("  12 ", "fr")
    assert empty.score is None and empty.words == 0 and not empty.meets_target
    assert empty.level is None and empty.words_per_sentence == 0
    with pytest.raises(ValueError):
        measure("Hallo Welt.", "de")
    assert set(readability.SUPPORTED_LANGUAGES) == {"fr", "en"}
