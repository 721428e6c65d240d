"""The vetting queue, files and form: for vetting officers only."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.core.choices import Release, Role
from liaison.core.tests.pages import (
    assert_constant_queries,
    client_for,
    member,
    outsider,
    page_data,
)
from liaison.vetting.models import VettingRequest
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def officer() -> Any:
    return member(Role.VETTING_OFFICER)


@pytest.fixture
def client(officer: Any) -> Any:
    return client_for(officer)


def shown(response: Any) -> set[int]:
    return {row.record.pk for row in response.context["table"].rows}


def pks(*records: Any) -> set[int]:
    return {r.pk for r in records}


def approved(**fields: Any) -> VettingRequest:
    return factories.vetting_request(
        status="approved", requested_on=days(-10), decided_on=days(-5), **fields
    )


# --- the queue ------------------------------------------------------------------------


def test_queue_answers(client: Any) -> None:
    factories.vetting_request()
    response = client.get(reverse("vetting:vettingrequest_list"))
    assert response.status_code == 200
    assert len(response.context["table"].rows) == 1


def test_queue_filters(client: Any) -> None:
    session = factories.session()
    person = factories.person(full_name="Harouna Haïdara")
    unit = factories.organization(name_fr="Bataillon autonome")
    waiting = factories.vetting_request(subject_person=person, activity=factories.activity())
    soon = approved(
        subject_organization=unit,
        subject_person=None,
        valid_until=days(20),
        enrollment=factories.enrollment(session=session),
    )
    later = approved(valid_until=days(200), event=factories.event())
    lapsed = approved(valid_until=days(-1))
    url = reverse("vetting:vettingrequest_list")
    assert shown(client.get(url, {"status": "requested"})) == pks(waiting)
    assert shown(client.get(url, {"subject": "haidara"})) == pks(waiting)
    assert shown(client.get(url, {"subject": "bataillon"})) == pks(soon)
    assert shown(client.get(url, {"subject_person": person.pk})) == pks(waiting)
    assert shown(client.get(url, {"subject_organization": unit.pk})) == pks(soon)
    assert shown(client.get(url, {"purpose": "activity"})) == pks(waiting)
    assert shown(client.get(url, {"purpose": "enrollment"})) == pks(soon)
    assert shown(client.get(url, {"purpose": "event"})) == pks(later)
    assert shown(client.get(url, {"purpose": "none"})) == pks(lapsed)
    assert shown(client.get(url, {"session": session.pk})) == pks(soon)
    assert shown(client.get(url, {"expiring_within": "30"})) == pks(soon)
    assert shown(client.get(url, {"expiring_within": "365"})) == pks(soon, later)
    valid = {"valid_until_after": days(-5).isoformat(), "valid_until_before": days(30).isoformat()}
    assert shown(client.get(url, valid)) == pks(soon, lapsed)


def test_non_officers_see_an_empty_queue() -> None:
    factories.vetting_request(release=Release.OPEN)
    for role in (Role.VIEWER, Role.EDITOR, Role.MANAGER, Role.ADMINISTRATOR):
        response = client_for(member(role)).get(reverse("vetting:vettingrequest_list"))
        assert response.status_code == 200
        assert len(response.context["table"].rows) == 0


# --- the file -----------------------------------------------------------------------------


def test_file_page_shows_decision_hits_and_other_requests(client: Any) -> None:
    person = factories.person(full_name="Harouna Haïdara")
    current = approved(subject_person=person, valid_until=days(10), decision_reason="RAS")
    older = factories.vetting_request(subject_person=person, status="expired")
    factories.vetting_request()  # another subject
    factories.screening_hit(
        person=person, score=Decimal("0.870"), explanation="Nom et date de naissance"
    )
    response = client.get(current.get_absolute_url())
    assert response.status_code == 200
    assert "RAS" in response.text
    assert "Nom et date de naissance" in response.text
    assert list(response.context["related"][0]["rows"]) == [older]
    assert response.context["days_left"] == 10
    assert 'role="alert"' in response.text


def test_non_officers_get_404_on_a_file() -> None:
    request = factories.vetting_request(release=Release.OPEN)
    for role in (Role.VIEWER, Role.EDITOR, Role.MANAGER, Role.ADMINISTRATOR):
        client = client_for(member(role))
        assert client.get(request.get_absolute_url()).status_code == 404
        edit = reverse("vetting:vettingrequest_edit", args=[request.pk])
        assert client.get(edit).status_code == 404
        assert client.get(reverse("vetting:vettingrequest_add")).status_code == 403


def test_officer_of_another_workspace_gets_404_on_a_private_file() -> None:
    request = factories.vetting_request()
    client = client_for(member(Role.VETTING_OFFICER, factories.workspace()))
    assert client.get(request.get_absolute_url()).status_code == 404
    assert client_for(outsider()).get(request.get_absolute_url()).status_code == 404


def test_officer_of_another_workspace_reads_an_open_file_but_cannot_edit_it() -> None:
    request = factories.vetting_request(release=Release.OPEN)
    client = client_for(member(Role.VETTING_OFFICER, factories.workspace()))
    assert client.get(request.get_absolute_url()).status_code == 200
    edit = reverse("vetting:vettingrequest_edit", args=[request.pk])
    assert client.get(edit).status_code == 403


# --- the form -----------------------------------------------------------------------------


def test_create_then_decide_on_the_file_page(client: Any, officer: Any) -> None:
    person = factories.person()
    activity = factories.activity()
    response = client.post(
        reverse("vetting:vettingrequest_add"),
        {
            "subject_person": person.pk,
            "activity": activity.pk,
            "requested_on": days(-3).isoformat(),
            "owner": factories.owner_workspace().pk,
            "release": "private",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    request = VettingRequest.objects.get(subject_person=person)
    assert (request.activity, request.status) == (activity, "requested")
    # The decision is not in the edit form (test_one_way_to_decide), but on the file page.
    response = client.post(
        reverse("vetting:decide", args=[request.pk]),
        {"status": "approved", "valid_until": days(365).isoformat(), "reason": "RAS"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved"
    assert request.decided_by == officer
    assert request.decided_on == TODAY


def test_one_subject_only(client: Any) -> None:
    response = client.post(
        reverse("vetting:vettingrequest_add"),
        {
            "subject_person": factories.person().pk,
            "subject_organization": factories.organization().pk,
            "status": "requested",
            "requested_on": TODAY.isoformat(),
            "owner": factories.owner_workspace().pk,
            "release": "private",
        },
    )
    assert response.status_code == 400
    assert not VettingRequest.objects.exists()


def test_stale_edit_is_refused_and_changes_nothing(client: Any) -> None:
    request = factories.vetting_request(requested_on=days(-5))
    url = reverse("vetting:vettingrequest_edit", args=[request.pk])
    data = page_data(client.get(url))
    request.requested_on = days(-4)
    request.save()
    data["requested_on"] = days(-3).isoformat()
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    request.refresh_from_db()
    assert request.requested_on == days(-4)


def test_viewer_gets_403_on_edit_pages() -> None:
    # A vetting officer reads the files of the workspace; only they write them, so a
    # viewer of the workspace, who cannot see the file, gets the 404 of any hidden record.
    request = factories.vetting_request()
    client = client_for(member(Role.VIEWER))
    assert client.get(reverse("vetting:vettingrequest_edit", args=[request.pk])).status_code == 404
    assert client.get(reverse("vetting:vettingrequest_add")).status_code == 403


def test_search_finds_files_for_officers_only(client: Any) -> None:
    request = factories.vetting_request(subject_person=factories.person(full_name="Moussa Traoré"))
    found = client.get(reverse("search"), {"q": "traore"}).context["groups"]
    assert request in [r for g in found for r in g.results]
    other = client_for(member(Role.MANAGER)).get(reverse("search"), {"q": "traore"})
    assert request not in [r for g in other.context["groups"] for r in g.results]


# --- query counts -----------------------------------------------------------------------


def test_queue_queries_do_not_grow(client: Any) -> None:
    purposes: list[Callable[[], dict[str, Any]]] = [
        lambda: {"activity": factories.activity()},
        lambda: {"enrollment": factories.enrollment()},
        lambda: {"event": factories.event()},
    ]

    def add(n: int) -> None:
        for i in range(n):
            factories.vetting_request(**purposes[i % 3]())
            factories.vetting_request(
                subject_person=None, subject_organization=factories.organization()
            )

    assert_constant_queries(client, reverse("vetting:vettingrequest_list"), add)


def test_file_queries_do_not_grow(client: Any) -> None:
    person = factories.person()
    request = factories.vetting_request(subject_person=person, event=factories.event())

    def add(n: int) -> None:
        for _ in range(n):
            factories.vetting_request(subject_person=person)
            factories.screening_hit(person=person)

    assert_constant_queries(client, request.get_absolute_url(), add)
