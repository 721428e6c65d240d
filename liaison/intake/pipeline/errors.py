"""The one error the pipeline raises for a document it cannot read."""

from __future__ import annotations


class IntakeInputError(ValueError):
    """A document the pipeline cannot read (empty, binary, too large, no text, another
    language); its message is shown to the user as it is (translated)."""
