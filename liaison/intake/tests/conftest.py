from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).parent / "corpus"


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


@pytest.fixture(autouse=True)
def in_english() -> Any:
    """The tests read the messages in English (the installation's default is French)."""
    from django.utils import translation

    with translation.override("en"):
        yield
