"""The shapes of the demo data: one frozen dataclass per kind of record.

`data.py` fills them; `loader.py` turns them into rows. Every record names the
passages of the sample documents that support it (`Cite`), and the loader refuses a
record without one or a passage it cannot find verbatim.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from liaison.core.choices import Release

# Marking codes seeded by core's migration (core.markings.DEFAULT_MARKINGS).
NON_PROTEGE = "non-protege"
DIFFUSION_LIMITEE = "diffusion-limitee"
DIFFUSION_RESTREINTE = "diffusion-restreinte"


@dataclass(frozen=True)
class Cite:
    """A passage of a demo document, quoted exactly, supporting a record or one field."""

    doc: str
    quote: str
    field: str = ""


@dataclass(frozen=True, kw_only=True)
class WorkspaceSpec:
    slug: str
    name: str
    description: str = ""
    iati_ref: str = ""
    iati_type: str = ""


@dataclass(frozen=True, kw_only=True)
class Record:
    """What every owned record shares: owner workspace, marking, release, citations."""

    owner: str
    cites: tuple[Cite, ...]
    marking: str = NON_PROTEGE
    release: str = Release.OPEN
    released_to: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DocumentSpec(Record):
    key: str
    file_name: str
    title: str
    kind: str
    language: str = "fr"
    url: str = ""
    publisher: str = ""
    author: str = ""
    published_on: datetime.date | None = None
    modified_on: datetime.date | None = None
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class OrganizationSpec(Record):
    key: str
    kind: str
    name_fr: str = ""
    name_en: str = ""
    acronym_fr: str = ""
    acronym_en: str = ""
    aliases: tuple[str, ...] = ()
    country: str | None = None
    parent: str | None = None
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class PositionSpec(Record):
    organization: str
    title_fr: str = ""
    title_en: str = ""


@dataclass(frozen=True, kw_only=True)
class PersonSpec(Record):
    key: str
    full_name: str
    given_names: str = ""
    family_name: str = ""
    aliases: tuple[str, ...] = ()
    rank: str = ""
    gender: str = ""
    nationality: str | None = None
    description: str = ""
    positions: tuple[PositionSpec, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AgreementSpec(Record):
    key: str
    title: str
    scope: str = ""
    parties: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParticipationSpec:
    """An organisation's role in an activity (IATI participating-org role or beneficiary)."""

    organization: str
    role: str
    cite: Cite


@dataclass(frozen=True)
class PlaceSpec:
    country: str
    cite: Cite
    subdivision: str | None = None
    locality: str = ""


@dataclass(frozen=True)
class ObjectiveSpec:
    text: str
    cite: Cite


@dataclass(frozen=True, kw_only=True)
class ActivitySpec(Record):
    key: str
    title: str
    activity_type: str
    status: str
    description: str = ""
    currency: str = "EUR"
    parent: str | None = None
    agreement: str | None = None
    participations: tuple[ParticipationSpec, ...] = ()
    places: tuple[PlaceSpec, ...] = ()
    objectives: tuple[ObjectiveSpec, ...] = ()
    # What the sources say of when (Activity.period): a year or month, never a day they
    # do not give.
    period: str = ""
    date_as_written: str = ""


@dataclass(frozen=True, kw_only=True)
class RequestSpec(Record):
    key: str
    title: str
    urgency: str
    status: str
    description: str = ""
    requester: str | None = None
    # None when the source does not say (then the period, if it does).
    received_on: datetime.date | None = None
    received_period: str = ""
    answered_by: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CourseSpec(Record):
    title_fr: str
    title_en: str = ""
    topic: str = ""
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class SchoolSpec(Record):
    organization: str
    is_regional: bool = False
    subdivision: str | None = None
    description: str = ""
    courses: tuple[CourseSpec, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Dates:
    """Dates as the text gives them (see events.DatedModel): never more precise."""

    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    period: str = ""
    date_as_written: str = ""
    date_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParticipantSpec:
    role: str
    cite: Cite
    person: str | None = None
    organization: str | None = None
    capacity: str = ""
    attended: bool | None = None


@dataclass(frozen=True, kw_only=True)
class EventSpec(Record):
    key: str
    title: str
    kind: str
    dates: Dates
    topic: str = ""
    description: str = ""
    country: str | None = None
    subdivision: str | None = None
    venue: str | None = None
    locality: str = ""
    organisers: tuple[str, ...] = ()
    activity: str | None = None
    participants: tuple[ParticipantSpec, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ContextEventSpec(Record):
    key: str
    title_fr: str
    title_en: str
    kind: str
    dates: Dates
    description: str = ""
    country: str | None = None
    actors: tuple[str, ...] = ()
