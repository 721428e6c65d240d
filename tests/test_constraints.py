"""Every database constraint of the models refuses a bad row and accepts the good one.

Each case names a constraint, a factory, the fields of a valid row and those of a row
that violates the constraint. Fields may be given by a callable, for the constraints
that need other rows first (uniqueness, an organisation made its own parent).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import translation

from liaison.core.choices import Role
from liaison.partners.models import Organization
from tests import factories as f
from tests.factories import DAY, NEXT_DAY

Fields = dict[str, Any] | Callable[[], dict[str, Any]]
BLANK = "This field cannot be blank."

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


@dataclass(frozen=True)
class Case:
    constraint: str
    factory: Callable[..., models.Model]
    valid: Fields
    invalid: Fields
    # Where full_clean() reports the violation, and with which message (by default
    # the constraint's own message, as a non-field error).
    error_field: str = NON_FIELD_ERRORS
    error_message: str | None = None
    variant: str = ""
    marks: tuple[Any, ...] = field(default=())

    @property
    def id(self) -> str:
        return f"{self.constraint}-{self.variant}" if self.variant else self.constraint

    def build(self, which: Fields) -> models.Model:
        return self.factory(save=False, **(which() if callable(which) else which))

    def model_constraint(self, obj: models.Model) -> models.BaseConstraint:
        return next(c for c in obj._meta.constraints if c.name == self.constraint)


def _dates(start: str, end: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Valid (same day) and invalid (end the day before) fields of a date order check."""
    return {start: DAY, end: DAY}, {start: NEXT_DAY, end: DAY}


def date_case(constraint: str, factory: Callable[..., models.Model], start: str, end: str) -> Case:
    valid, invalid = _dates(start, end)
    return Case(constraint, factory, valid, invalid)


def _again(
    factory: Callable[..., models.Model], shared: tuple[str, ...], **first_fields: Any
) -> Callable[[], dict[str, Any]]:
    """Fields of a second row equal to a first one (just saved) on `shared`."""

    def fields() -> dict[str, Any]:
        first = factory(**first_fields)
        return {name: getattr(first, name) for name in shared}

    return fields


def _organization_again(*, save: bool = True, **fields: Any) -> Organization:
    """An organisation already in the database, read back and changed by `fields`.

    `parent="self"` makes it its own parent, which only a saved row can be.
    """
    org = Organization.objects.get(pk=f.organization().pk)
    for name, value in fields.items():
        setattr(org, name, org if value == "self" else value)
    if save:
        org.save()
    return org


POSITION_ROLE = ("person", "organization", "title_fr", "title_en")

