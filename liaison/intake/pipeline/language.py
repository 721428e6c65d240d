"""Language step: the language of each paragraph (lingua), French or English.

The detector is built once. It also knows a few other languages (German, Spanish,
Italian, Portuguese, Dutch) only so that a page in one of them is refused instead of
being read as bad French or English.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import regex

ACCEPTED = ("fr", "en")
_PARAGRAPH = regex.compile(r"\n\s*\n")
_MIN_CHARS = 30  # shorter paragraphs take the language of the document
_SAMPLE = 400  # characters of a paragraph read to tell its language: enough, and bounded


@lru_cache(maxsize=1)
def detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.FRENCH,
        Language.ENGLISH,
        Language.GERMAN,
        Language.SPANISH,
        Language.ITALIAN,
        Language.PORTUGUESE,
        Language.DUTCH,
    ).build()


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (blocks separated by a blank line)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _PARAGRAPH.finditer(text):
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


_WORDS = regex.compile(r"[^\W\d_]+")
_FR = frozenset(
    (
        "le",
        "la",
        "les",
        "des",
        "du",
        "de",
        "et",
        "est",
        "une",
        "un",
        "dans",
        "pour",
        "qui",
        "que",
        "sur",
        "au",
        "aux",
        "avec",
        "par",
        "ont",
        "été",
        "ce",
        "cette",
        "il",
        "elle",
        "ses",
        "son",
        "sont",
        "pas",
        "à",
        "l",
        "d",
    )
)
_EN = frozenset(
    (
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "was",
        "for",
        "on",
        "with",
        "by",
        "that",
        "at",
        "from",
        "as",
        "are",
        "were",
        "has",
        "have",
        "its",
        "an",
        "be",
        "this",
        "which",
        "it",
        "their",
    )
)


def quick_language(text: str) -> str:
    """French or English by their commonest words, when that is clear; "" otherwise (then
    lingua decides)."""
    fr = en = 0
    for word in _WORDS.findall(text.lower()):
        if word in _FR:
            fr += 1
        elif word in _EN:
            en += 1
    if fr >= 5 and fr >= 4 * max(en, 1):
        return "fr"
    if en >= 5 and en >= 4 * max(fr, 1):
        return "en"
    return ""


def detect(text: str) -> str:
    """ISO 639-1 code of the text's language ("fr", "en", "de"...), "" if unknown."""
    lang = detector().detect_language_of(text)
    return lang.iso_code_639_1.name.lower() if lang is not None else ""


def paragraph_languages(text: str) -> tuple[str, list[str], list[tuple[int, int]]]:
    """The document's language (the one most of its characters are in) and each
    paragraph's; paragraphs too short to tell take the document's language."""
    spans = paragraphs(text)
    found: list[str] = []
    weight: dict[str, int] = {}
    for start, end in spans:
        chunk = text[start:end]
        if len(chunk.strip()) < _MIN_CHARS:
            found.append("")
            continue
        lang = quick_language(chunk) or detect(chunk[:_SAMPLE])
        found.append(lang)
        weight[lang] = weight.get(lang, 0) + (end - start)
    if not weight:
        lang = detect(text)
        weight[lang] = len(text)
    main = max(weight, key=lambda k: weight[k])
    return main, [lang or main for lang in found], spans
