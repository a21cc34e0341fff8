"""Suggested themes for a consultation, computed on this server: contributions may hold
health data, so no text ever leaves it.

- Keywords: the words and pairs of words that weigh most in the contributions
  (TF-IDF, scikit-learn), with the contributions that use them.
- Groups: contributions that use the same words (agglomerative clustering on cosine
  distances between their TF-IDF vectors), named by their most telling words.

French and English texts are mixed in one consultation: both stop-word lists apply.
Moderators accept a suggestion (it becomes a theme given to its contributions) or ignore
it; either way it is not proposed again (`ThemeSuggestion`).
"""

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import select

from engage.consultations.models import Contribution, Theme
from engage.core.markdown import plain_text
from engage.extensions import db
from engage.moderation.models import ThemeSuggestion

MAX_DOCUMENTS = 2000
MAX_KEYWORDS = 8
MAX_GROUPS = 6
GROUP_DISTANCE = 0.85  # cosine distance under which contributions are grouped
TOKEN_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"  # noqa: S105 - a regular expression

# Common French words that say nothing about a theme (articles, pronouns, auxiliaries,
# conjunctions, frequent adverbs). Short on purpose: words of fewer than 3 letters are
# never counted anyway.
FRENCH_STOP_WORDS = frozenset([
    "afin", "ainsi", "alors", "après", "assez", "au", "aucun", "aucune", "aussi", "autre",
    "autres", "aux", "avait", "avant", "avec", "avez", "avoir", "avons", "ayant", "beaucoup",
    "bien", "car", "ceci", "cela", "celle", "celles", "celui", "cependant", "certain", "certaines",
    "certains", "ces", "cet", "cette", "ceux", "chaque", "chez", "comme", "comment", "dans", "des",
    "donc", "dont", "doit", "doivent", "elle", "elles", "encore", "entre", "est", "été", "étaient",
    "était", "être", "eux", "faire", "fait", "faut", "fois", "font", "hors", "ici", "ils",
    "jamais", "les", "leur", "leurs", "lors", "lorsque", "mais", "malgré", "même", "mêmes", "mes",
    "mien", "moi", "moins", "mon", "très", "nos", "notre", "nous", "non", "ont", "oui", "par",
    "parce", "parfois", "pas", "pendant", "peu", "peut", "peuvent", "plus", "plusieurs", "pour",
    "pourquoi", "pourrait", "pourraient", "puis", "quand", "que", "quel", "quelle", "quelles",
    "quels", "qui", "quoi", "sans", "sauf", "selon", "ses", "seul", "seule", "seulement", "sera",
    "serait", "seraient", "sont", "souvent", "suis", "sur", "tant", "tel", "telle", "tellement",
    "toi", "ton", "tous", "tout", "toute", "toutes", "trop", "une", "uns", "vers", "vos", "votre",
    "vous", "vraiment", "depuis", "déjà", "aujourd", "hui", "sommes", "êtes", "avaient", "aura",
    "auront", "aurait", "auraient", "été", "étant", "fut", "sans", "soit", "sont", "leur", "lui",
    "nôtre", "vôtre", "chacun", "chacune", "cas", "chose", "choses", "faire", "fais", "fait",
    "faits", "falloir", "faudrait", "permet", "permettre", "pouvoir", "possible", "personne",
    "personnes", "etc", "deux", "trois", "quatre", "cinq", "dix"
])


def stop_words() -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return sorted(FRENCH_STOP_WORDS | set(ENGLISH_STOP_WORDS))


@dataclass(frozen=True)
class Suggestion:
    key: str
    kind: str  # "keyword" or "group"
    label: str  # the keyword, or the group's telling words
    contribution_ids: tuple[int, ...]

    @property
    def ids_value(self) -> str:
        return ",".join(str(i) for i in self.contribution_ids)


@dataclass(frozen=True)
class Suggestions:
    keywords: tuple[Suggestion, ...]
    groups: tuple[Suggestion, ...]
    documents: int

    @property
    def empty(self) -> bool:
        return not self.keywords and not self.groups


