"""Suggested themes for a consultation: the phrases its contributions share, computed on this
server (contributions may hold health data: no text ever leaves it).

The rule, the same wherever it is applied (the suggestions page, and the server when a
moderator applies one):

- the texts are the consultation's visible contributions (published, not deleted), without
  their Markdown and without the markers of removed passages;
- a phrase is 2 or 3 words in a row inside one sentence (punctuation ends it); neither end
  is a stop word (engage.moderation.stop_words) nor shorter than 3 letters; a 3-word phrase
  may hold a stop word in its middle (“droit à l’oubli”); elided articles (l’, d’, qu’…)
  are cut from their word;
- words are compared folded (lower case, no accents, “œ” as “oe”) and without a final
  plural “s” or “x”; the phrase is shown as people wrote it most often;
- a phrase is suggested when at least 2 contributions hold it; the most covering first;
  on a tie, the one with more words that are not stop words, then the shorter; of two
  overlapping phrases (sharing a word) that cover exactly the same contributions, only the
  first is kept (so a 2-word phrase inside a 3-word one with the same contributions is
  dropped: “essai clinique” inside “essai clinique randomisé”);
- phrases a moderator ignored are not suggested again (`ThemeSuggestion`), nor phrases
  already given as a theme of that name to every contribution that holds them.

Linear in the length of the texts: one pass to count, one over the chosen phrases'
contributions to find how they were written.
"""

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import select

from engage.consultations.models import Contribution, Theme
from engage.core.markdown import plain_text
from engage.core.search import fold
from engage.extensions import db
from engage.moderation import stop_words
from engage.moderation.models import ContributionTheme, ThemeSuggestion

MAX_DOCUMENTS = 5000  # the newest, on a consultation that would hold more
MAX_SUGGESTIONS = 15
MIN_CONTRIBUTIONS = 2
MIN_LETTERS = 3
KEY_PREFIX = "phrase:"

_WORD = re.compile(r"[^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*")
_APOSTROPHES = re.compile(r"['’ʼ]")
_BRACKETS = re.compile(r"\[[^\]\n]*\]")  # “[passage removed by moderation]”


def _folded(text: str) -> frozenset[str]:
    return frozenset(fold(_APOSTROPHES.sub("'", word)) for word in text.split())


STOP_WORDS = _folded(stop_words.FRENCH) | _folded(stop_words.ENGLISH)
ELISIONS = stop_words.ELISIONS


class Token(NamedTuple):
    key: str  # folded, without a final plural mark
    content: bool  # may begin or end a phrase
    start: int
    end: int
    segment: int  # words of one sentence share it


def _stem(word: str) -> str:
    if len(word) >= 4 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


@lru_cache(maxsize=100_000)
def _word(word: str) -> tuple[str, bool, int, int]:
    """(key, content, where it begins and ends in `word`): the same word is met often."""
    folded = fold(_APOSTROPHES.sub("'", word))
    if "'" in folded and folded not in STOP_WORDS:
        head, _, tail = folded.partition("'")
        if head in ELISIONS:  # l'hôpital: the word begins after the apostrophe
            key, content, start, end = _word(word[len(head) + 1:])
            return key, content, start + len(head) + 1, end + len(head) + 1
        if tail == "s":  # the patient's: the patient
            return _word(word[:len(head)])
    content = (folded not in STOP_WORDS and "'" not in folded
               and sum(c.isalpha() for c in folded) >= MIN_LETTERS)
    return (_stem(folded) if content else folded), content, 0, len(word)


def tokens(text: str) -> list[Token]:
    """The words of a plain text, numbered by sentence."""
    found: list[Token] = []
    segment, last_end = 0, 0
    for match in _WORD.finditer(text):
        begin = match.start()
        if begin > last_end:
            gap = text[last_end:begin]
            if gap.strip() or "\n" in gap:
                segment += 1
        last_end = match.end()
        key, content, start, end = _word(match.group())
        found.append(Token(key, content, begin + start, begin + end, segment))
    return found


def ngrams(found: list[Token]) -> Iterator[tuple[str, int, int]]:
    """(key, start, end) of every phrase of 2 or 3 words in a row."""
    for index, first in enumerate(found):
        if not first.content:
            continue
        for size in (2, 3):
            if index + size > len(found):
                break
            last = found[index + size - 1]
            if last.segment != first.segment or not last.content:
                continue
            key = " ".join(t.key for t in found[index:index + size])
            yield key, first.start, last.end


