"""Where are they now (issue 18): the trainees and trained units of a workspace, their
later postings, and the incidents that implicate them, or the units they served in or
commanded, at the time; and the chain of command of a unit on a date.

Everything is read through `visible(..., user)` in a fixed number of queries whatever
the number of rows (the page asserts it), then matched in Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from liaison.accountability.models import Implication, Incident, ReportedTraining
from liaison.activities.choices import ParticipationRole
from liaison.activities.models import ActivityParticipation
from liaison.core.models import Citation, Source, Workspace
from liaison.core.querysets import visible
from liaison.core.withholding import Withheld
from liaison.events.dates import iso_when, span_of
from liaison.partners.models import Organization, Person, Position
from liaison.training.models import Enrollment

# Titles that read as command of the unit (French and English); positions are the
# project's dated postings, so a commander is a dated position with such a title.
COMMAND_WORDS = ("command", "chef", "chief", "head of", "directeur", "director")

# How a hit was found, in the reader's words.
DIRECT = "direct"
SERVED = "served"
COMMANDED = "commanded"
TRAINED_UNIT = "trained_unit"
HOW = {
    DIRECT: _("named in the incident"),
    SERVED: _("unit while serving there"),
    COMMANDED: _("unit while commanding it"),
    TRAINED_UNIT: _("unit trained"),
}


def is_command(position: Position) -> bool:
    title = f"{position.title_fr} {position.title_en}".lower()
    return any(word in title for word in COMMAND_WORDS)


def held_on(position: Position, day: datetime.date) -> bool:
    """Whether a position was held on `day` (an unknown start or end is open)."""
    if position.start_date is not None and position.start_date > day:
        return False
    if position.end_date is not None and position.end_date < day:
        return False
    return position.end_date is not None or position.is_current or position.start_date is None


def chain_of_command(
    organization: Organization, user: Any, day: datetime.date
) -> list[tuple[Organization, list[Position]]]:
    """From the unit up to the root: each level the user sees with the command positions
    held there on `day` (one query a level, and one for the positions)."""
    levels: list[Organization] = []
    node: Organization | None = organization
    seen: set[int] = set()
    shown = visible(Organization, user)
    while node is not None and node.pk not in seen and len(levels) < 20:
        seen.add(node.pk)
        levels.append(node)
        node = shown.filter(pk=node.parent_id).first() if node.parent_id else None
    positions = (
        visible(Position, user)
        .filter(organization__in=[o.pk for o in levels])
        .select_related("person")
        .order_by("-start_date", "pk")
    )
    by_org: dict[int, list[Position]] = defaultdict(list)
    for position in positions:
        if is_command(position) and held_on(position, day):
            by_org[position.organization_id].append(position)
    return [(org, by_org.get(org.pk, [])) for org in levels]


@dataclass
class Filters:
    country: str = ""  # ISO alpha-2
    course: int | None = None
    programme: int | None = None  # an activity: the session's, or its parent programme
    start: datetime.date | None = None  # trainings from
    end: datetime.date | None = None  # trainings until
    kind: str = ""  # incident kind
    implicated_only: bool = False


@dataclass
class Hit:
    incident: Incident
    how: str
    role: str
    via: Organization | None = None
    sources: list[Citation] = field(default_factory=list)

    @property
    def how_label(self) -> str:
        return str(HOW[self.how])


@dataclass
class Training:
    label: str
    url: str
    start: datetime.date | None
    end: datetime.date | None
    unit: Organization | None = None


@dataclass
class Subject:
    """A trainee or a trained unit, with what became of it."""

    person: Person | None = None
    organization: Organization | None = None
    trainings: list[Training] = field(default_factory=list)
    postings: list[Position] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)

    @property
    def record(self) -> Any:
        return self.person or self.organization

    @property
    def first_trained(self) -> datetime.date | None:
        days = [t.start for t in self.trainings if t.start is not None]
        return min(days) if days else None

    @property
    def flagged(self) -> bool:
        return any(h.incident.established for h in self.hits)


def incident_span(incident: Incident) -> tuple[datetime.date, datetime.date] | None:
    return span_of(incident)


def after(incident: Incident, day: datetime.date | None) -> bool:
    """The incident may have happened on or after `day` (unknown dates are kept)."""
    span = incident_span(incident)
    return day is None or span is None or span[1] >= day


def during(incident: Incident, position: Position) -> bool:
    """The incident may have happened while the position was held."""
    span = incident_span(incident)
    if span is None:
        return False
    if position.start_date is not None and span[1] < position.start_date:
        return False
    end = position.end_date
    if end is None and not position.is_current and position.start_date is not None:
        return False  # ended, on a date nobody wrote down
    return end is None or span[0] <= end


def where_are_they_now(user: Any, workspace: Workspace, filters: Filters) -> list[Subject]:
    """The trainees and trained units of `workspace` the user sees, with their later
    postings and the incidents implicating them (a fixed number of queries whatever the size)."""
    enrollments = (
        visible(Enrollment, user)
        .filter(session__owner=workspace)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .select_related("session__course", "session__activity", "person", "unit")
        .order_by("session__start_date", "pk")
    )
    beneficiaries = (
        visible(ActivityParticipation, user)
        .filter(activity__owner=workspace, role=ParticipationRole.BENEFICIARY)
        .select_related("activity", "organization")
        .annotate(began=Coalesce("activity__actual_start", "activity__planned_start"))
        .order_by("began", "pk")
    )
    # Imported training records (the FMTR): the student unit of each session.
    reported = (
        visible(ReportedTraining, user)
        .filter(session__owner=workspace)
        .exclude(student_unit=None)
        .select_related("session", "student_unit")
        .order_by("session__start_date", "pk")
    )
    if filters.country:
        code = filters.country.upper()
        reported = reported.filter(country__alpha2=code)
        enrollments = enrollments.filter(
            Q(nationality__alpha2=code) | Q(unit__country__alpha2=code)
        )
        beneficiaries = beneficiaries.filter(organization__country__alpha2=code)
    if filters.course:
        enrollments = enrollments.filter(session__course=filters.course)
        reported = reported.filter(session__course=filters.course)
        beneficiaries = beneficiaries.none()
    if filters.programme:
        enrollments = enrollments.filter(
            Q(session__activity=filters.programme) | Q(session__activity__parent=filters.programme)
        )
        beneficiaries = beneficiaries.filter(
            Q(activity=filters.programme) | Q(activity__parent=filters.programme)
        )
        reported = reported.filter(
            Q(session__activity=filters.programme) | Q(session__activity__parent=filters.programme)
        )
    if filters.start:
        enrollments = enrollments.filter(session__start_date__gte=filters.start)
        reported = reported.filter(session__start_date__gte=filters.start)
        beneficiaries = beneficiaries.filter(began__gte=filters.start)
    if filters.end:
        enrollments = enrollments.filter(session__start_date__lte=filters.end)
        reported = reported.filter(session__start_date__lte=filters.end)
        beneficiaries = beneficiaries.filter(began__lte=filters.end)

    persons: dict[int, Subject] = {}
    units: dict[int, Subject] = {}
    for enrollment in enrollments:
        if isinstance(enrollment.person, Withheld):
            continue  # a trainee the reader may not see is not listed, even as a notice
        session = enrollment.session
        training = Training(
            str(session), session.get_absolute_url(), session.start_date, session.end_date,
            enrollment.unit,
        )  # fmt: skip
        persons.setdefault(enrollment.person_id, Subject(person=enrollment.person))
        persons[enrollment.person_id].trainings.append(training)
        if enrollment.unit is not None and not isinstance(enrollment.unit, Withheld):
            units.setdefault(enrollment.unit_id, Subject(organization=enrollment.unit))
            units[enrollment.unit_id].trainings.append(training)
    for participation in beneficiaries:
        if isinstance(participation.organization, Withheld):
            continue
        activity = participation.activity
        training = Training(
            str(activity),
            activity.get_absolute_url(),
            participation.began,
            activity.actual_end or activity.planned_end,
        )
        units.setdefault(
            participation.organization_id, Subject(organization=participation.organization)
        )
        units[participation.organization_id].trainings.append(training)

    for row in reported:
        if isinstance(row.student_unit, Withheld):
            continue
        session = row.session
        label = f"{session} ({row.programme}, {row.trainee_count or '?'})"
        training = Training(label, session.get_absolute_url(), session.start_date, session.end_date)
        units.setdefault(row.student_unit_id, Subject(organization=row.student_unit))
        units[row.student_unit_id].trainings.append(training)

    positions = list(
        visible(Position, user)
        .filter(person__in=list(persons))
        .select_related("organization")
        .order_by("start_date", "pk")
    )
    for position in positions:
        subject = persons[position.person_id]
        first = subject.first_trained
        # Later postings: those not ended before the first training.
        if first is None or position.end_date is None or position.end_date >= first:
            subject.postings.append(position)

    served_in = {p.organization_id for s in persons.values() for p in s.postings}
    found = (
        visible(Implication, user)
        .filter(Q(person__in=list(persons)) | Q(organization__in=list(units.keys() | served_in)))
        .select_related("incident__country", "organization")
        .order_by("incident__start_date", "incident__period", "pk")
    )
    if filters.kind:
        found = found.filter(incident__kind=filters.kind)
    implications = list(found)
    sources = citations_of([i.incident for i in implications], user)

    by_org: dict[int, list[Implication]] = defaultdict(list)
    for implication in implications:
        if implication.person_id in persons:
            subject = persons[implication.person_id]
            if after(implication.incident, subject.first_trained):
                subject.hits.append(hit(implication, DIRECT, sources))
        if implication.organization_id is not None:
            by_org[implication.organization_id].append(implication)
    for subject in persons.values():
        for position in subject.postings:
            how = COMMANDED if is_command(position) else SERVED
            for implication in by_org.get(position.organization_id, []):
                if during(implication.incident, position):
                    subject.hits.append(hit(implication, how, sources, position.organization))
    for org_id, subject in units.items():
        for implication in by_org.get(org_id, []):
            if after(implication.incident, subject.first_trained):
                subject.hits.append(hit(implication, TRAINED_UNIT, sources, subject.organization))

    subjects = [*units.values(), *persons.values()]
    if filters.implicated_only or filters.kind:
        subjects = [s for s in subjects if s.hits]
    # The flagged first, then the implicated, then by name.
    subjects.sort(key=lambda s: (not s.flagged, not s.hits, str(s.record).lower()))
    return subjects


def hit(
    implication: Implication,
    how: str,
    sources: dict[int, list[Citation]],
    via: Organization | None = None,
) -> Hit:
    incident = implication.incident
    role = implication.get_role_display()
    return Hit(incident, how, role, via, sources.get(incident.pk, []))


def citations_of(incidents: list[Incident], user: Any) -> dict[int, list[Citation]]:
    """The citations of the incidents, by incident, in one query."""
    found: dict[int, list[Citation]] = defaultdict(list)
    if not incidents:
        return found
    citations = (
        Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(Incident),
            object_id__in={i.pk for i in incidents},
            source__in=Source.objects.visible_to(user).values("pk"),
        )
        .select_related("source")
        .read_for(user)
    )
    for citation in citations:
        found[citation.object_id].append(citation)
    return found


def as_rows(subjects: list[Subject]) -> list[dict[str, Any]]:
    """Flat rows for CSV and JSON: one per subject and incident (or one without)."""
    rows: list[dict[str, Any]] = []
    for subject in subjects:
        base = {
            "subject_type": "person" if subject.person else "unit",
            "subject_id": subject.record.pk,
            "subject": str(subject.record),
            "trainings": "; ".join(
                f"{t.label} ({t.start.isoformat() if t.start else ''})" for t in subject.trainings
            ),
            "later_postings": "; ".join(
                f"{p.title} — {p.organization.name} ({iso_when(p) or ''})" for p in subject.postings
            ),
            "flagged": subject.flagged,
        }
        if not subject.hits:
            rows.append({**base, **dict.fromkeys(INCIDENT_COLUMNS, "")})
        for h in subject.hits:
            rows.append(
                {
                    **base,
                    "incident_id": h.incident.pk,
                    "incident": h.incident.title,
                    "incident_kind": h.incident.kind,
                    "incident_status": h.incident.status,
                    "established_by": h.incident.established_by,
                    "incident_dates": iso_when(h.incident),
                    "how": h.how,
                    "role": h.role,
                    "via_unit": str(h.via) if h.via else "",
                    "sources": "; ".join(f"{c.source.title}: {c.quote[:200]}" for c in h.sources),
                }
            )
    return rows


INCIDENT_COLUMNS = (
    "incident_id", "incident", "incident_kind", "incident_status", "established_by",
    "incident_dates", "how", "role", "via_unit", "sources",
)  # fmt: skip
COLUMNS = (
    "subject_type", "subject_id", "subject", "trainings", "later_postings", "flagged",
    *INCIDENT_COLUMNS,
)  # fmt: skip
