"""Creating, editing and deleting through the pages: history, the version guard, child
records edited inline, links the user may not see, and who may do what."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from liaison.activities.models import (
    Activity,
    ActivityParticipation,
    Agreement,
    Assignment,
    BudgetLine,
    Indicator,
    Request,
    Transaction,
)
from liaison.core.choices import Release
from liaison.core.context import acting_as
from tests import factories as f

from .conftest import Mission, form_data

pytestmark = pytest.mark.django_db


def _edit_page(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response)


def test_creating_an_activity_with_its_children_records_who_did_it(mission: Mission) -> None:
    client = mission.client("editor")
    url = reverse("activities:activity_add")
    donor = f.organization(owner=mission.workspace, name_fr="DCSD")
    data = _edit_page(client, url)
    assert data["owner"] == str(mission.workspace.pk)
    data.update(
        {
            "title": "Formation au droit des conflits armés",
            "activity_type": "training",
            "status": "implementation",
            "planned_start": "2025-03-01",
            "planned_end": "2025-03-05",
            "participations-0-organization": str(donor.pk),
            "participations-0-role": "funding",
            "budget-0-kind": "original",
            "budget-0-period_start": "2025-01-01",
            "budget-0-period_end": "2025-12-31",
            "budget-0-amount": "15000.00",
            "budget-0-currency": "USD",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = Activity.objects.get(title="Formation au droit des conflits armés")
    assert response["Location"] == activity.get_absolute_url()
    assert activity.owner == mission.workspace
    assert activity.created_by == mission.editor
    assert activity.planned_start == datetime.date(2025, 3, 1)
    assert activity.history.get().history_user == mission.editor
    participation = ActivityParticipation.objects.get(activity=activity)
    assert (participation.organization, participation.role) == (donor, "funding")
    line = BudgetLine.objects.get(activity=activity)
    assert (line.amount, line.currency) == (Decimal("15000.00"), "USD")
    assert line.history.get().history_user == mission.editor


def test_editing_an_activity_and_its_children_saves_them_together(mission: Mission) -> None:
    ws = mission.workspace
    activity = f.activity(owner=ws, title="Ancien titre")
    place = f.activity_place(activity=activity, locality="Kati")
    objective = f.objective(activity=activity, text="Former")
    indicator = f.indicator(activity=activity, objective=objective)
    client = mission.client("editor")
    url = reverse("activities:activity_edit", args=[activity.pk])
    data = _edit_page(client, url)
    data.update(
        {
            "title": "Nouveau titre",
            "places-0-DELETE": "on",
            "transactions-0-transaction_type": "disbursement",
            "transactions-0-date": "2025-02-01",
            "transactions-0-amount": "1200",
            "transactions-0-currency": "EUR",
            # The objective goes; its indicator stays, without objective.
            "objectives-0-DELETE": "on",
            "indicators-0-actual": "7",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    activity.refresh_from_db()
    assert activity.title == "Nouveau titre"
    assert activity.version == 2
    latest = activity.history.first()
    assert latest is not None
    assert latest.history_user == mission.editor
    assert not activity.places.filter(pk=place.pk).exists()
    assert Transaction.objects.get(activity=activity).amount == Decimal("1200")
    indicator.refresh_from_db()
    assert (indicator.objective, indicator.actual) == (None, Decimal("7"))
    assert not activity.objectives.exists()


def test_an_invalid_child_row_saves_nothing(mission: Mission) -> None:
    activity = f.activity(owner=mission.workspace, title="Titre")
    client = mission.client("editor")
    url = reverse("activities:activity_edit", args=[activity.pk])
    data = _edit_page(client, url)
    data.update(
        {
            "title": "Autre titre",
            "budget-0-period_start": "2025-12-31",
            "budget-0-period_end": "2025-01-01",
            "budget-0-amount": "10",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in response.content.decode()
    activity.refresh_from_db()
    assert activity.title == "Titre"
    assert not activity.budget_lines.exists()


def test_a_stale_edit_is_refused_and_changes_nothing(mission: Mission) -> None:
    activity = f.activity(owner=mission.workspace, title="Titre d'origine")
    client = mission.client("editor")
    url = reverse("activities:activity_edit", args=[activity.pk])
    data = _edit_page(client, url)
    assert data["version"] == "1"
    with acting_as(mission.manager):
        activity.title = "Changé entre-temps"
        activity.save()
    data.update(
        {
            "title": "Mon titre",
            "budget-0-period_start": "2025-01-01",
            "budget-0-period_end": "2025-12-31",
            "budget-0-amount": "10",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    activity.refresh_from_db()
    assert activity.title == "Changé entre-temps"
    assert activity.version == 2
    assert not activity.budget_lines.exists()


def test_a_stale_edit_of_a_request_is_refused(mission: Mission) -> None:
    request = f.request(owner=mission.workspace, title="Demande")
    client = mission.client("editor")
    url = reverse("activities:request_edit", args=[request.pk])
    data = _edit_page(client, url)
    Request.objects.filter(pk=request.pk).update(version=5, title="Autre main")
    response = client.post(url, {**data, "title": "Ma version"})
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    request.refresh_from_db()
    assert request.title == "Autre main"


RECORDS: list[tuple[str, Callable[..., Any]]] = [
    ("activity", f.activity),
    ("agreement", f.agreement),
    ("request", f.request),
    ("assignment", f.assignment),
]


@pytest.mark.parametrize(("name", "make"), RECORDS)
def test_an_editor_elsewhere_cannot_find_a_private_record(
    mission: Mission, other_mission: Mission, name: str, make: Callable[..., Any]
) -> None:
    record = make(owner=mission.workspace, release=Release.PRIVATE)
    client = other_mission.client("editor")
    for page in ("", "_edit", "_delete"):
        url = reverse(f"activities:{name}{page}", args=[record.pk])
        assert client.get(url).status_code == 404, url
    url = reverse(f"activities:{name}_edit", args=[record.pk])
    assert client.post(url, {"title": "x"}).status_code == 404


@pytest.mark.parametrize(("name", "make"), RECORDS)
def test_a_viewer_may_read_but_not_change(
    mission: Mission, other_mission: Mission, name: str, make: Callable[..., Any]
) -> None:
    record = make(owner=mission.workspace)
    viewer = mission.client("viewer")
    assert viewer.get(reverse(f"activities:{name}", args=[record.pk])).status_code == 200
    edit = reverse(f"activities:{name}_edit", args=[record.pk])
    assert viewer.get(edit).status_code == 403
    assert viewer.post(edit, {"title": "x"}).status_code == 403
    assert viewer.get(reverse(f"activities:{name}_add")).status_code == 403
    # An editor elsewhere sees an open record but may not change it.
    opened = make(owner=mission.workspace, release=Release.OPEN)
    edit = reverse(f"activities:{name}_edit", args=[opened.pk])
    assert other_mission.client("editor").get(edit).status_code == 403


def test_only_managers_delete(mission: Mission) -> None:
    activity = f.activity(owner=mission.workspace)
    url = reverse("activities:activity_delete", args=[activity.pk])
    assert mission.client("editor").post(url).status_code == 403
    response = mission.client("manager").post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:activity_list")
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_creating_a_request_an_agreement_and_an_assignment(mission: Mission) -> None:
    ws = mission.workspace
    client = mission.client("editor")
    requester, host = f.organization(owner=ws), f.organization(owner=ws)
    answer = f.activity(owner=ws)
    data = _edit_page(client, reverse("activities:request_add"))
    data.update(
        title="Sollicitation",
        requester=requester.pk,
        received_on="2025-01-10",
        urgency="short_notice",
        status="received",
        answered_by=[answer.pk],
    )
    assert client.post(reverse("activities:request_add"), data).status_code == 302
    request = Request.objects.get(title="Sollicitation")
    assert list(request.answered_by.all()) == [answer]
    data = _edit_page(client, reverse("activities:agreement_add"))
    data.update(title="Convention", parties=[requester.pk, host.pk], signed_on="2015-03-01")
    assert client.post(reverse("activities:agreement_add"), data).status_code == 302
    assert set(Agreement.objects.get(title="Convention").parties.all()) == {requester, host}
    person = f.person(owner=ws)
    data = _edit_page(client, reverse("activities:assignment_add"))
    data.update(person=person.pk, organization=host.pk, role="Conseiller", activity=answer.pk)
    assert client.post(reverse("activities:assignment_add"), data).status_code == 302
    assignment = Assignment.objects.get(person=person)
    assert assignment.history.get().history_user == mission.editor


def test_an_activity_cannot_be_its_own_programme(mission: Mission) -> None:
    programme = f.activity(owner=mission.workspace)
    child = f.activity(owner=mission.workspace, parent=programme)
    client = mission.client("editor")
    url = reverse("activities:activity_edit", args=[programme.pk])
    data = _edit_page(client, url)
    response = client.post(url, {**data, "parent": child.pk})
    assert response.status_code == 400
    programme.refresh_from_db()
    assert programme.parent is None


# --- links to records the user may not see --------------------------------------------


def test_pickers_offer_only_what_the_user_sees(mission: Mission, other_mission: Mission) -> None:
    ws = mission.workspace
    hidden = f.organization(owner=other_mission.workspace)
    activity = f.activity(owner=ws)
    other = f.activity(owner=ws)
    mine = f.objective(activity=activity)
    f.objective(activity=other)
    f.activity_place(activity=activity, country=f.country("ML"))
    response = mission.client("editor").get(reverse("activities:activity_edit", args=[activity.pk]))
    formsets = {fs.prefix: fs for fs in response.context["formsets"]}
    organizations = formsets["participations"].forms[0].fields["organization"].queryset
    assert hidden not in organizations
    objectives = formsets["indicators"].forms[0].fields["objective"].queryset
    assert list(objectives) == [mine]
    regions = formsets["places"].forms[0].fields["subdivision"].queryset
    assert {s.country.alpha2 for s in regions} == {"ML"}
    assert (
        response.context["form"]
        .fields["agreement"]
        .queryset.filter(owner=other_mission.workspace)
        .count()
        == 0
    )


def test_links_the_user_may_not_see_are_kept_on_save(
    mission: Mission, other_mission: Mission
) -> None:
    ws, elsewhere = mission.workspace, other_mission.workspace
    hidden_org = f.organization(owner=elsewhere)
    shown_org = f.organization(owner=ws)
    agreement = f.agreement(owner=ws)
    agreement.parties.set([hidden_org, shown_org])
    hidden_agreement = f.agreement(owner=elsewhere)
    activity = f.activity(owner=ws, agreement=hidden_agreement)
    hidden_participation = f.activity_participation(
        activity=activity, organization=hidden_org, role="funding"
    )
    transaction = f.transaction(activity=activity, provider=hidden_org)
    client = mission.client("editor")

    url = reverse("activities:agreement_edit", args=[agreement.pk])
    data = _edit_page(client, url)
    assert data["parties"] == [str(shown_org.pk)]
    assert client.post(url, {**data, "title": "Renommée"}).status_code == 302
    assert set(agreement.parties.all()) == {hidden_org, shown_org}

    url = reverse("activities:activity_edit", args=[activity.pk])
    data = _edit_page(client, url)
    assert "agreement" not in data
    data.update({"title": "Renommée", "transactions-0-amount": "99"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    activity.refresh_from_db()
    transaction.refresh_from_db()
    assert activity.agreement == hidden_agreement
    assert (transaction.amount, transaction.provider) == (Decimal("99"), hidden_org)
    assert ActivityParticipation.objects.filter(pk=hidden_participation.pk).exists()


def test_indicators_keep_their_values(mission: Mission) -> None:
    activity = f.activity(owner=mission.workspace)
    indicator = f.indicator(activity=activity, target=Decimal("20"))
    client = mission.client("editor")
    url = reverse("activities:activity_edit", args=[activity.pk])
    data = _edit_page(client, url)
    assert data["indicators-0-target"] == "20.00"
    assert client.post(url, data).status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).target == Decimal("20")