def clean(body: str | None) -> str:
    """The text phrases are read from: no Markdown, no marker of a removed passage."""
    return _BRACKETS.sub(" . ", plain_text(body))


def phrase_key(text: str) -> str:
    """The key of a phrase or of a theme's name, as the rule compares them."""
    return " ".join(t.key for t in tokens(clean(text)))


def digest(ids: Iterable[int]) -> str:
    """A short fingerprint of a set of contributions: what the moderator saw."""
    joined = ",".join(str(i) for i in sorted(ids))
    return hashlib.sha1(joined.encode(), usedforsecurity=False).hexdigest()[:16]


@dataclass(frozen=True)
class Document:
    id: int
    text: str
    language: str | None


@dataclass(frozen=True)
class Phrase:
    key: str  # "phrase:" and the folded words
    text: str  # as written most often
    language: str | None  # the language most of its contributions were written in
    contribution_ids: tuple[int, ...]
    theme_id: int | None = None  # the theme of that name, if there is one
    themed: int = 0  # how many of its contributions have that theme already

    @property
    def count(self) -> int:
        return len(self.contribution_ids)

    @property
    def digest(self) -> str:
        return digest(self.contribution_ids)

    @property
    def theme_label(self) -> str:
        """The name of the theme it would create: the phrase, with a capital letter."""
        return (self.text[:1].upper() + self.text[1:])[:80]


@dataclass(frozen=True)
class Suggestions:
    phrases: tuple[Phrase, ...]
    documents: int

    @property
    def empty(self) -> bool:
        return not self.phrases


def documents(consultation_id: int) -> list[Document]:
    rows = db.session.execute(
        select(Contribution.id, Contribution.body, Contribution.language)
        .where(Contribution.consultation_id == consultation_id, Contribution.visible_clause())
        .order_by(Contribution.id.desc()).limit(MAX_DOCUMENTS)
    ).all()
    return sorted((Document(row.id, clean(row.body), row.language) for row in rows),
                  key=lambda d: d.id)


def coverage(docs: list[Document]) -> dict[str, list[int]]:
    """Every phrase and the contributions holding it (ids in ascending order)."""
    found: dict[str, list[int]] = defaultdict(list)
    for doc in docs:
        for key, _start, _end in ngrams(tokens(doc.text)):
            ids = found[key]
            if not ids or ids[-1] != doc.id:
                ids.append(doc.id)
    return found


def _words(key: str) -> frozenset[str]:
    """The words of a phrase that are not stop words: both ends, and its middle if it is
    one of those."""
    words = key.split()
    return frozenset(word for index, word in enumerate(words)
                     if index in (0, len(words) - 1) or word not in STOP_WORDS)


def rank(found: dict[str, list[int]], skip: Collection[str] = (),
         limit: int | None = None) -> list[tuple[str, tuple[int, ...]]]:
    """The phrases to suggest, best first: (key, contribution ids)."""
    candidates = sorted(
        (-len(ids), -len(words), key.count(" "), key, words, ids)
        for key, ids, words in ((key, ids, _words(key)) for key, ids in found.items()
                                if len(ids) >= MIN_CONTRIBUTIONS)
        if KEY_PREFIX + key not in skip)
    chosen: list[tuple[str, tuple[int, ...]]] = []
    kept: dict[tuple[int, ...], list[frozenset[str]]] = defaultdict(list)
    for *_order, key, words, id_list in candidates:
        ids = tuple(id_list)
        if any(words & other for other in kept[ids]):
            continue  # overlaps a better phrase that covers the same contributions
        kept[ids].append(words)
        chosen.append((key, ids))
        if limit is not None and len(chosen) >= limit:
            break
    return chosen


def _written(docs: list[Document], keys: set[str]) -> dict[str, str]:
    """How each phrase was written most often (the first way, on a tie)."""
    forms: dict[str, Counter] = {key: Counter() for key in keys}
    for doc in docs:
        for key, start, end in ngrams(tokens(doc.text)):
            if key in forms:
                forms[key][" ".join(doc.text[start:end].split())] += 1
    # On a tie, a form inside a sentence rather than at its start (“Retour au travail”).
    return {key: max(counter, key=lambda form: (counter[form], form[:1].islower()))
            for key, counter in forms.items() if counter}


def _language(docs_by_id: dict[int, Document], ids: tuple[int, ...]) -> str | None:
    counts = Counter(docs_by_id[i].language for i in ids if docs_by_id[i].language)
    return counts.most_common(1)[0][0] if counts else None


