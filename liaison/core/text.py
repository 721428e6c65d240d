"""Text tools, once for search, the intake and screening.

- `fold`: case, accents and punctuation do not count ("Haïdara" and "HAIDARA" fold
  alike). Search stores and searches text folded so (core.search), screening compares
  names folded so (vetting.screening.normalize).
- `fold_aligned`: case and accents do not count, one character for one, so that an
  offset in the folded text is an offset in the original (the intake marks mentions in
  the text it read).
- On top of `fold_aligned`, for the intake: `name_key` (the comparison key of a name),
  `words` (folded words with their offsets), `sentences` (a splitter that needs no
  parser), `strip_article` and `windows`.
"""

# Typographic apostrophes and dashes are meant: texts are written with them.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import regex

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """'Haïdara' and 'HAIDARA' fold alike; apostrophes and dashes become spaces."""
    text = text or ""
    if text.isascii():  # nothing to decompose: the same as below, faster
        return _NOT_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", stripped.casefold()).strip()


# --- One character for one: offsets stay valid ------------------------------------------

_WORD = regex.compile(r"[\p{L}\p{N}]+")
# A sentence ends at . ! ? ; or a line break, before an upper-case letter or a new line.
_SENTENCE_END = regex.compile(r"(?<=[.!?;])\s+(?=[\p{Lu}\d«\"“(])|\n+")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)
    kept = [c for c in base if not unicodedata.combining(c)]
    folded = (kept[0] if kept else ch).lower()
    return folded[0] if folded else ch


# Latin letters with accents, and typographic signs, to their plain lower-case letter.
_TABLE = {cp: _fold_char(chr(cp)) for cp in (*range(0x80, 0x250), *range(0x2000, 0x2070))}
_OUTSIDE_TABLE = regex.compile(r"[^\x00-\u024f\u2000-\u206f]")


def fold_aligned(text: str) -> str:
    """Lower case without accents, one character for one: offsets stay valid."""
    if text.isascii():
        return text.lower()
    if len(text) < 40:
        return _fold_short(text)
    return _fold_long(text)


@lru_cache(maxsize=8)
def _fold_long(text: str) -> str:
    quick = text.translate(_TABLE).lower()
    if len(quick) == len(text) and not _OUTSIDE_TABLE.search(text):
        return quick
    return "".join(_fold_char(c) for c in text)


@lru_cache(maxsize=65536)
def _fold_short(text: str) -> str:
    return "".join(_fold_char(c) for c in text)


def name_key(text: str) -> str:
    """The comparison key of a name: folded words joined by one space (no punctuation)."""
    return " ".join(_WORD.findall(fold_aligned(text)))


def words(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for each word of the text."""
    folded = fold_aligned(text)
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(folded)]


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, cut at end punctuation and line breaks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def strip_article(text: str, start: int) -> tuple[str, int]:
    """Drop a leading elided or plain article ("l’Afrique", "the Sahel")."""
    for prefix in ("l’", "l'", "L’", "L'", "d’", "d'", "D’", "D'"):
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :], start + len(prefix)
    for prefix in ("le ", "la ", "les ", "Le ", "La ", "Les ", "the ", "The "):
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :], start + len(prefix)
    return text, start


def windows(
    text: str, hits: list[int], before: int, after: int, min_gap: int = 0
) -> list[tuple[int, int]]:
    """Merged [start, end) windows around positions of the text: the expensive patterns
    run only where a cheap test found something to look at."""
    spans: list[tuple[int, int]] = []
    for pos in sorted(hits):
        a, b = max(0, pos - before), min(len(text), pos + after)
        if spans and a <= spans[-1][1] + min_gap:
            spans[-1] = (spans[-1][0], max(spans[-1][1], b))
        else:
            spans.append((a, b))
    return spans
