"""Detail pages: everything related to a record, as the user may see it, in a fixed
number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from liaison.activities.models import Activity
from liaison.core.choices import Release
from tests import factories as f

from .conftest import Mission, query_count

pytestmark = pytest.mark.django_db


def test_the_activity_page_shows_everything_related(mission: Mission) -> None:
    ws = mission.workspace
    activity = f.activity(owner=ws, title="Appui à l'EMP", currency="EUR")
    roles = ("funding", "accountable", "extending", "implementing", "beneficiary")
    for role in roles:
        f.activity_participation(
            activity=activity,
            organization=f.organization(owner=ws, name_en=f"The {role} organisation"),
            role=role,
        )
    f.activity_place(activity=activity, subdivision=f.subdivision("ML-BKO"), locality="Bamako")
    f.budget_line(activity=activity, amount=Decimal("1000"), currency="EUR")
    f.budget_line(activity=activity, amount=Decimal("500.50"), currency="EUR")
    f.budget_line(activity=activity, amount=Decimal("2000000"), currency="XOF")
    f.transaction(activity=activity, amount=Decimal("300"), transaction_type="disbursement")
    f.transaction(activity=activity, amount=Decimal("200"), transaction_type="disbursement")
    objective = f.objective(activity=activity, text="Former 20 officiers")
    f.indicator(
        activity=activity,
        objective=objective,
        title="Officiers formés",
        baseline=Decimal("2"),
        baseline_year=2023,
        target=Decimal("20"),
        actual=Decimal("12"),
    )
    f.indicator(activity=activity, title="Cours ouverts")
    answered = f.request(owner=ws, title="Sollicitation sur court préavis")
    answered.answered_by.add(activity)
    session = f.session(owner=ws, activity=activity, name="Session de printemps")
    event = f.event(owner=ws, activity=activity, title="Séminaire DIH")
    assignment = f.assignment(owner=ws, activity=activity, role="Conseiller juridique")
    child = f.activity(owner=ws, parent=activity, title="Volet formation")
    f.citation(record=activity, source=f.source(owner=ws), quote="la France œuvre")

    response = mission.client("viewer").get(activity.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    groups = dict(response.context["participation_groups"])
    assert [str(label) for label in groups] == [
        "Donors (funding)",
        "Accountable",
        "Extending",
        "Implementing",
        "Beneficiaries",
    ]
    for role in roles:
        assert f"The {role} organisation" in page
    assert "Bamako, Bamako (ML-BKO), Mali" in page
    # Totals per currency, written the English way.
    assert "€1,500.50" in page
    assert "F\u202fCFA2,000,000" in page
    assert "€500.00" in page  # the disbursements
    assert "Former 20 officiers" in page
    assert "Officiers formés" in page
    for cell in ("2 (2023)", "20", "12"):
        assert f'<td class="amount">{cell}</td>' in page
    assert "Cours ouverts" in page
    for record in (answered, session, event, assignment, child):
        assert record.get_absolute_url() in page
    assert "la France œuvre" in page
    # The history names who created the record.
    assert response.context["history"]


def test_amounts_and_dates_follow_the_language(mission: Mission) -> None:
    activity = f.activity(owner=mission.workspace, planned_start=datetime.date(2024, 3, 1))
    f.budget_line(activity=activity, amount=Decimal("1500"), currency="EUR")
    french = mission.client("viewer")
    page = french.get(activity.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "1\u202f500,00\xa0€" in page
    assert "1 mars 2024" in page
    page = french.get(activity.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "€1,500.00" in page
    assert "1 March 2024" in page  # day first (liaison/formats/en)


def test_the_activity_page_hides_linked_records_the_user_may_not_see(
    mission: Mission, other_mission: Mission
) -> None:
    hidden_org = f.organization(owner=other_mission.workspace, name_fr="Unité secrète")
    hidden_agreement = f.agreement(owner=other_mission.workspace, title="Accord secret")
    activity = f.activity(owner=mission.workspace, agreement=hidden_agreement)
    f.activity_participation(activity=activity, organization=hidden_org, role="funding")
    f.transaction(activity=activity, provider=hidden_org)
    f.request(owner=other_mission.workspace, title="Demande secrète").answered_by.add(activity)
    page = mission.client("viewer").get(activity.get_absolute_url()).content.decode()
    for secret in ("Unité secrète", "Accord secret", "Demande secrète"):
        assert secret not in page


def test_the_request_page_shows_its_age_while_unanswered(mission: Mission) -> None:
    today = timezone.localdate()
    request = f.request(
        owner=mission.workspace,
        received_on=today - datetime.timedelta(days=12),
        due_on=today - datetime.timedelta(days=2),
    )
    response = mission.client("viewer").get(request.get_absolute_url())
    assert response.context["waiting_days"] == 12
    assert response.context["overdue"] is True
    assert "Waiting for an answer for 12 days." in response.content.decode()


def test_the_request_page_shows_the_activities_that_answered_it(mission: Mission) -> None:
    request = f.request(owner=mission.workspace, received_on=datetime.date(2024, 1, 1))
    activity = f.activity(owner=mission.workspace, title="Réponse rapide")
    request.answered_by.add(activity)
    response = mission.client("viewer").get(request.get_absolute_url())
    page = response.content.decode()
    assert response.context["answered"] is True
    assert response.context["waiting_days"] is None
    assert "Waiting for an answer" not in page
    assert activity.get_absolute_url() in page


def test_agreement_and_assignment_pages(mission: Mission, other_mission: Mission) -> None:
    ws = mission.workspace
    agreement = f.agreement(owner=ws, title="Convention de partenariat")
    party = f.organization(owner=ws, name_fr="Ministère de la Défense")
    hidden = f.organization(owner=other_mission.workspace, name_fr="Partie cachée")
    agreement.parties.set([party, hidden])
    activity = f.activity(owner=ws, agreement=agreement, title="Action sous convention")
    client = mission.client("viewer")
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Ministère de la Défense" in page
    assert "Partie cachée" not in page
    assert activity.get_absolute_url() in page
    person = f.person(owner=ws, full_name="Jean Dupont")
    assignment = f.assignment(owner=ws, person=person, activity=activity, role="Instructeur")
    page = client.get(assignment.get_absolute_url()).content.decode()
    assert "Jean Dupont" in page
    assert "Instructeur" in page
    assert activity.get_absolute_url() in page


# --- query counts --------------------------------------------------------------------


def _add_to_activity(activity: Activity, ws: Any, n: int) -> None:
    for i in range(n):
        for role in ("funding", "implementing", "beneficiary"):
            f.activity_participation(
                activity=activity, organization=f.organization(owner=ws), role=role
            )
        f.activity_place(activity=activity, subdivision=f.subdivision("ML-BKO"))
        f.budget_line(activity=activity, currency=("EUR", "XOF")[i % 2])
        f.transaction(
            activity=activity,
            provider=f.organization(owner=ws),
            receiver=f.organization(owner=ws),
        )
        objective = f.objective(activity=activity)
        f.indicator(activity=activity, objective=objective)
        f.indicator(activity=activity)
        f.request(owner=ws).answered_by.add(activity)
        f.session(owner=ws, activity=activity)
        f.event(owner=ws, activity=activity)
        f.assignment(owner=ws, activity=activity)
        f.activity(owner=ws, parent=activity)
        f.citation(record=activity, source=f.source(owner=ws))


def _activity(ws: Any) -> tuple[Any, Callable[[int], None]]:
    activity = f.activity(owner=ws, agreement=f.agreement(owner=ws), parent=f.activity(owner=ws))
    return activity, lambda n: _add_to_activity(activity, ws, n)


def _request(ws: Any) -> tuple[Any, Callable[[int], None]]:
    request = f.request(owner=ws, requester=f.organization(owner=ws))

    def add(n: int) -> None:
        for _ in range(n):
            request.answered_by.add(f.activity(owner=ws))
            f.citation(record=request, source=f.source(owner=ws))

    return request, add


def _agreement(ws: Any) -> tuple[Any, Callable[[int], None]]:
    agreement = f.agreement(owner=ws)

    def add(n: int) -> None:
        for _ in range(n):
            agreement.parties.add(f.organization(owner=ws))
            f.activity(owner=ws, agreement=agreement)

    return agreement, add


def _assignment(ws: Any) -> tuple[Any, Callable[[int], None]]:
    person = f.person(owner=ws)
    assignment = f.assignment(owner=ws, person=person, activity=f.activity(owner=ws))

    def add(n: int) -> None:
        for i in range(n):
            assignment.role = f"Conseiller {i}"
            assignment.save()  # one more line of history each time
            f.citation(record=assignment, source=f.source(owner=ws))

    return assignment, add


@pytest.mark.parametrize("build", [_activity, _request, _agreement, _assignment])
def test_detail_queries_do_not_grow_with_the_related_rows(
    mission: Mission, build: Callable[[Any], tuple[Any, Callable[[int], None]]]
) -> None:
    record, add = build(mission.workspace)
    add(3)
    client, url = mission.client("viewer"), record.get_absolute_url()
    client.get(url)  # warms the caches (content types, sessions)
    with_3 = query_count(lambda: client.get(url))
    add(27)
    with_30 = query_count(lambda: client.get(url))
    assert with_3 == with_30


def test_open_records_of_another_mission_show_on_their_pages(
    mission: Mission, other_mission: Mission
) -> None:
    activity = f.activity(owner=other_mission.workspace, release=Release.OPEN)
    assert mission.client("viewer").get(activity.get_absolute_url()).status_code == 200


def test_a_required_link_the_user_may_not_see_is_withheld(
    mission: Mission, other_mission: Mission
) -> None:
    secret = f.person(owner=other_mission.workspace, full_name="Agent discret")
    assignment = f.assignment(owner=mission.workspace, person=secret, role="Instructeur")
    activity = f.activity(owner=mission.workspace)
    assignment.activity = activity
    assignment.save()
    client = mission.client("viewer")
    for url in (assignment.get_absolute_url(), activity.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Agent discret" not in page
        assert "(not released to you)" in page
    listing = client.get("/assignments/").content.decode()
    assert "Agent discret" not in listing
    assert "Instructeur" in listing
