"""What the intake pipeline reads out of one document: the contract between the pipeline
(liaison.intake.pipeline), the review screens and `liaison intake extract --format json`.

Spans are character offsets [start, end) into Extraction.text, the cleaned text. ISO
dates are "YYYY", "YYYY-MM" or "YYYY-MM-DD". ``to_json()`` gives exactly the object the
command prints (issue 6); the extra fields (confidence, candidates, ...) are for review.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass
class Candidate:
    """An existing record a mention may be: its model label, pk, name and score (0-1)."""

    model: str  # "partners.organization", "partners.person", "geo.subdivision", ...
    pk: int
    name: str
    score: float


@dataclass
class OrganizationMention:
    name: str
    acronym: str = ""
    aliases: list[str] = field(default_factory=list)
    span: Span = (0, 0)
    confidence: float = 0.0
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class PersonMention:
    name: str
    title_or_rank: str = ""
    organization: str = ""  # the name of the organisation, as proposed
    position: str = ""  # "Directeur de la justice militaire"
    span: Span = (0, 0)
    confidence: float = 0.0
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class PlaceMention:
    name: str
    span: Span = (0, 0)
    country: str = ""  # ISO 3166-1 alpha-2, lower case, when known
    confidence: float = 0.0
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class DateMention:
    text: str  # as written
    iso_start: str | None = None
    iso_end: str | None = None
    flags: list[str] = field(default_factory=list)  # "impossible_range", "relative", ...
    span: Span = (0, 0)
    # Year guessed for a date written without one ("year_missing"): dates activities only.
    guess_start: str | None = None
    guess_end: str | None = None


@dataclass
class ActivityMention:
    type: str  # training, equipment, advisory, exercise, agreement, infrastructure,
    # financing, visit, other
    summary: str = ""
    donor: list[str] = field(default_factory=list)
    beneficiary: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    place: str | None = None
    span: Span = (0, 0)
    confidence: float = 0.0
    date_flags: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    source: str  # the document's name (file name or title)
    language: str  # "fr" or "en": the language of most of the text
    text: str = ""  # the cleaned text the spans point into
    metadata: dict[str, Any] = field(default_factory=dict)  # "last_modified", "title", ...
    paragraph_languages: list[str] = field(default_factory=list)
    organizations: list[OrganizationMention] = field(default_factory=list)
    persons: list[PersonMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    activities: list[ActivityMention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The object `liaison intake extract --format json` prints, key for key."""
        return {
            "source": self.source,
            "language": self.language,
            "organizations": [
                {"name": o.name, "acronym": o.acronym, "aliases": o.aliases, "span": list(o.span)}
                for o in self.organizations
            ],
            "persons": [
                {
                    "name": p.name,
                    "title_or_rank": p.title_or_rank,
                    "organization": p.organization,
                    "span": list(p.span),
                }
                for p in self.persons
            ],
            "places": [{"name": p.name, "span": list(p.span)} for p in self.places],
            "dates": [
                {"text": d.text, "iso_start": d.iso_start, "iso_end": d.iso_end, "flags": d.flags}
                for d in self.dates
            ],
            "activities": [
                {
                    "type": a.type,
                    "summary": a.summary,
                    "donor": a.donor,
                    "beneficiary": a.beneficiary,
                    "start": a.start,
                    "end": a.end,
                    "place": a.place,
                }
                for a in self.activities
            ],
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, for storing with the document under review."""
        return asdict(self)
