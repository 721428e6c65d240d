"""The intake pipeline: document in, Extraction out (liaison.intake.extraction).

``extract()`` is the one entry point used by the review screens, the background task and
`liaison intake extract`; its steps live in this package, each testable alone and each
with the same interface, ``step(work: Work) -> None``, run in order by ``STEPS``:

    read (inputs) → clean → language → entities → dates → resolution/proposal

Everything runs offline; the spaCy model and the language detector are built once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from liaison.intake.pipeline.errors import IntakeInputError

if TYPE_CHECKING:
    from liaison.intake.extraction import DateMention, Extraction
    from liaison.intake.gazetteer import Gazetteer
    from liaison.intake.pipeline.entities import Mention
    from liaison.intake.pipeline.resolution import GazetteerIndex

__all__ = ["STEPS", "IntakeInputError", "Work", "extract"]


@dataclass
class Work:
    """What the steps read and fill in, one document at a time."""

    content: bytes | str
    filename: str
    gazetteer: Gazetteer | None = None
    published: datetime.date | None = None
    url: str = ""
    kind: str = ""
    raw_text: str = ""
    text: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    language: str = ""
    paragraph_languages: list[str] = field(default_factory=list)
    index: GazetteerIndex | None = None
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    extraction: Extraction | None = None


def step_read(work: Work) -> None:
    from liaison.intake.pipeline.inputs import read_document

    raw = read_document(work.content, work.filename)
    work.kind, work.raw_text = raw.kind, raw.text
    work.metadata.update(raw.metadata)


def step_clean(work: Work) -> None:
    from liaison.intake.pipeline.clean import clean_text

    cleaned = clean_text(work.raw_text)
    work.text = cleaned.text
    work.metadata.update(cleaned.metadata)
    if not work.text.strip():
        raise IntakeInputError(
            _("%(name)s holds no text once the page furniture is removed.")
            % {"name": work.filename}
        )
    if work.published is None:
        for name in ("published", "last_modified"):
            value = work.metadata.get(name)
            if isinstance(value, str):
                try:
                    work.published = datetime.date.fromisoformat(value[:10])
                    break
                except ValueError:
                    continue


def step_language(work: Work) -> None:
    from liaison.intake.pipeline.language import ACCEPTED, paragraph_languages

    main, per_paragraph, _spans = paragraph_languages(work.text)
    if main not in ACCEPTED:
        raise IntakeInputError(
            _(
                "%(name)s is written in a language Liaison does not read (%(language)s); "
                "only French and English documents are accepted."
            )
            % {"name": work.filename, "language": main or _("unknown")}
        )
    work.language = main
    work.paragraph_languages = per_paragraph


def step_entities(work: Work) -> None:
    from liaison.intake.pipeline.entities import find_mentions
    from liaison.intake.pipeline.nlp import model_for
    from liaison.intake.pipeline.resolution import index_for

    work.index = index_for(work.gazetteer)
    work.mentions = find_mentions(
        work.text, work.index, model=model_for(work.language), language=work.language
    )


def step_dates(work: Work) -> None:
    from liaison.intake.pipeline.dates import find_dates

    work.dates = find_dates(work.text, work.published, work.language)


def step_proposal(work: Work) -> None:
    from liaison.intake.extraction import Extraction
    from liaison.intake.pipeline import proposal

    assert work.index is not None
    orgs = proposal.group_organizations(work.mentions, work.index)
    persons = proposal.group_persons(work.text, work.mentions, orgs, work.index)
    places = proposal.group_places(work.mentions, work.index, orgs)
    from liaison.intake.pipeline.dates import with_guessed_years

    activities = proposal.propose_activities(
        work.text, work.mentions, with_guessed_years(work.dates), orgs
    )
    metadata = dict(work.metadata)
    metadata.update(kind=work.kind, url=work.url)
    if work.published is not None:
        metadata["published"] = work.published.isoformat()
    work.extraction = Extraction(
        source=work.filename,
        language=work.language,
        text=work.text,
        metadata=metadata,
        paragraph_languages=work.paragraph_languages,
        organizations=orgs,
        persons=persons,
        places=places,
        dates=work.dates,
        activities=activities,
    )


STEPS: tuple[Callable[[Work], None], ...] = (
    step_read,
    step_clean,
    step_language,
    step_entities,
    step_dates,
    step_proposal,
)


def extract(
    content: bytes | str,
    *,
    filename: str,
    gazetteer: Gazetteer | None = None,
    published: datetime.date | None = None,
    url: str = "",
) -> Extraction:
    """Read one document and propose what it holds. Raises IntakeInputError."""
    work = Work(content, filename, gazetteer, published, url)
    for step in STEPS:
        step(work)
    assert work.extraction is not None
    return work.extraction
