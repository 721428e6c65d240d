"""One small helper per model: the fewest fields that make a valid record.

Every helper takes the model's fields as keyword arguments to override the defaults,
and `save=False` to get an unsaved instance (its related records are saved, so that
`full_clean()` and `save()` can be tried on it). Records are owned by one shared
"factory" workspace unless an `owner` is given.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from liaison.accountability.models import Implication, Incident, ReportedTraining
from liaison.activities.models import (
    Activity,
    ActivityParticipation,
    ActivityPlace,
    Agreement,
    Assignment,
    BudgetLine,
    Indicator,
    Objective,
    Request,
    Transaction,
)
from liaison.core.models import (
    AuditLink,
    Citation,
    ExternalReference,
    Marking,
    Membership,
    Preference,
    SavedFilter,
    SearchEntry,
    Source,
    Workspace,
)
from liaison.events.models import ContextEvent, Event, Participant
from liaison.geo.models import Country, Subdivision
from liaison.intake.models import IntakeDocument, Proposal
from liaison.partners.models import Organization, Person, Position
from liaison.training.models import Course, Enrollment, School, Session
from liaison.vetting.models import (
    CourtesyCheck,
    GateOverride,
    Remediation,
    ScreeningEntry,
    ScreeningHit,
    ScreeningList,
    VettingBatch,
    VettingRequest,
)

DAY = datetime.date(2024, 3, 1)
NEXT_DAY = DAY + datetime.timedelta(days=1)
FACTORY_WORKSPACE = "factory"

_sequence = itertools.count(1)


def _n() -> int:
    return next(_sequence)


def _make[M: models.Model](
    model: type[M], save: bool, defaults: dict[str, Any], **fields: Any
) -> M:
    """Build `model` from the defaults overridden by `fields`; save it unless told not to.

    A default may be a callable, called only when the caller does not give that field
    (so that a helper creates the related records it needs, and no more).
    """
    values = {
        key: value() if callable(value) else value
        for key, value in defaults.items()
        if key not in fields
    }
    values.update(fields)
    obj = model(**values)
    if save:
        obj.save()
    return obj


def owner_workspace() -> Workspace:
    """The workspace that owns the helpers' records unless an `owner` is given."""
    return Workspace.objects.get_or_create(
        slug=FACTORY_WORKSPACE, defaults={"name": "Factory workspace"}
    )[0]


# --- core ---------------------------------------------------------------------------


def user(*, save: bool = True, **fields: Any) -> AbstractUser:
    n = _n()
    obj: AbstractUser = _make(get_user_model(), False, {"username": f"user{n}"}, **fields)
    if save:
        obj.set_password("x")
        obj.save()
    return obj


def workspace(*, save: bool = True, **fields: Any) -> Workspace:
    n = _n()
    return _make(Workspace, save, {"name": f"Workspace {n}", "slug": f"workspace-{n}"}, **fields)


def membership(*, save: bool = True, **fields: Any) -> Membership:
    return _make(Membership, save, {"user": user, "workspace": workspace}, **fields)


def marking(*, save: bool = True, **fields: Any) -> Marking:
    n = _n()
    defaults = {"code": f"marking-{n}", "name_fr": f"Marquage {n}", "name_en": f"Marking {n}"}
    return _make(Marking, save, defaults, **fields)


def source(*, save: bool = True, **fields: Any) -> Source:
    return _make(Source, save, {"owner": owner_workspace, "title": f"Source {_n()}"}, **fields)


def citation(*, save: bool = True, **fields: Any) -> Citation:
    """A citation of a source by an organisation (or by `record`, if given)."""
    record = fields.pop("record", None) or organization()
    defaults = {
        "source": source,
        "content_type": ContentType.objects.get_for_model(record),
        "object_id": record.pk,
        "quote": "Le passage cité.",
    }
    return _make(Citation, save, defaults, **fields)


def audit_link(*, save: bool = True, **fields: Any) -> AuditLink:
    """A link of the audit chain (far beyond the links the records of a test make)."""
    n = _n()
    defaults = {
        "sequence": 10**12 + n,
        "history_type": lambda: ContentType.objects.get_for_model(Workspace.history.model),
        "history_id": 10**12 + n,
        "previous_hash": "0" * 64,
        "entry_hash": f"{n:064x}",
    }
    return _make(AuditLink, save, defaults, **fields)


def search_entry(*, save: bool = True, **fields: Any) -> SearchEntry:
    """A search entry of a record id beyond those the records of a test take."""
    defaults = {
        "content_type": lambda: ContentType.objects.get_for_model(Organization),
        "object_id": 10**12 + _n(),
        "text": "direction de la justice militaire",
    }
    return _make(SearchEntry, save, defaults, **fields)


def saved_filter(*, save: bool = True, **fields: Any) -> SavedFilter:
    defaults = {"user": user, "path": "/organizations/", "name": f"Filtre {_n()}", "query": ""}
    return _make(SavedFilter, save, defaults, **fields)