CASES = [
    # core
    Case(
        "membership_unique_user",
        f.membership,
        lambda: {"user": f.membership().user},
        _again(f.membership, ("user", "workspace"), role=Role.EDITOR),
    ),
    Case(
        "citation_confidence_0_1",
        f.citation,
        {"confidence": Decimal(1)},
        {"confidence": Decimal("1.5")},
        error_field="confidence",
        error_message="Ensure this value is less than or equal to 1.",
        variant="above",
    ),
    Case(
        "citation_confidence_0_1",
        f.citation,
        {"confidence": Decimal(0)},
        {"confidence": Decimal("-0.1")},
        error_field="confidence",
        error_message="Ensure this value is greater than or equal to 0.",
        variant="below",
    ),
    Case("citation_span_order", f.citation, {"start": 5, "end": 5}, {"start": 5, "end": 4}),
    Case(
        "audit_link_once",
        f.audit_link,
        _again(f.audit_link, ("history_type",)),
        _again(f.audit_link, ("history_type", "history_id")),
    ),
    Case(
        "search_entry_once",
        f.search_entry,
        _again(f.search_entry, ("content_type",)),
        _again(f.search_entry, ("content_type", "object_id")),
    ),
    Case(
        "saved_filter_unique",
        f.saved_filter,
        _again(f.saved_filter, ("user", "path")),
        _again(f.saved_filter, ("user", "path", "name")),
    ),
    Case(
        "external_reference_once",
        f.external_reference,
        _again(f.external_reference, ("scheme",)),
        _again(f.external_reference, ("scheme", "value")),
    ),
    Case(
        "external_reference_one_per_record",
        f.external_reference,
        _again(f.external_reference, ("scheme", "content_type")),
        _again(f.external_reference, ("scheme", "content_type", "object_id")),
    ),
    # partners
    Case(
        "organization_has_a_name",
        f.organization,
        {"name_fr": "", "name_en": "Army"},
        {"name_fr": "", "name_en": ""},
    ),
    Case(
        "organization_not_own_parent",
        _organization_again,
        lambda: {"parent": f.organization()},
        {"parent": "self"},
    ),
    Case(
        "person_has_a_name",
        f.person,
        {"full_name": "Harouna Haïdara"},
        {"full_name": ""},
        error_field="full_name",
        error_message=BLANK,
    ),
    date_case("position_dates_order", f.position, "start_date", "end_date"),
    Case(
        "position_has_a_title",
        f.position,
        {"title_fr": "", "title_en": "Director"},
        {"title_fr": "", "title_en": ""},
    ),
    Case(
        "position_one_current_per_role",
        f.position,
        lambda: {**_again(f.position, POSITION_ROLE, is_current=False)(), "is_current": True},
        lambda: {**_again(f.position, POSITION_ROLE)(), "is_current": True},
    ),
    # activities
    date_case("agreement_validity", f.agreement, "valid_from", "valid_until"),
    date_case("activity_planned_order", f.activity, "planned_start", "planned_end"),
    date_case("activity_actual_order", f.activity, "actual_start", "actual_end"),
    Case(
        "participation_unique_role",
        f.activity_participation,
        lambda: {
            **_again(f.activity_participation, ("activity", "organization"))(),
            "role": "implementing",
        },
        _again(f.activity_participation, ("activity", "organization", "role")),
    ),
    date_case("budget_period_order", f.budget_line, "period_start", "period_end"),
    Case(
        "budget_amount_non_negative",
        f.budget_line,
        {"amount": Decimal(0)},
        {"amount": Decimal("-0.01")},
    ),
    Case(
        "transaction_amount_non_negative",
        f.transaction,
        {"amount": Decimal(0)},
        {"amount": Decimal("-0.01")},
    ),
    date_case("request_due_after_received", f.request, "received_on", "due_on"),
    date_case("assignment_dates_order", f.assignment, "start_date", "end_date"),
    Case(
        "assignment_has_role",
        f.assignment,
        {"role": "Instructeur"},
        {"role": ""},
        error_field="role",
        error_message=BLANK,
    ),
    # training
    date_case("session_dates_order", f.session, "start_date", "end_date"),
    Case(
        "enrollment_once_per_session",
        f.enrollment,
        _again(f.enrollment, ("session",)),
        _again(f.enrollment, ("session", "person")),
    ),
    # events
    date_case("event_dates_order", f.event, "start_date", "end_date"),
    Case(
        "participant_is_someone",
        f.participant,
        lambda: {"person": None, "organization": f.organization()},
        {"person": None, "organization": None},
    ),
    date_case("context_event_dates_order", f.context_event, "start_date", "end_date"),
    # vetting
    Case(
        "vetting_one_subject",
        f.vetting_request,
        lambda: {"subject_person": None, "subject_organization": f.organization()},
        {"subject_person": None, "subject_organization": None},
        variant="none",
    ),
    Case(
        "vetting_one_subject",
        f.vetting_request,
        lambda: {"subject_person": f.person(), "subject_organization": None},
        lambda: {"subject_person": f.person(), "subject_organization": f.organization()},
        variant="both",
    ),
    date_case("vetting_decided_after_request", f.vetting_request, "requested_on", "decided_on"),
    date_case("vetting_valid_after_decision", f.vetting_request, "decided_on", "valid_until"),
    Case(
        "gate_override_target",
        f.gate_override,
        {},
        {"session": None},
        variant="enrollment",
    ),
    Case(
        "gate_override_target",
        f.gate_override,
        lambda: {
            "gate": "delivery",
            "session": None,
            "subject_person": None,
            "activity": f.activity(),
            "subject_organization": f.organization(),
        },
        lambda: {"gate": "delivery", "session": None, "activity": f.activity()},
        variant="delivery",
    ),
    Case(
        "gate_override_has_reason",
        f.gate_override,
        {"reason": "Motif écrit"},
        {"reason": ""},
        error_field="reason",
        error_message=BLANK,
    ),
    Case(
        "screening_entry_unique",
        f.screening_entry,
        _again(f.screening_entry, ("screening_list",)),
        _again(f.screening_entry, ("screening_list", "entity_id")),
    ),
    Case(
        "hit_has_subject",
        f.screening_hit,
        lambda: {"person": None, "organization": f.organization()},
        {"person": None, "organization": None},
    ),
    Case("hit_score_0_1", f.screening_hit, {"score": Decimal(1)}, {"score": Decimal("1.001")}),
    Case(
        "hit_score_0_1",
        f.screening_hit,
        {"score": Decimal(0)},
        {"score": Decimal("-0.001")},
        variant="below",
    ),
    *(
        Case(
            f"{name}_external_id_unique",
            factory,
            _again(factory, ("owner",), external_id=""),
            _again(factory, ("owner", "external_id"), external_id="EXT-1"),
        )
        for name, factory in [
            ("organization", f.organization),
            ("person", f.person),
            ("position", f.position),
            ("activity", f.activity),
            ("session", f.session),
            ("event", f.event),
            ("incident", f.incident),
        ]
    ),
    # accountability
    date_case("incident_dates_order", f.incident, "start_date", "end_date"),
    Case(
        "incident_established_by_a_body",
        f.incident,
        {"status": "established", "established_by": "Commission d'enquête"},
        {"status": "established", "established_by": ""},
    ),
    Case(
        "implication_is_someone",
        f.implication,
        lambda: {"person": None, "organization": f.organization()},
        {"person": None, "organization": None},
    ),
    Case(
        "reported_training_cost_not_negative",
        f.reported_training,
        {"cost_usd": Decimal(0)},
        {"cost_usd": Decimal("-1")},
    ),
    # vetting: a remediation needs its evidence (the form says so on the field).
    Case(
        "remediation_has_evidence",
        f.remediation,
        {"evidence": "Jugement du tribunal militaire"},
        {"evidence": ""},
        error_field="evidence",
        error_message=BLANK,
    ),
]

