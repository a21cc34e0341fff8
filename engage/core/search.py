"""Full-text search that gives the same results on SQLite and PostgreSQL.

Both databases index the same text: the words of a document, folded by
`normalize` (lower case, accents removed, punctuation turned into spaces), kept
in a `search_text` column by the model. Because that text is nothing but words
separated by spaces, SQLite's FTS5 `unicode61` tokenizer and PostgreSQL's parser
with the `simple` configuration (no stemming, no stop words, no unaccent
extension needed) cut it into the same tokens. A query is folded the same way and
every word must match the beginning of a word of the document (prefix search,
AND between words), on both databases.

- SQLite: an external-content FTS5 table `<table>_fts` over `search_text`, kept in
  sync by three triggers on the table.
- PostgreSQL: a GIN index on `to_tsvector('simple', search_text)`; PostgreSQL keeps
  it in sync by itself.

Snippets are cut in Python from the original text (`snippet`), so that they are
the same on both databases and safely escaped.

The DDL of each area's indexed tables is kept as module-level constants (for the
Alembic migrations) and attached to the tables so that `db.create_all()` creates it.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from markupsafe import Markup, escape
from sqlalchemy import DDL, Integer, Table, column, event, text
from sqlalchemy.sql.elements import ColumnElement, TextClause

MAX_QUERY_TERMS = 8
MAX_QUERY_LENGTH = 200
_WORD = re.compile(r"[^\W_]+")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
# Letters that are not "a letter plus an accent" in Unicode, folded by hand.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ß": "ss",
                            "þ": "th", "ð": "d", "ı": "i"})


def fold(word: str) -> str:
    """Lower case, without accents: "Œuvre" → "oeuvre", "Accès" → "acces"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LIGATURES)


def normalize(text: str | None) -> str:
    """The folded words of `text`, separated by single spaces: what is indexed."""
    if not text:
        return ""
    return " ".join(_WORD.findall(fold(text)))


def query_terms(query: str | None) -> list[str]:
    """The words searched for: folded, without duplicates; single letters are ignored."""
    terms: list[str] = []
    for word in normalize((query or "")[:MAX_QUERY_LENGTH]).split():
        if (len(word) > 1 or word.isdigit()) and word not in terms:
            terms.append(word)
    return terms[:MAX_QUERY_TERMS]


def fts5_query(terms: Sequence[str]) -> str:
    """FTS5 MATCH syntax: every term as a quoted prefix (terms hold only letters and digits)."""
    return " AND ".join(f'"{term}"*' for term in terms)


def tsquery(terms: Sequence[str]) -> str:
    """PostgreSQL to_tsquery syntax: every term as a prefix."""
    return " & ".join(f"{term}:*" for term in terms)


def matches(search_text: str, terms: Sequence[str]) -> bool:
    """What the databases do, in Python: every term begins a word of the text."""
    words = search_text.split()
    return all(any(word.startswith(term) for word in words) for term in terms)


def fulltext_match(table_name: str, id_column, dialect_name: str,
                   terms: Sequence[str]) -> ColumnElement[bool] | TextClause:
    """A WHERE clause: the row of `table_name` whose id is `id_column` matches `terms`."""
    table_name = _identifier(table_name)
    if dialect_name == "sqlite":
        fts = f"{table_name}_fts"
        matching = text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :match_{table_name}")  # noqa: S608
        matching = matching.bindparams(**{f"match_{table_name}": fts5_query(terms)})
        return id_column.in_(matching.columns(column("rowid", Integer)))
    if dialect_name == "postgresql":
        # Written exactly as in the index, so that PostgreSQL uses it.
        return text(
            f"to_tsvector('simple', {table_name}.search_text) "
            f"@@ to_tsquery('simple', :match_{table_name})"
        ).bindparams(**{f"match_{table_name}": tsquery(terms)})
    raise NotImplementedError(f"full-text search is not available on {dialect_name}")


