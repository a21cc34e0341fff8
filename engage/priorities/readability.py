"""How plain the indicative questions are: moderators see the readability of each language
(the top 10 is published "in plain language")."""

from engage.core.readability import SUPPORTED_LANGUAGES, Readability, measure


def question_readability(question) -> list[tuple[str, Readability]]:
    """(language, readability of the question and its explanation), French first."""
    rows = sorted(question.translations, key=lambda t: (t.language != "fr", t.language))
    return [
        (row.language, measure("\n".join(filter(None, (row.text, row.explanation))),
                               row.language))
        for row in rows if row.language in SUPPORTED_LANGUAGES
    ]
