"""One way to decide: a vetting file's decision (status, reasons, evidence, who decided,
when, until when) changes only through the decision services (decide, suspend, cancel,
reinstate, expire). Every other channel (the edit form, the admin, the API) tries to
change it directly here, and nothing changes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from liaison.core.api.etags import etag_for
from liaison.core.choices import Role
from liaison.core.tests.pages import client_for, form_data, member, page_data, token_client
from liaison.vetting import gate, services
from liaison.vetting.models import VettingRequest
from tests import factories

pytestmark = pytest.mark.django_db


TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def officer() -> Any:
    user = member(Role.VETTING_OFFICER)
    user.is_staff = True  # for the admin
    user.save()
    return user


def decision(request: VettingRequest) -> tuple[Any, ...]:
    request.refresh_from_db()
    return tuple(getattr(request, name) for name in VettingRequest.DECISION_FIELDS)


def denied_file(officer: Any) -> VettingRequest:
    """A file denied through the service, with its reasons and evidence."""
    request = factories.vetting_request(requested_on=days(-10))
    return services.decide(
        request,
        "denied",
        acting_user=officer,
        reason="Unité citée par le rapport de la MINUSMA",
        evidence="Rapport MINUSMA 2023",
    )


def forged(accomplice: Any) -> dict[str, str]:
    """What an attacker posts to approve a file without a decision."""
    return {
        "status": "approved",
        "decided_on": days(-1).isoformat(),
        "decided_by": str(accomplice.pk),
        "decision_reason": "RAS",
        "evidence": "aucune",
        "valid_until": days(3000).isoformat(),
        "conditions": "aucune",
        "hits_on": "unit",
    }


# --- the edit form ---------------------------------------------------------------------


def test_the_edit_form_does_not_change_the_decision(officer: Any) -> None:
    request = denied_file(officer)
    before = decision(request)
    client = client_for(officer)
    url = reverse("vetting:vettingrequest_edit", args=[request.pk])
    page = client.get(url)
    assert not {"status", "decision_reason", "evidence", "valid_until"} & set(
        page.context["form"].fields
    )
    data = page_data(page)
    data.update(forged(officer), requested_on=days(-12).isoformat())
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert decision(request) == before
    assert request.requested_on == days(-12)  # the rest of the form still saves
    person_id = request.subject_person_id
    assert person_id is not None
    assert not gate.Standings.load(TODAY, persons={person_id}).person_cleared(person_id, None)


def test_a_decided_file_keeps_its_subject(officer: Any) -> None:
    """Moving an approval to someone else would clear them without a decision."""
    request = factories.vetting_request(requested_on=days(-10))
    services.decide(request, "approved", acting_user=officer, reason="RAS")
    subject = request.subject_person
    other = factories.person(full_name="Quelqu'un d'autre")
    client = client_for(officer)
    url = reverse("vetting:vettingrequest_edit", args=[request.pk])
    data = page_data(client.get(url))
    data["subject_person"] = str(other.pk)
    client.post(url, data)
    request.refresh_from_db()
    assert request.subject_person == subject
    # An open file may still be corrected.
    waiting = factories.vetting_request(requested_on=days(-3))
    url = reverse("vetting:vettingrequest_edit", args=[waiting.pk])
    data = page_data(client.get(url))
    data["subject_person"] = str(other.pk)
    assert client.post(url, data).status_code == 302
    waiting.refresh_from_db()
    assert waiting.subject_person == other


def test_a_new_file_from_the_form_is_requested_whatever_is_posted(officer: Any) -> None:
    person = factories.person()
    response = client_for(officer).post(
        reverse("vetting:vettingrequest_add"),
        {
            "subject_person": person.pk,
            "requested_on": days(-3).isoformat(),
            "owner": factories.owner_workspace().pk,
            "release": "private",
            **forged(officer),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    created = VettingRequest.objects.get(subject_person=person)
    assert decision(created) == ("requested", None, None, "", "", None, "", "")


# --- the admin -------------------------------------------------------------------------


def _admin_data(response: Any) -> dict[str, Any]:
    data = form_data(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets") or []:
        data.update(form_data(inline.formset.management_form))
    return data


def test_the_admin_does_not_change_the_decision(officer: Any) -> None:
    request = denied_file(officer)
    before = decision(request)
    subject = request.subject_person_id
    client = client_for(officer)
    url = reverse("admin:vetting_vettingrequest_change", args=[request.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert not set(VettingRequest.DECISION_FIELDS) & set(page.context["adminform"].form.fields)
    assert "Unité citée par le rapport" in page.text  # shown, read-only
    data = _admin_data(page)
    data.update(forged(officer), subject_person=str(factories.person().pk), _save="1")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert decision(request) == before
    assert request.subject_person_id == subject


def test_the_admin_cannot_revert_a_decision(officer: Any) -> None:
    request = factories.vetting_request(requested_on=days(-10))
    requested = request.history.latest()
    denied_now = services.decide(request, "denied", acting_user=officer, reason="Allégations")
    client = client_for(officer)
    url = reverse(
        "admin:vetting_vettingrequest_simple_history",
        args=[request.pk, requested.history_id],
    )
    page = client.get(url)
    assert page.status_code == 200
    data = _admin_data(page)
    assert client.post(url, data).status_code == 403
    assert decision(request)[0] == "denied"
    assert decision(request) == decision(denied_now)


def test_a_new_file_from_the_admin_is_requested(officer: Any) -> None:
    client = client_for(officer)
    url = reverse("admin:vetting_vettingrequest_add")
    data = _admin_data(client.get(url))
    person = factories.person()
    data.update(
        forged(officer),
        subject_person=str(person.pk),
        requested_on=days(-2).isoformat(),
        owner=str(factories.owner_workspace().pk),
        release="private",
        _save="1",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = VettingRequest.objects.get(subject_person=person)
    assert decision(created) == ("requested", None, None, "", "", None, "", "")


# --- the API ---------------------------------------------------------------------------


def test_the_api_does_not_change_the_decision(officer: Any) -> None:
    request = denied_file(officer)
    before = decision(request)
    subject = request.subject_person_id
    client = token_client(officer)
    url = f"/api/vetting-requests/{request.pk}/"
    body = client.get(url).json()
    forged_body = {**forged(officer), "decided_by": officer.username}
    forged_body["subject_person"] = factories.person().pk
    # PATCH
    response = client.patch(url, forged_body, format="json", HTTP_IF_MATCH=etag_for(request))
    assert response.status_code in (200, 400), response.content
    assert decision(request) == before
    assert request.subject_person_id == subject
    # PUT: the whole file as read, with the decision forged
    whole = {k: v for k, v in body.items() if k not in ("id", "version", "created_by")}
    whole.update(forged_body)
    response = client.put(url, whole, format="json", HTTP_IF_MATCH=etag_for(request))
    assert response.status_code in (200, 400), response.content
    assert decision(request) == before
    assert request.subject_person_id == subject
    schema = client.get("/api/schema/?format=json").json()
    properties = schema["components"]["schemas"]["VettingRequest"]["properties"]
    for name in VettingRequest.DECISION_FIELDS:
        assert properties[name].get("readOnly"), name


def test_a_new_file_from_the_api_is_requested(officer: Any) -> None:
    person = factories.person()
    client = token_client(officer)
    body = {
        "subject_person": person.pk,
        "requested_on": days(-2).isoformat(),
        **forged(officer),
        "decided_by": officer.username,
    }
    response = client.post("/api/vetting-requests/", body, format="json")
    assert response.status_code == 201, response.content
    created = VettingRequest.objects.get(pk=response.json()["id"])
    assert decision(created) == ("requested", None, None, "", "", None, "", "")
    assert response.json()["status"] == "requested"


# --- the services ----------------------------------------------------------------------


def test_cancel_closes_an_open_file_only(officer: Any) -> None:
    request = factories.vetting_request(requested_on=days(-4))
    with translation.override("en"), pytest.raises(ValidationError, match="reason"):
        services.cancel(request, acting_user=officer, reason=" ")
    with pytest.raises(PermissionDenied):
        services.cancel(request, acting_user=member(Role.MANAGER), reason="Plus utile")
    cancelled = services.cancel(request, acting_user=officer, reason="Stagiaire retiré")
    assert (cancelled.status, cancelled.decided_by, cancelled.decided_on) == (
        "cancelled",
        officer,
        TODAY,
    )
    assert cancelled.decision_reason == "Stagiaire retiré"
    history = [h.status for h in cancelled.history.order_by("history_id")]
    assert history == ["requested", "cancelled"]
    assert cancelled.history.latest().history_user == officer
    # Cancelled is final; a decided file is not cancelled.
    with translation.override("en"), pytest.raises(ValidationError, match="cannot become"):
        services.cancel(cancelled, acting_user=officer, reason="Encore")
    with translation.override("en"), pytest.raises(ValidationError, match="cannot become"):
        services.decide(cancelled, "in_review", acting_user=officer)
    approved = factories.vetting_request(requested_on=days(-4))
    services.decide(approved, "approved", acting_user=officer, reason="RAS")
    with translation.override("en"), pytest.raises(ValidationError, match="cannot become"):
        services.cancel(approved, acting_user=officer, reason="Plus utile")
    # A cancelled file leaves the queue and a new request may be made.
    assert cancelled.subject_person_id is not None
    persons, _units = services.open_or_valid({cancelled.subject_person_id}, set(), TODAY)
    assert persons == set()


def test_reinstate_restores_a_suspended_approval_until_its_end(officer: Any) -> None:
    request = factories.vetting_request(requested_on=days(-30))
    services.decide(
        request, "approved", acting_user=officer, reason="RAS", valid_until=days(200), on=days(-20)
    )
    services.suspend(request, acting_user=officer, reason="Allégations nouvelles", on=days(-5))
    request.refresh_from_db()
    assert request.status == "suspended"
    assert not request.is_valid_on(TODAY)
    assert services.may_reinstate(request)
    with translation.override("en"), pytest.raises(ValidationError, match="reasons"):
        services.reinstate(request, acting_user=officer, reason="")
    with pytest.raises(PermissionDenied):
        services.reinstate(request, acting_user=member(Role.MANAGER), reason="RAS")
    back = services.reinstate(request, acting_user=officer, reason="Allégations infondées")
    assert (back.status, back.valid_until, back.decided_on, back.decided_by) == (
        "approved",
        days(200),
        TODAY,
        officer,
    )
    assert back.is_valid_on(TODAY)
    assert not back.is_valid_on(days(-10))  # not during the suspension
    assert [h.status for h in back.history.order_by("history_id")] == [
        "requested",
        "approved",
        "suspended",
        "approved",
    ]
    # Only a suspended file is reinstated.
    with translation.override("en"), pytest.raises(ValidationError, match="cannot become"):
        services.reinstate(back, acting_user=officer, reason="Encore")


def test_reinstate_refuses_what_was_never_approved_or_has_ended(officer: Any) -> None:
    never = factories.vetting_request(requested_on=days(-30))
    services.decide(never, "in_review", acting_user=officer)
    services.suspend(never, acting_user=officer, reason="En attente d'information")
    never.refresh_from_db()
    assert not services.may_reinstate(never)
    with translation.override("en"), pytest.raises(ValidationError, match="never approved"):
        services.reinstate(never, acting_user=officer, reason="RAS")
    ended = factories.vetting_request(requested_on=days(-400))
    services.decide(
        ended, "approved", acting_user=officer, reason="RAS", valid_until=days(-2), on=days(-390)
    )
    services.suspend(ended, acting_user=officer, reason="Allégations", on=days(-100))
    ended.refresh_from_db()
    assert not services.may_reinstate(ended)
    with translation.override("en"), pytest.raises(ValidationError, match="ended"):
        services.reinstate(ended, acting_user=officer, reason="RAS")
    ended.refresh_from_db()
    assert ended.status == "suspended"


def test_the_file_page_cancels_and_reinstates(officer: Any) -> None:
    client = client_for(officer)
    request = factories.vetting_request(requested_on=days(-4))
    page = client.get(request.get_absolute_url())
    assert 'id="cancel"' in page.text
    assert 'id="reinstate"' not in page.text
    cancel = reverse("vetting:cancel", args=[request.pk])
    for role in (Role.VIEWER, Role.EDITOR, Role.MANAGER):
        assert client_for(member(role)).post(cancel, {"reason": "x"}).status_code == 404
    assert client.post(cancel, {"reason": ""}).status_code == 302
    request.refresh_from_db()
    assert request.status == "requested"  # refused: no reason
    assert client.post(cancel, {"reason": "Stagiaire retiré"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "cancelled"
    page = client.get(request.get_absolute_url())
    assert 'id="cancel"' not in page.text
    assert 'id="decision"' not in page.text

    suspended = factories.vetting_request(requested_on=days(-4))
    services.decide(suspended, "approved", acting_user=officer, reason="RAS")
    page = client.get(suspended.get_absolute_url())
    assert 'id="reinstate"' not in page.text
    assert 'id="cancel"' not in page.text
    # Suspending is one of the decisions of the decision form.
    response = client.post(
        reverse("vetting:decide", args=[suspended.pk]),
        {"status": "suspended", "reason": "Allégations nouvelles"},
    )
    assert response.status_code == 302
    suspended.refresh_from_db()
    assert suspended.status == "suspended"
    page = client.get(suspended.get_absolute_url())
    assert 'id="reinstate"' in page.text
    reinstate = reverse("vetting:reinstate", args=[suspended.pk])
    assert client_for(member(Role.MANAGER)).post(reinstate, {"reason": "x"}).status_code == 404
    assert client.post(reinstate, {"reason": "Allégations infondées"}).status_code == 302
    suspended.refresh_from_db()
    assert (suspended.status, suspended.decision_reason) == ("approved", "Allégations infondées")
