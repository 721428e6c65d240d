"""Fixtures of the intake tests: the real spaCy model, loaded once per session (the
pipeline's tests), and a small stand-in for the pipeline (the review side's tests): it
finds a few known mentions by their words and refuses what the pipeline refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from liaison.intake.extraction import (
    ActivityMention,
    DateMention,
    Extraction,
    OrganizationMention,
    PersonMention,
    PlaceMention,
)
from liaison.intake.pipeline import IntakeInputError

CORPUS = Path(__file__).parent / "corpus"
# The two samples ship once, with the demo that is built from them (their SOURCES.md).
SAMPLES = Path(__file__).parents[2] / "demo" / "documents"
DIILS = SAMPLES / "us-mali-cooperation-diils-2025.txt"


@pytest.fixture(scope="session")
def spacy_model() -> Any:
    """The spaCy model, loaded once for the whole test session (the pipeline caches it)."""
    from liaison.intake.pipeline import nlp

    return nlp.load()


@pytest.fixture(scope="session")
def us_sample(spacy_model: Any) -> Any:
    from liaison.intake.pipeline import extract

    path = CORPUS / "us-mali-cooperation-diils-2025.txt"
    return extract(path.read_bytes(), filename=path.name)


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.find(words)
    return (start, start + len(words)) if start >= 0 else (0, 0)


def fake_extract(content: bytes | str, *, filename: str, **kwargs: Any) -> Extraction:
    raw = content if isinstance(content, bytes) else content.encode()
    if not raw.strip():
        raise IntakeInputError("The document is empty.")
    if b"\0" in raw:
        raise IntakeInputError("This is not a text document (binary content).")
    if raw.startswith(b"%PDF"):
        raise IntakeInputError("The PDF holds no text (a scan?).")
    text = raw.decode("utf-8")
    if "Der Artikel" in text:
        raise IntakeInputError("The document is in another language (de), not French or English.")
    text = "\n".join(line for line in text.splitlines() if line not in ("Ad image", "Source link"))
    found = Extraction(source=filename, language="fr", text=text)
    first = text.strip().splitlines()[0]
    found.metadata = {"title": first, "byline": "Service Com'", "last_modified": "2025-03-02"}
    if "DIILS" in text:
        found.organizations.append(
            OrganizationMention(
                name="Defence Institute of International Legal Studies",
                acronym="DIILS",
                span=_span(text, "Defence Institute of International Legal Studies (DIILS)"),
                confidence=0.95,
            )
        )
    if "Haïdara" in text:
        found.persons.append(
            PersonMention(
                name="Harouna Haïdara",
                title_or_rank="colonel-major",
                organization="ministère de la Défense et des anciens combattants",
                position="chef de cabinet",
                span=_span(text, "Harouna Haïdara"),
                confidence=0.9,
            )
        )
    if "Boubacar Maïga" in text:
        found.persons.append(
            PersonMention(
                name="Boubacar Maïga",
                title_or_rank="colonel",
                span=_span(text, "Boubacar Maïga"),
                confidence=0.9,
            )
        )
    if "Stuttgart" in text:
        found.places.append(PlaceMention(name="Stuttgart", span=_span(text, "Stuttgart")))
    if "du 19 au 11 février 2025" in text:
        span = _span(text, "du 19 au 11 février 2025")
        found.dates.append(
            DateMention(
                text="du 19 au 11 février 2025",
                iso_start="2025-02-19",
                iso_end="2025-02-11",
                flags=["impossible_range"],
                span=span,
            )
        )
        found.activities.append(
            ActivityMention(
                type="training",
                summary="Formation en droit militaire",
                donor=["DIILS"],
                beneficiary=["Direction de la justice militaire"],
                start="2025-02-19",
                end="2025-02-11",
                span=span,
                confidence=0.8,
                date_flags=["impossible_range"],
            )
        )
    return found


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("liaison.intake.pipeline.extract", fake_extract)
    monkeypatch.setattr("liaison.intake.services.gazetteer_for_user", lambda user: None)


@pytest.fixture(autouse=True)
def in_english() -> Any:
    """The tests read the messages in English (the installation's default is French)."""
    from django.utils import translation

    with translation.override("en"):
        yield