def external_reference(*, save: bool = True, **fields: Any) -> ExternalReference:
    """A FollowTheMoney id given to an organisation (or to `record`, if given)."""
    record = fields.pop("record", None) or organization()
    defaults = {
        "scheme": "ftm",
        "value": f"lia-{_n()}",
        "content_type": ContentType.objects.get_for_model(record),
        "object_id": record.pk,
    }
    return _make(ExternalReference, save, defaults, **fields)


def preference(*, save: bool = True, **fields: Any) -> Preference:
    return _make(Preference, save, {"user": user, "language": "fr"}, **fields)


# --- geo: loaded by a migration, so the helpers look records up ---------------------


def country(alpha2: str = "ML") -> Country:
    return Country.objects.get(alpha2=alpha2)


def subdivision(code: str = "ML-BKO") -> Subdivision:
    return Subdivision.objects.get(code=code)


# --- partners -----------------------------------------------------------------------


def organization(*, save: bool = True, **fields: Any) -> Organization:
    return _make(
        Organization, save, {"owner": owner_workspace, "name_fr": f"Unité {_n()}"}, **fields
    )


def person(*, save: bool = True, **fields: Any) -> Person:
    return _make(
        Person, save, {"owner": owner_workspace, "full_name": f"Personne {_n()}"}, **fields
    )


def position(*, save: bool = True, **fields: Any) -> Position:
    defaults = {
        "owner": owner_workspace,
        "person": person,
        "organization": organization,
        "title_fr": f"Directeur {_n()}",
    }
    return _make(Position, save, defaults, **fields)


# --- activities ---------------------------------------------------------------------


def agreement(*, save: bool = True, **fields: Any) -> Agreement:
    return _make(
        Agreement, save, {"owner": owner_workspace, "title": f"Convention {_n()}"}, **fields
    )


def activity(*, save: bool = True, **fields: Any) -> Activity:
    return _make(Activity, save, {"owner": owner_workspace, "title": f"Action {_n()}"}, **fields)


def activity_participation(*, save: bool = True, **fields: Any) -> ActivityParticipation:
    defaults = {"activity": activity, "organization": organization, "role": "funding"}
    return _make(ActivityParticipation, save, defaults, **fields)


def activity_place(*, save: bool = True, **fields: Any) -> ActivityPlace:
    return _make(ActivityPlace, save, {"activity": activity, "country": country}, **fields)


def budget_line(*, save: bool = True, **fields: Any) -> BudgetLine:
    defaults = {
        "activity": activity,
        "period_start": DAY,
        "period_end": NEXT_DAY,
        "amount": Decimal("1000.00"),
    }
    return _make(BudgetLine, save, defaults, **fields)


def transaction(*, save: bool = True, **fields: Any) -> Transaction:
    defaults = {
        "activity": activity,
        "transaction_type": "disbursement",
        "date": DAY,
        "amount": Decimal("1000.00"),
    }
    return _make(Transaction, save, defaults, **fields)


def objective(*, save: bool = True, **fields: Any) -> Objective:
    return _make(Objective, save, {"activity": activity, "text": "Former 20 officiers."}, **fields)


def indicator(*, save: bool = True, **fields: Any) -> Indicator:
    return _make(Indicator, save, {"activity": activity, "title": "Officiers formés"}, **fields)


def request(*, save: bool = True, **fields: Any) -> Request:
    defaults = {"owner": owner_workspace, "title": f"Sollicitation {_n()}", "received_on": DAY}
    return _make(Request, save, defaults, **fields)


def assignment(*, save: bool = True, **fields: Any) -> Assignment:
    defaults = {
        "owner": owner_workspace,
        "person": person,
        "organization": organization,
        "role": "Conseiller",
    }
    return _make(Assignment, save, defaults, **fields)


# --- training -----------------------------------------------------------------------


def school(*, save: bool = True, **fields: Any) -> School:
    defaults = {"owner": owner_workspace, "organization": lambda: organization(kind="school")}
    return _make(School, save, defaults, **fields)


def course(*, save: bool = True, **fields: Any) -> Course:
    defaults = {"owner": owner_workspace, "school": school, "title_fr": f"Stage {_n()}"}
    return _make(Course, save, defaults, **fields)


def session(*, save: bool = True, **fields: Any) -> Session:
    return _make(Session, save, {"owner": owner_workspace, "course": course}, **fields)


def enrollment(*, save: bool = True, **fields: Any) -> Enrollment:
    return _make(Enrollment, save, {"session": session, "person": person}, **fields)


# --- accountability ---------------------------------------------------------------


def incident(*, save: bool = True, **fields: Any) -> Incident:
    return _make(Incident, save, {"owner": owner_workspace, "title": f"Incident {_n()}"}, **fields)


def implication(*, save: bool = True, **fields: Any) -> Implication:
    return _make(Implication, save, {"incident": incident, "organization": organization}, **fields)


def reported_training(*, save: bool = True, **fields: Any) -> ReportedTraining:
    defaults = {"session": session, "programme": "IMET", "trainee_count": 2}
    return _make(ReportedTraining, save, defaults, **fields)