# DDL for a table with an `id` primary key and a `search_text` column. Table names come
# from the code, never from users; `_identifier` refuses anything else than a plain name.

def _identifier(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain table name: {name!r}")
    return name


def sqlite_ddl(table_name: str) -> list[str]:
    fts = f"{_identifier(table_name)}_fts"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_text, "
        f"content='{table_name}', content_rowid='id', "
        f"tokenize='unicode61 remove_diacritics 2')",
        (f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table_name} BEGIN "  # noqa: S608
         f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"),
        (f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table_name} BEGIN "  # noqa: S608
         f"INSERT INTO {fts}({fts}, rowid, search_text) "
         f"VALUES ('delete', old.id, old.search_text); END"),
        (f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF search_text "  # noqa: S608
         f"ON {table_name} BEGIN INSERT INTO {fts}({fts}, rowid, search_text) "
         f"VALUES ('delete', old.id, old.search_text); "
         f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"),
        # Rows written before the index existed (a migration on a filled database).
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # noqa: S608
    ]


def sqlite_drop_ddl(table_name: str) -> list[str]:
    # The triggers go with their table; the FTS5 table must be dropped by name.
    return [f"DROP TABLE IF EXISTS {table_name}_fts"]


def postgresql_ddl(table_name: str) -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS ix_{table_name}_fulltext ON {table_name} "
        f"USING gin (to_tsvector('simple', search_text))",
    ]


def postgresql_drop_ddl(table_name: str) -> list[str]:
    return [f"DROP INDEX IF EXISTS ix_{table_name}_fulltext"]


def attach_ddl(table: Table, *, sqlite: Iterable[str], postgresql: Iterable[str],
               sqlite_drop: Iterable[str] = (), postgresql_drop: Iterable[str] = ()) -> None:
    """Run the full-text DDL when `db.create_all()` creates `table` (and drop it with it)."""
    for statement in sqlite:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in postgresql:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    for statement in sqlite_drop:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="sqlite"))
    for statement in postgresql_drop:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="postgresql"))


def is_search_object(name: str | None) -> bool:
    """FTS5 tables and their shadow tables, full-text indexes: made by DDL, not by models."""
    if not name:
        return False
    return name.endswith(("_fts", "_fulltext")) or "_fts_" in name


def include_name(name, type_, parent_names) -> bool:
    """For Alembic's `include_name`: leave the full-text objects out of autogenerate."""
    return not is_search_object(name)


# Snippets

def snippet(source: str, terms: Sequence[str], width: int = 28) -> Markup:
    """About `width` words of `source` around the first match, matches in <mark>."""
    return _snippet(source, tuple(terms), width)


@lru_cache(maxsize=16384)
def _folded_word(word: str) -> str:
    return normalize(word)


# A pure function of its arguments: the hits of a search shown again cost nothing.
@lru_cache(maxsize=2048)
def _snippet(source: str, terms: tuple[str, ...], width: int) -> Markup:
    tokens = list(_WORD.finditer(source))
    if not tokens:
        return Markup("")

    def hit(match) -> bool:
        folded = _folded_word(match.group())
        return any(part.startswith(term) for part in folded.split() for term in terms)

    first = next((i for i, token in enumerate(tokens) if hit(token)), 0)
    start_index = max(0, first - width // 3)
    end_index = min(len(tokens), start_index + width)
    start = tokens[start_index].start() if start_index > 0 else 0
    end = tokens[end_index - 1].end() if end_index < len(tokens) else len(source)
    parts = ["… " if start_index > 0 else ""]
    position = start
    for token in tokens[start_index:end_index]:
        parts.append(str(escape(source[position:token.start()])))
        word = str(escape(token.group()))
        parts.append(f"<mark>{word}</mark>" if hit(token) else word)
        position = token.end()
    parts.append(str(escape(source[position:end])))
    if end_index < len(tokens):
        parts.append(" …")
    text_ = "".join(parts)
    return Markup(" ".join(text_.split()))  # noqa: S704 - every piece is escaped above