def _phrase(key: str, ids: tuple[int, ...], by_id: dict[int, Document],
            written: dict[str, str], theme: tuple[int | None, int] = (None, 0)) -> Phrase:
    return Phrase(KEY_PREFIX + key, written.get(key, key), _language(by_id, ids), ids, *theme)


def phrases(docs: list[Document], skip: Collection[str] = (),
            limit: int | None = MAX_SUGGESTIONS) -> list[Phrase]:
    """The suggested phrases of these texts, themes left aside."""
    chosen = rank(coverage(docs), skip, limit)
    by_id = {doc.id: doc for doc in docs}
    written = _written_for(chosen, by_id)
    return [_phrase(key, ids, by_id, written) for key, ids in chosen]


def _written_for(chosen: list[tuple[str, tuple[int, ...]]],
                 by_id: dict[int, Document]) -> dict[str, str]:
    needed = sorted({i for _key, ids in chosen for i in ids})
    return _written([by_id[i] for i in needed], {key for key, _ids in chosen})


def decided_keys(consultation_id: int) -> set[str]:
    return set(db.session.scalars(
        select(ThemeSuggestion.key).where(ThemeSuggestion.consultation_id == consultation_id)
    ))


def themes_by_key() -> dict[str, int]:
    """Every theme under the key of each of its names."""
    found: dict[str, int] = {}
    for theme in db.session.scalars(select(Theme).order_by(Theme.id)):
        for translation in theme.translations:
            found.setdefault(phrase_key(translation.label), theme.id)
    return found


def _themes_of(consultation_id: int) -> dict[int, set[int]]:
    tags: dict[int, set[int]] = defaultdict(set)
    rows = db.session.execute(
        select(ContributionTheme.contribution_id, ContributionTheme.theme_id)
        .join(Contribution, Contribution.id == ContributionTheme.contribution_id)
        .where(Contribution.consultation_id == consultation_id))
    for contribution_id, theme_id in rows:
        tags[contribution_id].add(theme_id)
    for contribution_id, chosen in db.session.execute(
            select(Contribution.id, Contribution.theme_id).where(
                Contribution.consultation_id == consultation_id,
                Contribution.theme_id.is_not(None))):
        if chosen is not None:  # the author's choice
            tags[contribution_id].add(chosen)
    return tags


def _theme_of(key: str, ids: tuple[int, ...], themes: dict[str, int],
              tags: dict[int, set[int]]) -> tuple[int | None, int]:
    """The theme named like the phrase, and how many of its contributions have it."""
    theme_id = themes.get(key)
    if theme_id is None:
        return None, 0
    return theme_id, sum(1 for i in ids if theme_id in tags.get(i, ()))


def suggest(consultation_id: int, limit: int = MAX_SUGGESTIONS) -> Suggestions:
    """The phrases to suggest on a consultation; a fixed number of queries."""
    docs = documents(consultation_id)
    themes, tags = themes_by_key(), _themes_of(consultation_id)
    useful: list[tuple[str, tuple[int, ...], tuple[int | None, int]]] = []
    for key, ids in rank(coverage(docs), decided_keys(consultation_id)):
        theme = _theme_of(key, ids, themes, tags)
        if theme[0] is None or theme[1] < len(ids):  # else: nothing left to do
            useful.append((key, ids, theme))
            if len(useful) >= limit:
                break
    by_id = {doc.id: doc for doc in docs}
    written = _written_for([(key, ids) for key, ids, _theme in useful], by_id)
    return Suggestions(tuple(_phrase(key, ids, by_id, written, theme)
                             for key, ids, theme in useful), len(docs))


def find(consultation_id: int, key: str) -> Phrase | None:
    """The phrase of this key on the consultation now, with the contributions that hold it
    (recomputed by the same rule: never from what a form sent)."""
    if not key.startswith(KEY_PREFIX):
        return None
    bare = key.removeprefix(KEY_PREFIX)
    docs = documents(consultation_id)
    ids = tuple(coverage(docs).get(bare, []))
    if len(ids) < MIN_CONTRIBUTIONS:
        return None
    by_id = {doc.id: doc for doc in docs}
    theme = _theme_of(bare, ids, themes_by_key(), _themes_of(consultation_id))
    return _phrase(bare, ids, by_id, _written_for([(bare, ids)], by_id), theme)
