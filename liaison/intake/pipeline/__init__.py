"""The intake pipeline: document in, Extraction out (liaison.intake.extraction).

``extract()`` is the one entry point used by the review screens, the background task and
`liaison intake extract`; its steps (clean, language, entities, dates, resolution,
proposal) live in this package, each testable alone.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from liaison.intake.extraction import Extraction
    from liaison.intake.gazetteer import Gazetteer


class IntakeInputError(ValueError):
    """A document the pipeline cannot read (empty, binary, too large, no text, another
    language); its message is shown to the user as it is (translated)."""


def extract(
    content: bytes | str,
    *,
    filename: str,
    gazetteer: Gazetteer | None = None,
    published: datetime.date | None = None,
    url: str = "",
) -> Extraction:
    """Read one document and propose what it holds. Raises IntakeInputError."""
    raise NotImplementedError("the pipeline lands with issue 6")