# --- events -------------------------------------------------------------------------


def event(*, save: bool = True, **fields: Any) -> Event:
    return _make(Event, save, {"owner": owner_workspace, "title": f"Séminaire {_n()}"}, **fields)


def participant(*, save: bool = True, **fields: Any) -> Participant:
    return _make(Participant, save, {"event": event, "person": person}, **fields)


def context_event(*, save: bool = True, **fields: Any) -> ContextEvent:
    return _make(
        ContextEvent, save, {"owner": owner_workspace, "title_fr": f"Coup {_n()}"}, **fields
    )


# --- vetting ------------------------------------------------------------------------


def vetting_request(*, save: bool = True, **fields: Any) -> VettingRequest:
    defaults = {"owner": owner_workspace, "subject_person": person, "requested_on": DAY}
    return _make(VettingRequest, save, defaults, **fields)


def vetting_batch(*, save: bool = True, **fields: Any) -> VettingBatch:
    return _make(
        VettingBatch, save, {"owner": owner_workspace, "reference": f"LOT-{_n()}"}, **fields
    )


def remediation(*, save: bool = True, **fields: Any) -> Remediation:
    defaults = {
        "vetting_request": vetting_request,
        "remediated_on": DAY,
        "description": "Poursuites engagées contre les auteurs",
        "evidence": "Jugement du tribunal militaire",
        "decided_by": user,
    }
    return _make(Remediation, save, defaults, **fields)


def courtesy_check(*, save: bool = True, **fields: Any) -> CourtesyCheck:
    defaults = {
        "vetting_request": vetting_request,
        "section": "embassy_security",
        "checked_on": DAY,
        "outcome": "nothing",
    }
    return _make(CourtesyCheck, save, defaults, **fields)


def gate_override(*, save: bool = True, **fields: Any) -> GateOverride:
    defaults = {
        "gate": "enrollment",
        "session": session,
        "subject_person": person,
        "reason": "Décision du chef de mission",
        "granted_by": user,
    }
    return _make(GateOverride, save, defaults, **fields)


def screening_list(*, save: bool = True, **fields: Any) -> ScreeningList:
    return _make(ScreeningList, save, {"name": f"Liste {_n()}"}, **fields)


def screening_entry(*, save: bool = True, **fields: Any) -> ScreeningEntry:
    n = _n()
    defaults = {
        "screening_list": screening_list,
        "entity_id": f"entity-{n}",
        "schema": "Person",
        "caption": f"Entité {n}",
        "properties": {"name": [f"Entité {n}"]},
        "checksum": f"{n:064x}",
    }
    return _make(ScreeningEntry, save, defaults, **fields)


def screening_hit(*, save: bool = True, **fields: Any) -> ScreeningHit:
    defaults = {"entry": screening_entry, "person": person, "score": Decimal("0.900")}
    return _make(ScreeningHit, save, defaults, **fields)


# --- intake -------------------------------------------------------------------------


def intake_document(*, save: bool = True, **fields: Any) -> IntakeDocument:
    defaults = {"owner": owner_workspace, "title": f"Article {_n()}", "file_name": "article.txt"}
    return _make(IntakeDocument, save, defaults, **fields)


def proposal(*, save: bool = True, **fields: Any) -> Proposal:
    defaults = {
        "document": intake_document,
        "kind": "person",
        "label": f"Personne proposée {_n()}",
        "fields": {"name": "Personne proposée"},
    }
    return _make(Proposal, save, defaults, **fields)


# The helper of each model, for tests that go through every model.
FOR_MODEL: dict[type[models.Model], Callable[..., models.Model]] = {
    get_user_model(): user,
    Workspace: workspace,
    Membership: membership,
    Marking: marking,
    Source: source,
    Citation: citation,
    AuditLink: audit_link,
    SearchEntry: search_entry,
    SavedFilter: saved_filter,
    Preference: preference,
    ExternalReference: external_reference,
    Country: lambda save=True: country(),
    Subdivision: lambda save=True: subdivision(),
    Organization: organization,
    Person: person,
    Position: position,
    Agreement: agreement,
    Activity: activity,
    ActivityParticipation: activity_participation,
    ActivityPlace: activity_place,
    BudgetLine: budget_line,
    Transaction: transaction,
    Objective: objective,
    Indicator: indicator,
    Request: request,
    Assignment: assignment,
    School: school,
    Course: course,
    Session: session,
    Enrollment: enrollment,
    Event: event,
    Incident: incident,
    Implication: implication,
    ReportedTraining: reported_training,
    Participant: participant,
    ContextEvent: context_event,
    VettingRequest: vetting_request,
    VettingBatch: vetting_batch,
    Remediation: remediation,
    CourtesyCheck: courtesy_check,
    ScreeningList: screening_list,
    ScreeningEntry: screening_entry,
    ScreeningHit: screening_hit,
    IntakeDocument: intake_document,
    Proposal: proposal,
}
