"""Finding a passage the way a moderator means it (engage.moderation.passages): typographic
differences are tolerated, the match is the exact span of the original text."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.moderation import passages

MARK = "[X]"


def redacted(text: str, *typed: str) -> str:
    location = passages.locate(text, list(typed))
    assert not location.missing, location.missing
    return passages.replace(text, location.spans, MARK)


# Hand examples: (text, typed, the text once the typed passage is replaced)
TOLERATED = [
    # Apostrophes and single quotes: ’ ‘ ' ‛ ʼ
    ("Je vais à l’hôpital demain.", "l'hôpital", "Je vais à [X] demain."),
    ("Je vais à l'hôpital demain.", "l’hôpital", "Je vais à [X] demain."),
    ("It is ‘private’ here.", "'private'", "It is [X] here."),
    ("C‛est ici.", "C'est", "[X] ici."),
    ("Iʼm here.", "I'm", "[X] here."),
    # Double quotes: “ ” " „ and the French « » with their non-breaking spaces
    ("He said “Saint-Louis” twice.", '"Saint-Louis"', "He said [X] twice."),
    ("Une «\u00a0rechute\u00a0» en mars.", '"rechute"', "Une [X] en mars."),
    ("Une «rechute» en mars.", "« rechute »", "Une [X] en mars."),
    ("Sie sagte „nein“ dort.", '"nein"', "Sie sagte [X] dort."),
    # Dashes: ‐ ‑ ‒ – — − and the hyphen
    ("Hôpital Saint–Louis, Paris.", "Saint-Louis", "Hôpital [X], Paris."),
    ("Hôpital Saint-Louis, Paris.", "Saint—Louis", "Hôpital [X], Paris."),
    ("Stade 2 − 3 ici.", "2 - 3", "Stade [X] ici."),
    ("Un non‑dit ici.", "non-dit", "Un [X] ici."),
    # Spaces: runs, line breaks, non-breaking (U+00A0, U+202F) and thin ones
    ("Call 06\u00a012\u202f34 now.", "06 12 34", "Call [X] now."),
    ("Saint\n  Louis hospital.", "Saint Louis", "[X] hospital."),
    ("Le docteur   Martin est là.", "docteur Martin", "Le [X] est là."),
    # The French space before ; : ? ! % is optional
    ("Pourquoi moi\u202f? Je ne sais pas.", "Pourquoi moi?", "[X] Je ne sais pas."),
    ("Le dosage : 50\u00a0% de plus.", "dosage: 50%", "Le [X] de plus."),
    # Case, and letters casefold turns into two
    ("MADAME DUPONT est venue.", "Madame Dupont", "[X] est venue."),
    ("Die Straße hier.", "STRASSE", "Die [X] hier."),
    # Ligatures, the ellipsis, invisible characters, decomposed accents
    ("Mon cœur bat.", "coeur", "Mon [X] bat."),
    ("Et puis… rien.", "puis...", "Et [X] rien."),
    ("Un hôpi\u00adtal loin.", "hôpital", "Un [X] loin."),
    ("A ver\u200by long wait.", "very long", "A [X] wait."),
    ("Le cafe\u0301 est fermé.", "café", "Le [X] est fermé."),
    ("Le café est fermé.", "cafe\u0301", "Le [X] est fermé."),
    # Spaces around the typed passage do not count
    ("Un texte privé ici.", "  texte privé \u00a0", "Un [X] ici."),
]


@pytest.mark.parametrize(("text", "typed", "expected"), TOLERATED)
def test_typographic_differences_are_tolerated(text, typed, expected):
    assert redacted(text, typed) == expected


# Not found: letters, accents, digits and whole words count.
NOT_TOLERATED = [
    ("Je vais à l’hôpital demain.", "l'hopital"),  # accents are not ignored
    ("Il est où ?", "ou ?"),
    ("Paul et Pauline.", "Pauli"),  # a word is never cut
    ("Pauline est là.", "Paul"),
    ("Un numéro 0612345678.", "061234"),
    ("Un numéro 06 12 34.", "061234"),  # digit grouping is not a typographic difference
    ("Un texte.", "\u200b"),  # nothing to look for
    ("Un texte.", "   "),
    ("Die Straße.", "stras"),  # half of "ß"
]


@pytest.mark.parametrize(("text", "typed"), NOT_TOLERATED)
def test_letters_accents_and_words_count(text, typed):
    location = passages.locate(text, [typed])
    assert location.missing == (typed,)
    assert location.spans == ()


def test_every_occurrence_is_found_and_replaced():
    text = "Appelez le 06 12 34 56 78. Oui, le 06\u00a012\u00a034\u00a056\u00a078 !"
    location = passages.locate(text, ["06 12 34 56 78"])
    assert location.spans == ((11, 25), (35, 49))
    assert location.originals(location.found[0]) == [
        "06 12 34 56 78", "06\u00a012\u00a034\u00a056\u00a078"]
    assert passages.replace(text, location.spans, MARK) == "Appelez le [X]. Oui, le [X] !"


def test_overlapping_passages_become_one_span():
    text = "Suivie à l’hôpital Saint-Louis, à Paris."
    location = passages.locate(text, ["l'hôpital Saint-Louis", "Saint-Louis, à Paris"])
    assert location.spans == ((9, 39),)
    assert passages.replace(text, location.spans, MARK) == "Suivie à [X]."


def test_passages_are_reported_found_or_missing_in_their_order():
    location = passages.locate("Alice et Bob, puis Alice.", ["Carol", "alice", "BOB", "Dan"])
    assert [(f.passage, f.spans) for f in location.found] == [
        ("alice", ((0, 5), (19, 24))), ("BOB", ((9, 12),))]
    assert location.missing == ("Carol", "Dan")
    assert location.spans == ((0, 5), (9, 12), (19, 24))


def test_pieces_cut_the_text_at_the_spans():
    assert passages.pieces("abc def ghi", [(0, 3), (8, 11)]) == [
        (True, "abc"), (False, " def "), (True, "ghi")]
    assert passages.pieces("abc", []) == [(False, "abc")]


# Properties

WORDS = st.text(alphabet="aàbcéeEÉßœ0", min_size=1, max_size=6)
GAPS = st.sampled_from([" ", "\u00a0", "\u202f", "\n", "  ", " – ", ", ", "’", " « ", " » ",
                        " ? ", "…"])
VARIANTS = {"’": "'", "«": '"', "»": '"', "–": "-", "\u00a0": " ", "\u202f": " ", "…": "..."}


@st.composite
def texts(draw):
    words = draw(st.lists(WORDS, min_size=1, max_size=12))
    gaps = draw(st.lists(GAPS, min_size=len(words), max_size=len(words)))
    return "".join(word + gap for word, gap in zip(words, gaps, strict=True))


@settings(max_examples=300, deadline=None)
@given(texts(), st.text(alphabet="aàbcéeEÉßœ0 '\"-.?\u00a0’«»–", max_size=8))
def test_a_match_is_a_span_of_the_text_that_reads_as_the_passage(text, typed):
    for start, end in passages.find(text, typed):
        assert 0 <= start < end <= len(text)
        assert passages.fold_passage(text[start:end]) == passages.fold_passage(typed)


@settings(max_examples=300, deadline=None)
@given(texts(), st.data())
def test_a_passage_of_whole_words_is_found_however_typed(text, data):
    """Any run of whole words of the text, typed with straight quotes, hyphens, plain spaces
    and other capitals, is found where it is, and only the original characters go."""
    bounds = [0] + [i for i in range(1, len(text)) if text[i - 1].isalnum()
                    != text[i].isalnum()] + [len(text)]
    start, end = data.draw(st.tuples(st.sampled_from(bounds), st.sampled_from(bounds))
                           .filter(lambda pair: pair[0] < pair[1])) \
        if len(bounds) > 1 else (0, len(text))
    original = text[start:end]
    if not passages.fold_passage(original):
        return  # only spaces: nothing to look for (tested above)
    typed = "".join(VARIANTS.get(char, char) for char in original).upper()
    location = passages.locate(text, [typed])
    assert not location.missing
    # Where it is: one of the spans covers the passage, spaces around it left out.
    stripped = original.strip()
    first = start + original.index(stripped)
    assert any(s <= first < e for s, e in location.spans), (location.spans, first)
    replaced = passages.replace(text, location.spans, MARK)
    kept = "".join(piece for removed, piece in passages.pieces(text, location.spans)
                   if not removed)
    assert replaced.replace(MARK, "") == kept
    assert len(kept) == len(text) - sum(e - s for s, e in location.spans)


@given(texts(), st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=5))
def test_replacing_keeps_everything_outside_the_spans(text, cuts):
    spans = passages.merge((min(a, len(text)), min(a + n, len(text))) for a, n in cuts)
    spans = [(a, b) for a, b in spans if a < b]
    assert "".join(piece for _removed, piece in passages.pieces(text, spans)) == text
    assert passages.replace(text, spans, "") == "".join(
        char for index, char in enumerate(text) if not any(a <= index < b for a, b in spans))
