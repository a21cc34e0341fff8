"""Finding the passages a moderator removes, the way the moderator means them.

A moderator selects a passage on the page or types it. What they type rarely has the text's
typography: straight quotes for curly ones, a hyphen for a dash, a plain space for a
non-breaking one, other capitals. Text and passage are both *folded* (below), the passage is
looked for in the folded text, and each match is mapped back to the exact span of the
original text, so that the original characters are replaced, and nothing else.

Folding (the same for the text and the passage):
- case: `str.casefold` ("É" = "é", "ß" = "ss"), and the ligatures œ = oe, æ = ae;
- single quotes and apostrophes: ' ‘ ’ ‚ ‛ ʼ ‹ › are one character;
- double quotes: " “ ” „ ‟ « » are one character;
- dashes and hyphens: - ‐ ‑ ‒ – — ― − are one character; … = "...";
- spaces: any run of white space (line breaks, U+00A0, U+202F, U+2009 and the rest) is one
  space; the space French typography puts before ; : ? ! % € is optional ("Quoi ?" =
  "Quoi?"), and so is a space next to a double quote ("« oui »" = "«oui»" = '"oui"');
- invisible characters (soft hyphen, zero-width space, word joiner, BOM) are ignored;
- a character and its combining accents are taken together, in Unicode's composed form (an
  "é" typed as e + U+0301 is the "é" of the text).

Not folded, on purpose: accents ("hopital" does not find "hôpital": in French an accent
changes the word — "ou"/"où", "a"/"à", "interne"/"interné" — and a redaction must not reach
a word the moderator did not mean; a copy or a selection keeps the accents anyway), other
letters, digits and punctuation, and digit grouping ("0612" does not find "06 12").

Whole words: a passage that starts (ends) with a letter or a digit is found only where the
text has no letter or digit just before (after) it: "Paul" does not find the start of
"Pauline", so that the moderator can remove one without the other.

Several matches: a passage is found everywhere it occurs (left to right, without overlap),
and every occurrence is replaced: a phone number or a name written twice must go twice. The
preview says how many, and shows each one in its context. Where the passages of one
redaction overlap, the overlapping spans become one.

Pure functions, no application state: `locate`, `replace`, `pieces`.
"""

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_DOUBLE_QUOTES = "\"“”„‟«»"
# One character of the folded form for each of these.
_SAME = {
    **dict.fromkeys("'‘’‚‛ʼ‹›", "'"),
    **dict.fromkeys(_DOUBLE_QUOTES, '"'),
    **dict.fromkeys("-‐‑‒–—―−", "-"),
    "…": "...",
    "œ": "oe",
    "æ": "ae",
}
# Read as nothing at all.
_INVISIBLE = frozenset("\u00ad\u200b\u2060\ufeff")
# French typography puts a (non-breaking) space before these, and inside « »; a space next to
# a double quote is optional whatever the quote (typed straight, it may open or close).
_SPACE_OPTIONAL_BEFORE = frozenset(";:?!%€" + _DOUBLE_QUOTES)
_SPACE_OPTIONAL_AFTER = frozenset(_DOUBLE_QUOTES)

Span = tuple[int, int]  # [start, end) in the original text


@dataclass(frozen=True)
class Folded:
    """A text's folded form, and for each of its characters the span of the original
    characters it comes from (a run of spaces, a letter and its accents, "…")."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def _fold_unit(unit: str) -> str:
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", unit).casefold())
    return "".join(_SAME.get(char, char) for char in folded)


def fold(text: str) -> Folded:
    """The folded form of `text` (see the module's docstring)."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    previous = ""  # the last original character that was not a space nor invisible
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char in _INVISIBLE:
            index += 1
            continue
        end = index + 1
        if char.isspace():
            while end < length and (text[end].isspace() or text[end] in _INVISIBLE):
                end += 1
            following = text[end] if end < length else ""
            if previous not in _SPACE_OPTIONAL_AFTER and following not in _SPACE_OPTIONAL_BEFORE:
                chars.append(" ")
                starts.append(index)
                ends.append(end)
            index = end
            continue
        while end < length and unicodedata.combining(text[end]):
            end += 1
        for folded in _fold_unit(text[index:end]):
            chars.append(folded)
            starts.append(index)
            ends.append(end)
        previous = char
        index = end
    return Folded("".join(chars), tuple(starts), tuple(ends))


def fold_passage(passage: str) -> str:
    """What is looked for: the folded passage, without spaces around it."""
    return fold(passage).text.strip(" ")


def _in_word(char: str) -> bool:
    return char.isalnum() or bool(unicodedata.combining(char))


def _acceptable(folded: Folded, needle: str, start: int, end: int) -> bool:
    """A match that starts and ends at whole original characters and cuts no word."""
    text, starts = folded.text, folded.starts
    if start > 0 and starts[start - 1] == starts[start]:
        return False  # starts inside a character ("s" in the "ss" of "ß")
    if end < len(text) and starts[end] == starts[end - 1]:
        return False
    if _in_word(needle[0]) and start > 0 and _in_word(text[start - 1]):
        return False
    return not (_in_word(needle[-1]) and end < len(text) and _in_word(text[end]))


def find(text: str | Folded, passage: str) -> list[Span]:
    """Where `passage` is in `text`: the spans of the original text, left to right,
    without overlap; none for a passage with nothing to look for (only spaces)."""
    folded = text if isinstance(text, Folded) else fold(text)
    needle = fold_passage(passage)
    if not needle:
        return []
    found: list[Span] = []
    position = 0
    while (start := folded.text.find(needle, position)) >= 0:
        end = start + len(needle)
        if _acceptable(folded, needle, start, end):
            found.append((folded.starts[start], folded.ends[end - 1]))
            position = end
        else:
            position = start + 1
    return found


def merge(spans: Iterable[Span]) -> list[Span]:
    """The spans in order, those that overlap made one."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Found:
    """One passage as the moderator gave it, and where it is in the text."""

    passage: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Location:
    """Where the passages of one redaction are in one text."""

    text: str
    found: tuple[Found, ...]  # in the order given, those found
    missing: tuple[str, ...]  # in the order given, those not found
    spans: tuple[Span, ...]  # every span to replace, in order, overlaps merged

    def originals(self, found: Found) -> list[str]:
        """The text's own wording of each occurrence of a passage, once each, in order."""
        seen: list[str] = []
        for start, end in found.spans:
            if self.text[start:end] not in seen:
                seen.append(self.text[start:end])
        return seen


def locate(text: str, passages: Sequence[str]) -> Location:
    """Each passage in `text` (see the module's docstring for what matches)."""
    folded = fold(text)
    found: list[Found] = []
    missing: list[str] = []
    for passage in passages:
        spans = find(folded, passage)
        if spans:
            found.append(Found(passage, tuple(spans)))
        else:
            missing.append(passage)
    every = merge(span for item in found for span in item.spans)
    return Location(text, tuple(found), tuple(missing), tuple(every))


def replace(text: str, spans: Sequence[Span], marker: str) -> str:
    """`text` with each span (in order, not overlapping) replaced by `marker`."""
    return "".join(marker if removed else piece for removed, piece in pieces(text, spans))


def pieces(text: str, spans: Sequence[Span]) -> list[tuple[bool, str]]:
    """`text` cut at the spans: (True, what is removed) or (False, what is kept), in order;
    joined, the pieces give back `text`."""
    cut: list[tuple[bool, str]] = []
    position = 0
    for start, end in spans:
        if start > position:
            cut.append((False, text[position:start]))
        cut.append((True, text[start:end]))
        position = end
    if position < len(text):
        cut.append((False, text[position:]))
    return cut
