"""The vetting gate: refusals through every channel, the unit tree, expiry, overrides."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from liaison.core.choices import Release, Role
from liaison.core.tests.pages import client_for, member, page_data
from liaison.training.models import Enrollment
from liaison.vetting import services
from liaison.vetting.gate import Standings
from liaison.vetting.models import GateOverride, VettingRequest
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


# The refusal as the French interface words it (the tests run in French).
REFUSED = "approbation valide de vérification des antécédents"


@contextmanager
def refused() -> Iterator[None]:
    """The vetting gate refuses what the block does."""
    with pytest.raises(ValidationError) as raised:
        yield
    codes = [e.code for errors in raised.value.error_dict.values() for e in errors]
    assert "vetting_gate" in codes, raised.value


def approve(valid_until: datetime.date | None = None, **subject: Any) -> VettingRequest:
    return factories.vetting_request(
        status="approved",
        requested_on=days(-30),
        decided_on=days(-20),
        valid_until=valid_until or days(300),
        **subject,
    )


def decide(status: str, **subject: Any) -> VettingRequest:
    return factories.vetting_request(
        status=status, requested_on=days(-10), decided_on=days(-5), **subject
    )


def confirm(enrollment: Enrollment) -> None:
    enrollment.status = "confirmed"
    enrollment.full_clean()
    enrollment.save()


# --- enrolments ---------------------------------------------------------------------------


def test_an_enrolment_is_not_confirmed_without_an_approval() -> None:
    enrollment = factories.enrollment(session=factories.session(start_date=days(10)))
    with refused():
        confirm(enrollment)
    approve(subject_person=enrollment.person)
    confirm(enrollment)
    assert Enrollment.objects.get(pk=enrollment.pk).status == "confirmed"


def test_a_past_valid_until_is_not_valid_even_before_the_expire_command() -> None:
    session = factories.session(start_date=days(40))
    enrollment = factories.enrollment(session=session)
    approve(subject_person=enrollment.person, valid_until=days(30))  # ends before the session
    with refused():
        confirm(enrollment)


def test_the_latest_decision_counts() -> None:
    enrollment = factories.enrollment(session=factories.session(start_date=days(5)))
    approve(subject_person=enrollment.person)
    decide("suspended", subject_person=enrollment.person)
    with refused():
        confirm(enrollment)


def test_a_unit_denial_reaches_its_sub_units() -> None:
    army = factories.organization(name_fr="Armée de terre")
    region = factories.organization(name_fr="Région militaire", parent=army)
    battalion = factories.organization(name_fr="Bataillon", parent=region)
    other = factories.organization(name_fr="Autre unité")
    trainee = factories.person()
    approve(subject_person=trainee)
    session = factories.session(start_date=days(5))
    decide("denied", subject_organization=army, subject_person=None)
    enrollment = factories.enrollment(session=session, person=trainee, unit=battalion)
    with refused():
        confirm(enrollment)
    # The same trainee from a unit outside the denied tree goes through.
    enrollment.unit = other
    confirm(enrollment)
    standings = Standings.load(days(5), units=[battalion.pk, other.pk])
    assert standings.unit_blocked_by(battalion.pk) == army.pk
    assert standings.unit_blocked_by(other.pk) is None


def test_editing_a_confirmed_enrolment_does_not_ask_again() -> None:
    enrollment = factories.enrollment(session=factories.session(start_date=days(5)))
    approval = approve(subject_person=enrollment.person)
    confirm(enrollment)
    VettingRequest.objects.filter(pk=approval.pk).update(valid_until=days(-1))
    enrollment.result = "Admis"
    enrollment.full_clean()  # the result is not what the gate looks at


def test_the_session_form_shows_the_refusal() -> None:
    editor = member(Role.EDITOR)
    session = factories.session(start_date=days(5))
    enrollment = factories.enrollment(session=session)
    client = client_for(editor)
    url = reverse("training:session_edit", args=[session.pk])
    data = page_data(client.get(url))
    data["enrollments-0-status"] = "confirmed"
    response = client.post(url, data)
    assert response.status_code == 400
    assert REFUSED in response.text
    assert Enrollment.objects.get(pk=enrollment.pk).status == "nominated"


def test_the_api_refuses_too() -> None:
    editor = member(Role.EDITOR)
    enrollment = factories.enrollment(session=factories.session(start_date=days(5)))
    client = client_for(editor)
    url = f"/api/enrollments/{enrollment.pk}/"
    etag = client.get(url)["ETag"]
    response = client.patch(
        url, {"status": "confirmed"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400, response.content
    assert REFUSED in response.content.decode()
    assert Enrollment.objects.get(pk=enrollment.pk).status == "nominated"


# --- attendance and delivery ------------------------------------------------------------


def test_a_trainee_is_not_marked_attended_without_an_approval() -> None:
    event = factories.event(start_date=days(3))
    trainee = factories.participant(event=event, role="trainee")
    guest = factories.participant(event=event, role="official_guest")
    guest.attended = True
    guest.full_clean()  # guests are not gated
    trainee.attended = True
    with refused():
        trainee.full_clean()
    approve(subject_person=trainee.person)
    trainee.full_clean()


def test_equipment_is_not_delivered_to_an_uncleared_unit() -> None:
    parent = factories.organization(name_fr="Garde nationale")
    unit = factories.organization(name_fr="Escadron", parent=parent)
    activity = factories.activity(activity_type="equipment", status="implementation")
    factories.activity_participation(activity=activity, organization=unit, role="beneficiary")
    activity.status = "closed"
    with refused():
        activity.full_clean()
    approve(subject_organization=unit, subject_person=None)
    activity.full_clean()
    activity.save()
    # A suspension of the parent unit reaches the escadron: adding it again is refused...
    decide("suspended", subject_organization=parent, subject_person=None)
    newcomer = factories.activity_participation(
        activity=activity, organization=unit, role="beneficiary", save=False
    )
    newcomer.organization = factories.organization(name_fr="Peloton", parent=unit)
    with refused():
        newcomer.full_clean()
    # ...and a training activity is not gated this way.
    training = factories.activity(activity_type="training", status="closed")
    factories.activity_participation(activity=training, organization=unit, role="beneficiary")
    training.full_clean()


# --- overrides ----------------------------------------------------------------------------


def test_a_manager_overrides_with_a_reason_and_it_is_recorded() -> None:
    manager = member(Role.MANAGER)
    session = factories.session(start_date=days(5))
    enrollment = factories.enrollment(session=session)
    with pytest.raises(ValidationError):
        services.grant_override(session, acting_user=manager, reason=" ", person=enrollment.person)
    with pytest.raises(PermissionDenied):
        services.grant_override(
            session, acting_user=member(Role.EDITOR), reason="x", person=enrollment.person
        )
    override = services.grant_override(
        session,
        acting_user=manager,
        reason="Dossier en cours, décision du chef de mission",
        person=enrollment.person,
    )
    confirm(enrollment)
    assert override.granted_by == manager
    assert override.gate == "enrollment"
    assert override.history.count() == 1
    # Reported to those who see the session.
    response = client_for(member(Role.VIEWER)).get(reverse("vetting:report"))
    assert "Dossier en cours, décision du chef de mission" in response.text
    assert (
        "Dossier en cours"
        not in client_for(member(Role.MANAGER, factories.workspace()))
        .get(reverse("vetting:report"))
        .text
    )


def test_override_through_the_coverage_page() -> None:
    manager = member(Role.MANAGER)
    activity = factories.activity(activity_type="equipment", status="implementation")
    unit = factories.organization(name_fr="Compagnie", release=Release.OPEN)
    factories.activity_participation(activity=activity, organization=unit, role="beneficiary")
    client = client_for(manager)
    coverage = reverse("vetting:coverage", args=["activity", activity.pk])
    page = client.get(coverage)
    assert page.status_code == 200
    assert 'class="override-form"' in page.text
    url = reverse("vetting:override", args=["activity", activity.pk])
    client.post(url, {"subject": unit.pk, "reason": "Matériel de santé"})
    override = GateOverride.objects.get()
    assert (override.subject_organization, override.granted_by) == (unit, manager)
    activity.status = "finalisation"
    activity.full_clean()
    # An editor cannot override.
    assert (
        client_for(member(Role.EDITOR)).post(url, {"subject": unit.pk, "reason": "x"}).status_code
        == 403
    )


def test_the_gate_lookup_costs_the_same_for_many_subjects(
    django_assert_max_num_queries: Any,
) -> None:
    root = factories.organization()
    units = [factories.organization(parent=root) for _ in range(20)]
    persons = [factories.person() for _ in range(20)]
    for p in persons[:10]:
        approve(subject_person=p)
    with django_assert_max_num_queries(4):  # two tree levels, one for the decisions
        standings = Standings.load(TODAY, [p.pk for p in persons], [u.pk for u in units])
    assert sum(standings.person_cleared(p.pk) for p in persons) == 10


def test_attendance_override_through_the_event_coverage_page() -> None:
    manager = member(Role.MANAGER)
    event = factories.event(start_date=days(2))
    trainee = factories.participant(event=event, role="trainee")
    unit_only = factories.participant(
        event=event, role="trainee", person=None, organization=factories.organization()
    )
    client = client_for(manager)
    page = client.get(reverse("vetting:coverage", args=["event", event.pk]))
    assert [r.cleared for r in page.context["rows"]] == [False, False]
    url = reverse("vetting:override", args=["event", event.pk])
    client.post(url, {"subject": trainee.person_id, "reason": "Invité du ministre"})
    client.post(
        url, {"subject": unit_only.organization_id, "subject_kind": "unit", "reason": "Escorte"}
    )
    for participant in (trainee, unit_only):
        participant.attended = True
        participant.full_clean()
    page = client.get(reverse("vetting:coverage", args=["event", event.pk]))
    assert [r.overridden for r in page.context["rows"]] == [True, True]
