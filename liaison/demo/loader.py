"""Builds the demo from the two sample documents: `load_demo()`.

Two workspaces, the two documents as Sources, and every organisation, person,
position, agreement, activity, request, school, course, event and context event of
`data.py`, each with citations whose quotes are found verbatim in their source (by
character offsets). Idempotent: a second run finds every record by its stable key and
changes nothing. Runs in one transaction, as the demo admin (history authorship).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction

from liaison.accountability import fmtr
from liaison.accountability.choices import ImplicationRole, IncidentKind
from liaison.accountability.models import Implication, Incident
from liaison.activities.models import (
    Activity,
    ActivityParticipation,
    ActivityPlace,
    Agreement,
    Objective,
    Request,
)
from liaison.core.choices import Release
from liaison.core.context import acting_as, current_actor
from liaison.core.models import Citation, Marking, OwnedModel, Source, Workspace
from liaison.demo import data
from liaison.demo.specs import (
    NON_PROTEGE,
    ActivitySpec,
    Cite,
    ContextEventSpec,
    Dates,
    EventSpec,
    PersonSpec,
    Record,
    SchoolSpec,
)
from liaison.demo.upsert import set_m2m, upsert
from liaison.demo.users import (
    ADMIN_USERNAME,
    demo_password,
    ensure_demo_memberships,
    ensure_demo_users,
)
from liaison.events.models import ContextEvent, Event, Participant
from liaison.geo.models import Country, Subdivision
from liaison.partners.models import Organization, Person, Position
from liaison.training.models import Course, School

DEMO_ID_PREFIX = "demo:"


def login_url() -> str:
    """Where `make run` serves (its PORT, 8000 by default)."""
    port = os.environ.get("PORT", "8000")
    return f"http://127.0.0.1:{port}/"


class DemoDataError(RuntimeError):
    """The demo data disagrees with its documents or the database: fix data.py."""


def read_document(file_name: str) -> bytes:
    """A demo document's bytes, from the package data (works installed or editable)."""
    return resources.files("liaison.demo").joinpath("documents", file_name).read_bytes()


def quote_span(text: str, quote: str) -> tuple[int, int]:
    """The character offsets of `quote` in `text`; fails loudly when it is not there."""
    if not quote:
        raise DemoDataError("Empty quote.")
    start = text.find(quote)
    if start < 0:
        raise DemoDataError(f"Quote not found in its source: {quote!r}")
    return start, start + len(quote)


def demo_id(key: str) -> str:
    return f"{DEMO_ID_PREFIX}{key}"


def is_history_model(model: type[models.Model]) -> bool:
    """django-simple-history's Historical* models carry the model they record."""
    return hasattr(model, "instance_type")


def summary_models() -> list[type[models.Model]]:
    """The models the summary counts: the user model and every Liaison model, no history."""
    liaison_models = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("liaison.") and not is_history_model(model)
    ]
    return [get_user_model(), *liaison_models]


def model_counts() -> list[tuple[str, int]]:
    """(model label, row count) for the summary table."""
    return [(model._meta.label, model._default_manager.count()) for model in summary_models()]


@dataclass(frozen=True)
class DemoResult:
    username: str
    password: str
    login_url: str
    counts: list[tuple[str, int]]


