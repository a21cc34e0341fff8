"""Suggested themes: phrases the contributions share, in French and English, computed
locally (engage.moderation.suggestions)."""

from engage.extensions import db
from engage.moderation import services, suggestions
from engage.moderation.models import ContributionTheme
from engage.moderation.suggestions import Document, phrase_key, phrases
from tests.factories import consultations as builders

CORPUS = [
    "La fatigue a duré deux ans après la chimiothérapie. Personne ne m’avait prévenu.",
    "Une fatigue persistante après les traitements : il faut mieux préparer les patients.",
    "Le retour au travail à temps partiel m’a aidée, mais mon employeur ne savait pas.",
    "Le retour au travail est difficile : les employeurs doivent être accompagnés.",
    "Le droit à l’oubli existe mais beaucoup ne le connaissent pas.",
    "L’hôpital qui proposait l’essai était à deux heures, le transport était trop long.",
    "Les transports vers l’hôpital pour un essai clinique coûtent cher.",
    "Fatigue after treatment lasted for years and nobody warned me about the fatigue.",
    "Le Droit à l'oubli devrait être connu. Retour au travail à temps partiel, aussi.",
    "Des essais cliniques trop loin. The patient's quality of life matters.",
    "Quality of life after treatment; and fatigue after treatment.",
]


def documents(texts, language="fr"):
    return [Document(number, text, language) for number, text in enumerate(texts, start=1)]


def found(texts) -> list[tuple[str, tuple[int, ...]]]:
    return [(p.text, p.contribution_ids) for p in phrases(documents(texts))]


def test_phrases_shared_by_several_contributions_most_shared_first():
    assert found(CORPUS) == [
        ("retour au travail", (3, 4, 9)),
        ("essai clinique", (7, 10)),  # "essais cliniques" too: plurals do not matter
        ("temps partiel", (3, 9)),  # "travail à temps" overlaps it on the same contributions
        ("droit à l’oubli", (5, 9)),  # elision cut; shown as written most often
        ("fatigue after treatment", (8, 11)),
        ("quality of life", (10, 11)),
    ]


def test_a_phrase_needs_two_contributions():
    assert found(["La prise en charge, la prise en charge, encore la prise en charge.",
                  "Rien à voir."]) == []
    assert found(["Une prise en charge rapide.", "Ma prise en charge."]) == [
        ("prise en charge", (1, 2))]


def test_stop_words_of_both_languages_never_begin_or_end_a_phrase():
    texts = ["Parler de la douleur chronique et of the pain.",
             "De la douleur chronique, of the pain again."]
    assert found(texts) == [("douleur chronique", (1, 2))]


def test_case_accents_and_elision_are_ignored_for_matching_but_shown_as_written():
    texts = ["L’Hôpital public est loin.", "l'hopital public, encore.",
             "Un hôpital public près d’ici.", "Notre hôpital public."]
    assert found(texts) == [("hôpital public", (1, 2, 3, 4))]
    assert phrase_key("L’Hôpital PUBLIC") == phrase_key("hopital publics") == "hopital public"


def test_a_2_word_phrase_inside_a_3_word_one_with_the_same_contributions_is_dropped():
    texts = ["Un essai clinique randomisé.", "Cet essai clinique randomisé, enfin."]
    assert found(texts) == [("essai clinique randomisé", (1, 2))]
    # With a third contribution it covers more: both are kept, the more covering first.
    assert found([*texts, "Un essai clinique ailleurs."]) == [
        ("essai clinique", (1, 2, 3)), ("essai clinique randomisé", (1, 2))]


def test_punctuation_and_removed_passages_break_phrases():
    texts = ["Le travail. Soins de support.", "Du travail ; soins palliatifs.",
             "[passage supprimé par la modération] et [passage supprimé par la modération]"]
    assert found(texts) == []


def test_numbers_break_phrases():
    texts = ["Suivi 2 fois par an, suivi psychologique.", "Un suivi psychologique régulier."]
    assert found(texts) == [("suivi psychologique", (1, 2))]


def test_the_suggestions_of_a_consultation(app_context):
    moderator = builders.user("moderator")
    consultation = builders.consultation("closed", author=moderator)
    author = builders.user("participant")
    languages = ["fr"] * 7 + ["en", "fr", "fr", "en"]
    items = [builders.contribution(consultation, author, text, language=language)
             for text, language in zip(CORPUS, languages, strict=True)]
    # Hidden, deleted or elsewhere: not counted.
    builders.contribution(consultation, author, "Essai clinique.", moderation_status="hidden")
    other = builders.consultation("closed", author=moderator)
    builders.contribution(other, author, "Un essai clinique.")
    found_now = suggestions.suggest(consultation.id)
    assert found_now.documents == len(CORPUS)
    shown = {p.text: p for p in found_now.phrases}
    assert shown["essai clinique"].contribution_ids == (items[6].id, items[9].id)
    assert shown["essai clinique"].theme_label == "Essai clinique"
    assert shown["fatigue after treatment"].language == "en"
    assert shown["droit à l’oubli"].language == "fr"

    # Ignored: not again. Given as a theme of that name to all its contributions: nothing
    # left to do.
    services.ignore_suggestion(moderator, consultation, "phrase:quality of life")
    work = builders.theme("Retour au travail", "Back to work")
    for item in (items[2], items[3]):
        db.session.add(ContributionTheme(contribution_id=item.id, theme_id=work.id))
    db.session.flush()
    again = {p.text: p for p in suggestions.suggest(consultation.id).phrases}
    assert "quality of life" not in again
    assert (again["retour au travail"].theme_id, again["retour au travail"].themed) == (work.id, 2)
    items[8].theme_id = work.id  # the third one, by its author's choice
    db.session.flush()
    assert "retour au travail" not in {p.text for p in suggestions.suggest(consultation.id).phrases}


def test_find_recomputes_a_phrase_from_the_contributions(app_context):
    moderator = builders.user("moderator")
    consultation = builders.consultation("open", author=moderator)
    author = builders.user("participant")
    first = builders.contribution(consultation, author, "Le retour au travail.")
    assert suggestions.find(consultation.id, "phrase:retour au travail") is None  # only one
    second = builders.contribution(consultation, author, "Un RETOUR au travail !")
    phrase = suggestions.find(consultation.id, "phrase:retour au travail")
    assert phrase.contribution_ids == (first.id, second.id)
    assert phrase.digest == suggestions.digest([second.id, first.id])
    assert suggestions.find(consultation.id, "retour au travail") is None  # not a phrase key