def _documents(consultation_id: int) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Contribution.id, Contribution.body)
        .where(Contribution.consultation_id == consultation_id, Contribution.visible_clause())
        .order_by(Contribution.id.desc()).limit(MAX_DOCUMENTS)
    ).all()
    documents = [(row.id, plain_text(row.body)) for row in rows]
    return sorted((d for d in documents if re.search(TOKEN_PATTERN, d[1])), key=lambda d: d[0])


def group_key(ids) -> str:
    digest = hashlib.sha1(",".join(str(i) for i in sorted(ids)).encode(),
                          usedforsecurity=False).hexdigest()
    return f"group:{digest[:16]}"


def keyword_key(term: str) -> str:
    return f"keyword:{term}"[:200]


def _vectorizer(count: int, ngrams: tuple[int, int]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        lowercase=True, token_pattern=TOKEN_PATTERN, stop_words=stop_words(),
        ngram_range=ngrams, min_df=2 if count >= 4 else 1, sublinear_tf=True,
    )


def keywords(documents: list[tuple[int, str]], limit: int = MAX_KEYWORDS) -> list[Suggestion]:
    if not documents:
        return []
    vectorizer = _vectorizer(len(documents), (1, 2))
    try:
        matrix = vectorizer.fit_transform([text for _id, text in documents])
    except ValueError:  # nothing left once stop words are removed
        return []
    terms = vectorizer.get_feature_names_out()
    weights = matrix.sum(axis=0).A1
    order = sorted(range(len(terms)), key=lambda i: (-weights[i], terms[i]))
    chosen: list[Suggestion] = []
    taken: list[set[str]] = []
    column_view = matrix.tocsc()
    for index in order:
        term = str(terms[index])
        words = set(term.split())
        if any(words <= other or other <= words for other in taken):
            continue
        rows = column_view[:, index].nonzero()[0]
        ids = tuple(sorted(documents[row][0] for row in rows))
        if len(ids) < 2 and len(documents) >= 4:
            continue
        chosen.append(Suggestion(keyword_key(term), "keyword", term, ids))
        taken.append(words)
        if len(chosen) >= limit:
            break
    return chosen


def groups(documents: list[tuple[int, str]], limit: int = MAX_GROUPS) -> list[Suggestion]:
    if len(documents) < 3:
        return []
    vectorizer = _vectorizer(len(documents), (1, 1))
    try:
        matrix = vectorizer.fit_transform([text for _id, text in documents])
    except ValueError:
        return []
    keep = [row for row in range(matrix.shape[0]) if matrix[row].nnz]
    if len(keep) < 3:
        return []
    from sklearn.cluster import AgglomerativeClustering

    dense = matrix[keep].toarray()
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=GROUP_DISTANCE,
    ).fit_predict(dense)
    terms = vectorizer.get_feature_names_out()
    found = []
    for label in sorted(set(labels)):
        members = [keep[i] for i, value in enumerate(labels) if value == label]
        if len(members) < 2 or len(members) == len(documents):
            continue
        centre = dense[[keep.index(m) for m in members]].mean(axis=0)
        top = [str(terms[i]) for i in centre.argsort()[::-1][:3] if centre[i] > 0]
        ids = tuple(sorted(documents[m][0] for m in members))
        found.append(Suggestion(group_key(ids), "group", ", ".join(top), ids))
    found.sort(key=lambda s: (-len(s.contribution_ids), s.label))
    return found[:limit]


def decided_keys(consultation_id: int) -> set[str]:
    return set(db.session.scalars(
        select(ThemeSuggestion.key).where(ThemeSuggestion.consultation_id == consultation_id)
    ))


def theme_labels() -> set[str]:
    return {t.label.casefold() for theme in db.session.scalars(select(Theme))
            for t in theme.translations}


def suggest(consultation_id: int) -> Suggestions:
    documents = _documents(consultation_id)
    decided = decided_keys(consultation_id)
    existing = theme_labels()
    found_keywords = tuple(s for s in keywords(documents)
                           if s.key not in decided and s.label.casefold() not in existing)
    found_groups = tuple(s for s in groups(documents) if s.key not in decided)
    return Suggestions(found_keywords, found_groups, len(documents))