class _Loader:
    """Turns the specs of data.py into rows, keeping them by key for the references."""

    def __init__(self) -> None:
        self.markings = {marking.code: marking for marking in Marking.objects.all()}
        self.workspaces: dict[str, Workspace] = {}
        self.sources: dict[str, Source] = {}
        self.organizations: dict[str, Organization] = {}
        self.persons: dict[str, Person] = {}
        self.agreements: dict[str, Agreement] = {}
        self.activities: dict[str, Activity] = {}
        self._countries: dict[str, Country] = {}
        self._subdivisions: dict[str, Subdivision] = {}

    # --- lookups that fail loudly -----------------------------------------------------

    @staticmethod
    def _get[T](table: dict[str, T], key: str, what: str) -> T:
        try:
            return table[key]
        except KeyError:
            raise DemoDataError(f"Unknown {what} {key!r} (defined later or not at all).") from None

    def country(self, code: str | None) -> Country | None:
        if code is None:
            return None
        if code not in self._countries:
            try:
                self._countries[code] = Country.objects.get(alpha2=code)
            except Country.DoesNotExist:
                raise DemoDataError(f"Country {code} is missing: run `liaison migrate`.") from None
        return self._countries[code]

    def subdivision(self, code: str | None) -> Subdivision | None:
        if code is None:
            return None
        if code not in self._subdivisions:
            try:
                self._subdivisions[code] = Subdivision.objects.get(code=code)
            except Subdivision.DoesNotExist:
                raise DemoDataError(
                    f"Subdivision {code} is missing: run `liaison migrate`."
                ) from None
        return self._subdivisions[code]

    def organization(self, key: str | None) -> Organization | None:
        return None if key is None else self._get(self.organizations, key, "organisation")

    # --- what every record shares -----------------------------------------------------

    def access(self, spec: Record) -> dict[str, Any]:
        """Owner, marking and release of an owned record."""
        if spec.marking not in self.markings:
            raise DemoDataError(f"Marking {spec.marking!r} is missing: run `liaison migrate`.")
        if (spec.release == Release.NAMED) != bool(spec.released_to):
            raise DemoDataError("Workspaces to release to go with release='named', only.")
        return {
            "owner": self._get(self.workspaces, spec.owner, "workspace"),
            "marking": self.markings[spec.marking],
            "release": spec.release,
        }

    def finish(self, obj: OwnedModel, spec: Record) -> None:
        """Named release and citations of an owned record, once it is saved."""
        set_m2m(
            obj,
            "released_to",
            [self._get(self.workspaces, key, "workspace") for key in spec.released_to],
        )
        self.cite(obj, spec.cites)

    def cite(self, obj: models.Model, cites: Sequence[Cite]) -> None:
        """One citation per passage, with its offsets in the source's text."""
        if not cites:
            raise DemoDataError(f"{obj._meta.label} {obj} has no citation.")
        content_type = ContentType.objects.get_for_model(obj)
        for cite in cites:
            if cite.field:
                try:
                    obj._meta.get_field(cite.field)
                except FieldDoesNotExist:
                    raise DemoDataError(
                        f"{obj._meta.label} has no field {cite.field!r} to cite."
                    ) from None
            source = self._get(self.sources, cite.doc, "document")
            start, end = quote_span(source.text, cite.quote)
            citation, created = Citation.objects.get_or_create(
                source=source,
                content_type=content_type,
                object_id=obj.pk,
                field=cite.field,
                quote=cite.quote,
                defaults={"start": start, "end": end},
            )
            if not created and (citation.start, citation.end) != (start, end):
                citation.start, citation.end = start, end
                citation.save()

    @staticmethod
    def dates(dates: Dates) -> dict[str, Any]:
        return {
            "start_date": dates.start_date,
            "end_date": dates.end_date,
            "period": dates.period,
            "date_as_written": dates.date_as_written,
            "date_flags": list(dates.date_flags),
        }

    # --- one method per kind of record ------------------------------------------------

    def load_workspaces(self) -> None:
        for spec in data.WORKSPACES:
            self.workspaces[spec.slug] = upsert(
                Workspace,
                {"slug": spec.slug},
                {
                    "name": spec.name,
                    "description": spec.description,
                    "iati_ref": spec.iati_ref,
                    "iati_type": spec.iati_type,
                },
            )

    def load_sources(self) -> None:
        # Sources first: every other record cites them (a source cites itself too).
        for spec in data.DOCUMENTS:
            raw = read_document(spec.file_name)
            source = upsert(
                Source,
                {
                    "owner": self._get(self.workspaces, spec.owner, "workspace"),
                    "file_name": spec.file_name,
                },
                {
                    **self.access(spec),
                    "title": spec.title,
                    "kind": spec.kind,
                    "text": raw.decode("utf-8"),
                    "url": spec.url,
                    "publisher": spec.publisher,
                    "author": spec.author,
                    "published_on": spec.published_on,
                    "modified_on": spec.modified_on,
                    "language": spec.language,
                    "sha256": hashlib.sha256(raw).hexdigest(),
                    "notes": spec.notes,
                },
            )
            self.sources[spec.key] = source
        for spec in data.DOCUMENTS:
            self.finish(self.sources[spec.key], spec)

    def load_organizations(self) -> None:
        for spec in data.ORGANIZATIONS:
            org = upsert(
                Organization,
                {"external_id": demo_id(spec.key)},
                {
                    **self.access(spec),
                    "name_fr": spec.name_fr,
                    "name_en": spec.name_en,
                    "acronym_fr": spec.acronym_fr,
                    "acronym_en": spec.acronym_en,
                    "aliases": list(spec.aliases),
                    "kind": spec.kind,
                    "country": self.country(spec.country),
                    "parent": self.organization(spec.parent),
                    "description": spec.description,
                },
            )
            self.finish(org, spec)
            self.organizations[spec.key] = org

    def load_person(self, spec: PersonSpec) -> None:
        person = upsert(
            Person,
            {"external_id": demo_id(spec.key)},
            {
                **self.access(spec),
                "full_name": spec.full_name,
                "given_names": spec.given_names,
                "family_name": spec.family_name,
                "aliases": list(spec.aliases),
                "rank": spec.rank,
                "gender": spec.gender,
                "nationality": self.country(spec.nationality),
                "description": spec.description,
            },
        )
        self.finish(person, spec)
        self.persons[spec.key] = person
        for position_spec in spec.positions:
            position = upsert(
                Position,
                {"person": person, "organization": self.organization(position_spec.organization)},
                {
                    **self.access(position_spec),
                    "title_fr": position_spec.title_fr,
                    "title_en": position_spec.title_en,
                },
            )
            self.finish(position, position_spec)

    def load_agreements(self) -> None:
        for spec in data.AGREEMENTS:
            agreement = upsert(
                Agreement,
                {"owner": self._get(self.workspaces, spec.owner, "workspace"), "title": spec.title},
                {**self.access(spec), "scope": spec.scope},
            )
            self.finish(agreement, spec)
            set_m2m(agreement, "parties", [self.organizations[key] for key in spec.parties])
            self.agreements[spec.key] = agreement

    def load_activity(self, spec: ActivitySpec) -> None:
        activity = upsert(
            Activity,
            {"external_id": demo_id(spec.key)},
            {
                **self.access(spec),
                "title": spec.title,
                "description": spec.description,
                "activity_type": spec.activity_type,
                "status": spec.status,
                "currency": spec.currency,
                "period": spec.period,
                "date_as_written": spec.date_as_written,
                "parent": (
                    None
                    if spec.parent is None
                    else self._get(self.activities, spec.parent, "activity")
                ),
                "agreement": (
                    None
                    if spec.agreement is None
                    else self._get(self.agreements, spec.agreement, "agreement")
                ),
            },
        )
        self.finish(activity, spec)
        self.activities[spec.key] = activity
        for participation in spec.participations:
            row = upsert(
                ActivityParticipation,
                {
                    "activity": activity,
                    "organization": self.organization(participation.organization),
                    "role": participation.role,
                },
                {},
            )
            self.cite(row, [participation.cite])
        for place in spec.places:
            place_row = upsert(
                ActivityPlace,
                {
                    "activity": activity,
                    "country": self.country(place.country),
                    "subdivision": self.subdivision(place.subdivision),
                    "locality": place.locality,
                },
                {},
            )
            self.cite(place_row, [place.cite])
        for objective in spec.objectives:
            objective_row = upsert(Objective, {"activity": activity, "text": objective.text}, {})
            self.cite(objective_row, [objective.cite])

    def load_requests(self) -> None:
        for spec in data.REQUESTS:
            request = upsert(
                Request,
                {"owner": self._get(self.workspaces, spec.owner, "workspace"), "title": spec.title},
                {
                    **self.access(spec),
                    "description": spec.description,
                    "requester": self.organization(spec.requester),
                    "received_on": spec.received_on,
                    "received_period": spec.received_period,
                    "urgency": spec.urgency,
                    "status": spec.status,
                },
            )
            self.finish(request, spec)
            set_m2m(
                request,
                "answered_by",
                [self._get(self.activities, key, "activity") for key in spec.answered_by],
            )

    def load_school(self, spec: SchoolSpec) -> None:
        school = upsert(
            School,
            {"organization": self.organization(spec.organization)},
            {
                **self.access(spec),
                "is_regional": spec.is_regional,
                "subdivision": self.subdivision(spec.subdivision),
                "description": spec.description,
            },
        )
        self.finish(school, spec)
        for course_spec in spec.courses:
            course = upsert(
                Course,
                {"school": school, "title_fr": course_spec.title_fr},
                {
                    **self.access(course_spec),
                    "title_en": course_spec.title_en,
                    "topic": course_spec.topic,
                    "description": course_spec.description,
                },
            )
            self.finish(course, course_spec)

    def load_event(self, spec: EventSpec) -> None:
        event = upsert(
            Event,
            {"owner": self._get(self.workspaces, spec.owner, "workspace"), "title": spec.title},
            {
                **self.access(spec),
                **self.dates(spec.dates),
                "kind": spec.kind,
                "topic": spec.topic,
                "description": spec.description,
                "country": self.country(spec.country),
                "subdivision": self.subdivision(spec.subdivision),
                "venue": self.organization(spec.venue),
                "locality": spec.locality,
                "activity": (
                    None
                    if spec.activity is None
                    else self._get(self.activities, spec.activity, "activity")
                ),
            },
        )
        self.finish(event, spec)
        set_m2m(event, "organisers", [self.organizations[key] for key in spec.organisers])
        for participant in spec.participants:
            row = upsert(
                Participant,
                {
                    "event": event,
                    "person": (
                        None
                        if participant.person is None
                        else self._get(self.persons, participant.person, "person")
                    ),
                    "organization": self.organization(participant.organization),
                },
                {
                    "role": participant.role,
                    "capacity": participant.capacity,
                    "attended": participant.attended,
                },
            )
            self.cite(row, [participant.cite])

    def load_context_event(self, spec: ContextEventSpec) -> None:
        context_event = upsert(
            ContextEvent,
            {
                "owner": self._get(self.workspaces, spec.owner, "workspace"),
                "title_fr": spec.title_fr,
            },
            {
                **self.access(spec),
                **self.dates(spec.dates),
                "title_en": spec.title_en,
                "kind": spec.kind,
                "description": spec.description,
                "country": self.country(spec.country),
            },
        )
        self.finish(context_event, spec)
        set_m2m(
            context_event,
            "actors",
            [self._get(self.organizations, key, "organisation") for key in spec.actors],
        )

    def run(self) -> None:
        self.load_workspaces()
        self.load_sources()
        self.load_organizations()
        for person in data.PERSONS:
            self.load_person(person)
        self.load_agreements()
        for activity in data.ACTIVITIES:
            self.load_activity(activity)
        self.load_requests()
        for school in data.SCHOOLS:
            self.load_school(school)
        for event in data.EVENTS:
            self.load_event(event)
        for context_event in data.CONTEXT_EVENTS:
            self.load_context_event(context_event)
        self.load_accountability()

    def load_accountability(self) -> None:
        """The 2020 coup as an incident (dated as the article dates it: the year), and
        the US training report's Mali rows of fiscal year 2019 (idempotent import)."""
        owner = self._get(self.workspaces, data.OSC, "workspace")
        coup = upsert(
            Incident,
            {"owner": owner, "external_id": demo_id("ml-coup-2020")},
            {
                "marking": self.markings[NON_PROTEGE],
                "title": "Coup d'État militaire de 2020 au Mali",
                "kind": IncidentKind.COUP,
                "description": "Le coup d'État militaire de 2020 a changé les alliances du Mali.",
                "period": "2020",
                "date_as_written": "2020",
                "country": self.country("ML"),
            },
        )
        self.cite(coup, [Cite(data.US, data.US_COUP)])
        fama = self._get(self.organizations, "ml-fama", "organisation")
        implication = upsert(
            Implication,
            {"incident": coup, "organization": fama},
            {"role": ImplicationRole.PERPETRATOR},
        )
        self.cite(implication, [Cite(data.US, data.US_COUP)])
        fmtr.import_file(
            fmtr.DEMO_EXTRACT,
            owner,
            user=current_actor(),
            country="Mali",
            marking=self.markings[NON_PROTEGE],
        )


def load_demo() -> DemoResult:
    """Create or refresh the demo data in one transaction; returns what to print."""
    with transaction.atomic():
        users = ensure_demo_users()
        admin: AbstractUser = users[ADMIN_USERNAME]
        with acting_as(admin):
            loader = _Loader()
            loader.run()
            ensure_demo_memberships(users, loader.workspaces)
    return DemoResult(
        username=admin.get_username(),
        password=demo_password(),
        login_url=login_url(),
        counts=model_counts(),
    )