PARAMS = [pytest.param(case, id=case.id, marks=case.marks) for case in CASES]


def test_every_constraint_of_the_models_has_a_case() -> None:
    declared = {
        constraint.name
        for model in apps.get_models()
        if model.__module__.startswith("liaison.")
        for constraint in model._meta.constraints
    }
    assert declared == {case.constraint for case in CASES}


@pytest.mark.parametrize("case", PARAMS)
def test_database_accepts_the_valid_row(case: Case) -> None:
    obj = case.build(case.valid)
    with transaction.atomic():
        obj.save()
    assert obj.__class__._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("case", PARAMS)
def test_database_refuses_the_violating_row(case: Case) -> None:
    obj = case.build(case.invalid)
    with pytest.raises(IntegrityError, match=_integrity_pattern(case, obj)), transaction.atomic():
        obj.save()


def _integrity_pattern(case: Case, obj: models.Model) -> str:
    """What the database names in its refusal: PostgreSQL names the constraint; SQLite
    names a check constraint, and the table of a unique one."""
    constraint = case.model_constraint(obj)
    if isinstance(constraint, models.UniqueConstraint):
        return rf"{constraint.name}|UNIQUE constraint failed: {obj._meta.db_table}\."
    return constraint.name


@pytest.mark.parametrize("case", PARAMS)
def test_full_clean_accepts_the_valid_row(case: Case) -> None:
    case.build(case.valid).full_clean()


@pytest.mark.parametrize("case", PARAMS)
def test_full_clean_reports_the_violation(case: Case) -> None:
    obj = case.build(case.invalid)
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    errors = excinfo.value.message_dict
    expected = case.error_message or _constraint_message(case, obj)
    assert expected in errors.get(case.error_field, []), errors


@pytest.mark.parametrize("case", PARAMS)
def test_validate_constraints_names_the_constraint(case: Case) -> None:
    """Even where a field check reports first, the constraint itself catches the row."""
    obj = case.build(case.invalid)
    with pytest.raises(ValidationError) as excinfo:
        obj.validate_constraints()
    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: [_constraint_message(case, obj)]}


def _constraint_message(case: Case, obj: models.Model) -> str:
    constraint = case.model_constraint(obj)
    if isinstance(constraint, models.UniqueConstraint) and (
        constraint.violation_error_message == constraint.default_violation_error_message
    ):
        # Django words a plain unique constraint like unique_together.
        return obj.unique_error_message(obj.__class__, tuple(constraint.fields)).messages[0]
    return str(constraint.get_violation_error_message())
