"""Suggested themes, computed locally from French and English contributions."""

import warnings

from engage.moderation import services, suggestions
from engage.moderation.suggestions import FRENCH_STOP_WORDS, groups, keywords, stop_words
from tests.factories import consultations as builders

CORPUS = list(enumerate([
    "La fatigue a duré deux ans après la chimiothérapie. Personne ne m’avait prévenu.",
    "Une fatigue persistante après les traitements : il faut mieux préparer les patients.",
    "Le retour au travail à temps partiel m’a aidée, mais mon employeur ne savait pas.",
    "Le retour au travail est difficile : les employeurs doivent être accompagnés.",
    "Le droit à l’oubli existe mais beaucoup ne le connaissent pas.",
    "L’hôpital qui proposait l’essai était à deux heures, le transport était trop long.",
    "Les transports vers l’hôpital pour un essai clinique coûtent cher.",
    "Fatigue after treatment lasted for years and nobody warned me about the fatigue.",
], start=1))


def test_keywords_name_the_words_shared_by_several_contributions():
    found = keywords(CORPUS)
    by_label = {s.label: s.contribution_ids for s in found}
    assert by_label["fatigue"] == (1, 2, 8)
    assert by_label["travail"] == (3, 4)
    assert by_label["hôpital"] == (6, 7)
    assert not set(by_label) & (FRENCH_STOP_WORDS | {"the", "after", "and"})


def test_groups_gather_similar_contributions():
    found = {s.contribution_ids for s in groups(CORPUS)}
    assert (1, 2, 8) in found
    assert (3, 4) in found
    assert (6, 7) in found
    assert not any(5 in ids for ids in found)  # alone on its subject


def test_no_suggestion_from_too_little_text():
    assert groups(CORPUS[:2]) == []
    assert keywords([]) == []
    assert keywords([(1, "le la les de et"), (2, "the and of")]) == []


def test_the_stop_words_raise_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        keywords(CORPUS)
        groups(CORPUS)
    assert "pour" in stop_words() and "which" in stop_words()


def test_suggestions_leave_out_decided_ones_and_existing_themes(app_context):
    moderator = builders.user("moderator")
    consultation = builders.consultation("closed", author=moderator)
    author = builders.user("participant")
    for _number, text in CORPUS:
        builders.contribution(consultation, author, text)
    builders.contribution(consultation, author, "fatigue fatigue", moderation_status="hidden")
    found = suggestions.suggest(consultation.id)
    assert found.documents == len(CORPUS)
    labels = [s.label for s in found.keywords]
    assert "fatigue" in labels and "travail" in labels
    services.ignore_suggestion(moderator, consultation, "keyword:fatigue")
    builders.theme("Travail", "Work")
    again = suggestions.suggest(consultation.id)
    assert "fatigue" not in [s.label for s in again.keywords]
    assert "travail" not in [s.label for s in again.keywords]
    assert len(again.groups) >= 3
